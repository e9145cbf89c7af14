"""TOTP enforced per group (``MfaRequiredGroups``): a member of a listed group who has not enrolled an
authenticator app is refused 403 ``mfa_required`` by the API (the authorizer asks the pool), enrols
with their own access token as the console does, is asked for the code at the hosted sign-in pages
from then on, and is answered again; other groups are not affected."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyotp
import pytest

from infra.local.cognito import DEMO_PASSWORD, LOCAL_CONSOLE_URL, RETAIL_BANKING
from infra.local.hosted_ui import HostedSignIn
from shared.settings import reset_settings
from tests.support.api import Api
from tests.support.sign_in import Pkce, answer_code, code_of, exchange, submit_password

CONSOLE = LOCAL_CONSOLE_URL


@pytest.fixture
def managers_need_mfa(api: Api, monkeypatch: pytest.MonkeyPatch) -> Iterator[Api]:
    """The stack deployed with ``MfaRequiredGroups=manager`` and codes checked as Cognito checks them."""
    monkeypatch.setenv("MFA_REQUIRED_GROUPS", "manager")
    monkeypatch.setenv("MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP", "true")
    reset_settings()
    yield api
    reset_settings()


def tokens(pages: HostedSignIn, username: str, totp: pyotp.TOTP | None = None) -> dict[str, Any]:
    """The person's tokens from the hosted sign-in pages (with the authenticator's code when asked)."""
    pkce = Pkce.new()
    answer = submit_password(pages.url, pages.client_id, CONSOLE, pkce, username, DEMO_PASSWORD)
    if totp is not None:
        assert answer.status == 200 and 'name="totp"' in answer.body, answer.body
        answer = answer_code(pages.url, answer.body, totp.now())
    exchanged = exchange(pages.url, pages.client_id, CONSOLE, code_of(answer, pkce), pkce.verifier)
    assert exchanged.status == 200, exchanged.body
    return dict(exchanged.json)


def get(api: Api, path: str, id_token: str) -> Any:
    return api.client.http.get(path, headers={"Authorization": f"Bearer {id_token}"})


def test_a_member_of_a_required_group_must_enrol_then_signs_in_with_the_code(
    managers_need_mfa: Api, hosted_sign_in: HostedSignIn
) -> None:
    api, pages, idp = managers_need_mfa, hosted_sign_in, hosted_sign_in.cognito
    # Given a manager who has not enrolled an authenticator app, signed in with the password alone
    first = tokens(pages, "manager.demo")

    # When they call a data route
    refused = get(api, "/requisitions", first["id_token"])

    # Then it is 403 mfa_required with the error body, while the public sign-in configuration answers
    assert refused.status_code == 403
    assert refused.json_body["error"]["code"] == "mfa_required"
    assert "authenticator app" in refused.json_body["error"]["message"]
    assert api.client.http.get("/auth/config").status_code == 200
    # And HR, a group not in the list, is not affected
    assert api.call("GET", "/requisitions", role="hr").status_code == 200

    # When the manager enrols with their own access token (as the console's two-step page does):
    # the secret, the app's first code verified, TOTP switched on and preferred
    app = pyotp.TOTP(idp.associate_software_token(AccessToken=first["access_token"])["SecretCode"])
    assert idp.verify_software_token(AccessToken=first["access_token"], UserCode=app.now())["Status"] == "SUCCESS"
    idp.set_user_mfa_preference(
        AccessToken=first["access_token"], SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    # and signs in again: the hosted pages ask for the app's code after the password
    second = tokens(pages, "manager.demo", totp=app)

    # Then the same route answers, with the manager's own department's requisitions only
    answered = get(api, "/requisitions", second["id_token"])
    assert answered.status_code == 200
    assert {r["department"] for r in answered.json_body["items"]} <= {RETAIL_BANKING}

    # When the manager switches TOTP off again with their own access token
    idp.set_user_mfa_preference(AccessToken=second["access_token"], SoftwareTokenMfaSettings={"Enabled": False})
    # Then a new sign-in needs no code, and the API refuses them again
    third = tokens(pages, "manager.demo")
    assert get(api, "/requisitions", third["id_token"]).json_body["error"]["code"] == "mfa_required"


def test_a_federated_member_is_left_to_the_banks_identity_provider(managers_need_mfa: Api) -> None:
    api = managers_need_mfa
    # Given ID tokens of managers: one signed in through the bank's OIDC provider (its own MFA), one
    # of a pool user who no longer exists (a token outliving the account)
    claims = {"cognito:groups": ["manager"], "custom:department": RETAIL_BANKING}
    federated = api.stack.forge(
        **claims, **{"cognito:username": "BankOIDC_m.li", "identities": [{"providerName": "BankOIDC"}]}
    )
    gone = api.stack.forge(**claims, **{"cognito:username": "left.the.bank"})

    # Then the federated one is answered; the one the pool does not know has enrolled nothing: 403
    assert get(api, "/requisitions", federated).status_code == 200
    assert get(api, "/requisitions", gone).json_body["error"]["code"] == "mfa_required"
