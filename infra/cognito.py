"""The user pool as ``infra/template.json`` defines it: created through the Cognito API where
CloudFormation does not create it (the local stack: moto's CloudFormation skips ``AWS::Cognito::*``),
and the check of an existing pool a deployment is given instead (bring your own pool).

One definition: the template's ``UserPool``, ``UserPoolClient`` and ``AWS::Cognito::UserPoolGroup``
resources. Their properties are CloudFormation's names for the API's parameters; the few that
differ are mapped here (``UserPoolName`` -> ``PoolName``; ``EnabledMfas`` is a separate
``SetUserPoolMfaConfig`` call).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from infra.expressions import Evaluator

POOL = "UserPool"
CLIENT = "UserPoolClient"
GROUP_TYPE = "AWS::Cognito::UserPoolGroup"
DEPARTMENT = "custom:department"
PASSWORD_FLOWS = {"ALLOW_USER_PASSWORD_AUTH", "USER_PASSWORD_AUTH"}  # the password sent as it is


@dataclass(frozen=True)
class PoolDefinition:
    pool: dict[str, Any]  # CreateUserPool parameters
    mfa: dict[str, Any] | None  # SetUserPoolMfaConfig parameters (None: MFA off)
    client: dict[str, Any]  # CreateUserPoolClient parameters, without UserPoolId
    groups: dict[str, str]  # group name -> description


def definition(template: Mapping[str, Any], parameters: Mapping[str, str] | None = None) -> PoolDefinition:
    """The template's pool, client and groups as Cognito API parameters, for ``parameters`` (the
    template's defaults for the rest)."""
    evaluate = Evaluator(template, parameters or {}, refs={POOL: "<pool>"})
    resources = template["Resources"]
    pool = evaluate(resources[POOL]["Properties"])
    pool["PoolName"] = pool.pop("UserPoolName")
    enabled = pool.pop("EnabledMfas", None)
    mfa = None
    if pool.get("MfaConfiguration", "OFF") != "OFF":
        mfa = {
            "MfaConfiguration": pool["MfaConfiguration"],
            "SoftwareTokenMfaConfiguration": {"Enabled": "SOFTWARE_TOKEN_MFA" in (enabled or [])},
        }
    client = evaluate(resources[CLIENT]["Properties"])
    client.pop("UserPoolId")
    groups = {
        props["GroupName"]: props.get("Description", "")
        for props in (evaluate(r["Properties"]) for r in resources.values() if r["Type"] == GROUP_TYPE)
    }
    return PoolDefinition(pool=pool, mfa=mfa, client=client, groups=groups)


def create_pool(idp: Any, wanted: PoolDefinition, pool_name: str | None = None) -> tuple[str, str]:
    """Create the pool, its MFA setting, app client and groups; ``(pool id, client id)``."""
    params = dict(wanted.pool, PoolName=pool_name or wanted.pool["PoolName"])
    pool_id = idp.create_user_pool(**params)["UserPool"]["Id"]
    if wanted.mfa:
        idp.set_user_pool_mfa_config(UserPoolId=pool_id, **wanted.mfa)
    client_id = idp.create_user_pool_client(UserPoolId=pool_id, **wanted.client)["UserPoolClient"]["ClientId"]
    for name, description in wanted.groups.items():
        idp.create_group(UserPoolId=pool_id, GroupName=name, Description=description)
    return pool_id, client_id


def check_pool(idp: Any, pool_id: str, client_id: str, wanted: PoolDefinition) -> list[str]:
    """What an existing pool and app client lack against the template's definition (empty: fit).

    The API trusts ``cognito:groups`` and ``custom:department`` in the ID token, so: the groups exist,
    the department attribute exists, the app client reads it and **cannot write it** (a client
    without ``WriteAttributes`` may write every attribute), the client has no secret (the console is
    a public client) and takes no password directly (the console signs in at the hosted pages), users
    cannot sign themselves up, and passwords and MFA are at least as strict (TOTP offered when the
    template offers it: the members of ``MfaRequiredGroups`` must enrol it)."""
    problems: list[str] = []
    pool = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    client = idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)["UserPoolClient"]
    existing = {
        g["GroupName"] for page in idp.get_paginator("list_groups").paginate(UserPoolId=pool_id) for g in page["Groups"]
    }
    problems += [f"group {name!r} is missing" for name in sorted(set(wanted.groups) - existing)]
    if DEPARTMENT not in {a["Name"] for a in pool.get("SchemaAttributes", [])}:
        problems.append(f"the pool has no {DEPARTMENT} attribute")
    writable = client.get("WriteAttributes")
    if not writable:
        problems.append(
            f"the app client sets no WriteAttributes, so users may write every attribute ({DEPARTMENT} too)"
        )
    elif DEPARTMENT in writable:
        problems.append(f"the app client lets users write {DEPARTMENT}: remove it from WriteAttributes")
    if DEPARTMENT not in (client.get("ReadAttributes") or [DEPARTMENT]):
        problems.append(f"the app client does not read {DEPARTMENT}, so ID tokens would not carry it")
    if client.get("ClientSecret"):
        problems.append("the app client has a secret; the console needs a public client (GenerateSecret false)")
    if PASSWORD_FLOWS & set(client.get("ExplicitAuthFlows") or []):
        problems.append(
            "the app client allows the password flow (USER_PASSWORD_AUTH): the console signs in at the hosted"
            " pages only, so no password should reach the client directly"
        )
    if not pool.get("AdminCreateUserConfig", {}).get("AllowAdminCreateUserOnly"):
        problems.append("users can sign themselves up: set AdminCreateUserConfig.AllowAdminCreateUserOnly")
    problems += _password_problems(pool.get("Policies", {}).get("PasswordPolicy", {}), wanted.pool)
    strength = {"OFF": 0, "OPTIONAL": 1, "ON": 2}
    if strength[pool.get("MfaConfiguration", "OFF")] < strength[wanted.pool.get("MfaConfiguration", "OFF")]:
        problems.append(
            f"MFA is {pool.get('MfaConfiguration', 'OFF')}, the stack asks for {wanted.pool['MfaConfiguration']}"
        )
    if wanted.mfa and wanted.mfa["SoftwareTokenMfaConfiguration"]["Enabled"]:
        offered = idp.get_user_pool_mfa_config(UserPoolId=pool_id).get("SoftwareTokenMfaConfiguration", {})
        if not offered.get("Enabled"):
            problems.append(
                "the pool does not offer TOTP (SoftwareTokenMfaConfiguration): nobody could enrol an "
                "authenticator app, so the MfaRequiredGroups members could not be answered"
            )
    return problems


def _password_problems(policy: Mapping[str, Any], wanted_pool: Mapping[str, Any]) -> list[str]:
    wanted = wanted_pool.get("Policies", {}).get("PasswordPolicy", {})
    problems = []
    if int(policy.get("MinimumLength", 8)) < int(wanted.get("MinimumLength", 8)):
        problems.append(f"passwords may be shorter than {wanted['MinimumLength']} characters")
    for rule in ("RequireLowercase", "RequireUppercase", "RequireNumbers", "RequireSymbols"):
        if wanted.get(rule) and not policy.get(rule):
            problems.append(f"the password policy does not set {rule}")
    return problems
