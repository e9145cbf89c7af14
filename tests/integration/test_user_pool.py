"""The user pool: one definition (infra/template.json) for AWS and the local stack, a department the
user cannot write, and the check of a bank's own pool."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from infra.cognito import DEPARTMENT, check_pool, create_pool, definition
from infra.local.cognito import DEMO_PASSWORD, RISK_MANAGEMENT
from infra.outputs import load_template
from tests.support.api import Api
from tests.support.stack import REGION

SAMPLE: dict[str, Any] = json.loads(Path("events/requisition-customer-manager.json").read_text(encoding="utf-8"))


def _sign_in(api: Api, username: str) -> dict[str, str]:
    """The user's tokens as the local hosted sign-in pages get them (an administrator's password check)."""
    idp = boto3.client("cognito-idp", region_name=REGION)
    result = idp.admin_initiate_auth(
        UserPoolId=api.stack.pool_id,
        ClientId=api.stack.client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": DEMO_PASSWORD},
    )
    return dict(result["AuthenticationResult"])


def test_a_manager_cannot_move_themselves_into_another_department(api: Api) -> None:
    # Given a requisition of the risk department, which the retail manager may not read
    body = copy.deepcopy(SAMPLE) | {"department": RISK_MANAGEMENT, "role_family": "risk_manager"}
    other = api.call("POST", "/requisitions", body=body).data["id"]
    assert api.call("GET", f"/requisitions/{other}", role="manager").status_code == 403
    tokens = _sign_in(api, "manager.demo")
    idp = boto3.client("cognito-idp", region_name=REGION)

    # When the manager sets their own custom:department with their own access token
    with pytest.raises(ClientError) as refused:
        idp.update_user_attributes(
            AccessToken=tokens["AccessToken"], UserAttributes=[{"Name": DEPARTMENT, "Value": RISK_MANAGEMENT}]
        )

    # Then Cognito refuses (the app client may not write the attribute), and a new ID token still
    # carries the old department: the requisition stays forbidden
    assert refused.value.response["Error"]["Code"] == "NotAuthorizedException"
    fresh = _sign_in(api, "manager.demo")["IdToken"]
    response = api.client.http.get(f"/requisitions/{other}", headers={"Authorization": f"Bearer {fresh}"})
    assert response.status_code == 403
    # while an attribute the client may write (e-mail) is still the user's to change
    idp.update_user_attributes(
        AccessToken=tokens["AccessToken"], UserAttributes=[{"Name": "email", "Value": "manager.new@example.com"}]
    )


def test_the_template_forbids_users_to_write_their_department() -> None:
    # Given the template's app client and pool
    template = load_template()
    client = template["Resources"]["UserPoolClient"]["Properties"]
    pool = template["Resources"]["UserPool"]["Properties"]

    # Then the client reads the department (ID tokens carry it) and cannot write it, has no secret,
    # and only administrators create users
    assert DEPARTMENT in client["ReadAttributes"]
    assert client["WriteAttributes"] and DEPARTMENT not in client["WriteAttributes"]
    assert client["GenerateSecret"] is False
    assert pool["AdminCreateUserConfig"] == {"AllowAdminCreateUserOnly": True}
    assert {a["Name"] for a in pool["Schema"]} == {"department"}
    groups = {
        r["Properties"]["GroupName"]
        for r in template["Resources"].values()
        if r["Type"] == "AWS::Cognito::UserPoolGroup"
    }
    assert groups == {"hr", "manager", "interviewer", "it"}
    policy = pool["Policies"]["PasswordPolicy"]
    assert policy["MinimumLength"] >= 12 and all(
        policy[r] for r in ("RequireLowercase", "RequireUppercase", "RequireNumbers", "RequireSymbols")
    )
    # and MFA (TOTP) and threat protection are parameters
    assert template["Parameters"]["MfaConfiguration"]["AllowedValues"] == ["OFF", "OPTIONAL", "ON"]
    assert pool["UserPoolAddOns"] == {"AdvancedSecurityMode": {"Ref": "AdvancedSecurityMode"}}


def test_the_local_pool_is_the_template_pool(api: Api) -> None:
    # Given the pool the test stack created (as the local stack does) / When checked against the template
    idp = boto3.client("cognito-idp", region_name=REGION)
    problems = check_pool(idp, api.stack.pool_id, api.stack.client_id, definition(load_template()))
    client = idp.describe_user_pool_client(UserPoolId=api.stack.pool_id, ClientId=api.stack.client_id)

    # Then nothing is missing, and its client writes exactly what the template's writes
    assert problems == []
    expected = load_template()["Resources"]["UserPoolClient"]["Properties"]["WriteAttributes"]
    assert client["UserPoolClient"]["WriteAttributes"] == expected


def test_an_existing_pool_that_lets_users_write_their_department_is_refused(api: Api) -> None:
    # Given a bank's pool made like the template's, but whose client lets users write every attribute,
    # and one made with a weaker password policy and without the IT group
    wanted = definition(load_template())
    idp = boto3.client("cognito-idp", region_name=REGION)
    loose = copy.deepcopy(wanted)
    loose.client.pop("WriteAttributes")
    loose_pool, loose_client = create_pool(idp, loose, pool_name="bank-loose")
    weak = copy.deepcopy(wanted)
    weak.pool["Policies"]["PasswordPolicy"]["MinimumLength"] = 8
    weak.groups.pop("it")
    weak_pool, weak_client = create_pool(idp, weak, pool_name="bank-weak")
    # and one whose client still takes passwords directly (the console's former sign-in)
    direct = copy.deepcopy(wanted)
    direct.client["ExplicitAuthFlows"] = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    direct_pool, direct_client = create_pool(idp, direct, pool_name="bank-direct")
    # and one without MFA
    no_mfa = copy.deepcopy(wanted)
    no_mfa.pool["MfaConfiguration"], no_mfa = "OFF", replace(no_mfa, mfa=None)
    no_mfa_pool, no_mfa_client = create_pool(idp, no_mfa, pool_name="bank-no-mfa")

    # When each is checked against the template (what make deploy does before using it)
    loose_problems = check_pool(idp, loose_pool, loose_client, wanted)
    weak_problems = check_pool(idp, weak_pool, weak_client, wanted)

    # Then each problem is named
    assert loose_problems == [
        "the app client sets no WriteAttributes, so users may write every attribute (custom:department too)"
    ]
    assert weak_problems == ["group 'it' is missing", "passwords may be shorter than 12 characters"]
    assert check_pool(idp, direct_pool, direct_client, wanted) == [
        "the app client allows the password flow (USER_PASSWORD_AUTH): the console signs in at the hosted"
        " pages only, so no password should reach the client directly"
    ]
    # And a pool without TOTP cannot serve the groups that must use it (the template's default)
    assert check_pool(idp, no_mfa_pool, no_mfa_client, wanted) == [
        "MFA is OFF, the stack asks for OPTIONAL",
        "the pool does not offer TOTP (SoftwareTokenMfaConfiguration): nobody could enrol an authenticator app, "
        "so the MfaRequiredGroups members could not be answered",
    ]
