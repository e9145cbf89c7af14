"""The product's AWS resources, created in-process over moto from infra/template.json, with a
Cognito pool and signed demo tokens. Used by integration tests and benchmarks."""

from __future__ import annotations

import json
import os
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import boto3
import jwt
from moto import mock_aws
from moto.utilities.utils import load_resource

from infra.local import motofix
from infra.outputs import TEMPLATE_PATH, env_from_outputs, stack_outputs

REGION = "us-east-1"
DEMO_USERS = {
    "hr": ("hr.demo", None),
    "manager": ("manager.demo", "零售金融部"),
    "manager_other": ("manager2.demo", "风险管理部"),
    "interviewer": ("interviewer.demo", None),
    "it": ("it.demo", None),
}
PASSWORD = "Demo-pass-2026!"


@dataclass
class Stack:
    env: dict[str, str]
    pool_id: str
    client_id: str
    tokens: dict[str, str] = field(default_factory=dict)

    def auth(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def forge(self, **overrides: Any) -> str:
        """An ID token signed with the pool's real key, with claims overridden (for negative tests)."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "sub": "forged-sub",
            "cognito:username": "hr.demo",
            "cognito:groups": ["hr"],
            "iss": f"https://cognito-idp.{REGION}.amazonaws.com/{self.pool_id}",
            "aud": self.client_id,
            "token_use": "id",
            "iat": now,
            "exp": now + 3600,
        }
        claims.update(overrides)
        claims = {k: v for k, v in claims.items() if v is not None}
        key = jwt.PyJWK(load_resource("cognitoidp/resources/jwks-private.json"))
        return jwt.encode(claims, key.key, algorithm="RS256", headers={"kid": "dummy"})


def _create_pool(idp: Any) -> tuple[str, str]:
    pool = idp.create_user_pool(
        PoolName="talent-local",
        Schema=[{"Name": "department", "AttributeDataType": "String", "Mutable": True}],
    )["UserPool"]["Id"]
    client = idp.create_user_pool_client(
        UserPoolId=pool, ClientName="console", ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    for group in ("hr", "manager", "interviewer", "it"):
        idp.create_group(UserPoolId=pool, GroupName=group)
    return pool, client


def _token(idp: Any, pool: str, client: str, role: str) -> str:
    username, department = DEMO_USERS[role]
    attrs = [{"Name": "email", "Value": f"{username}@bank.example"}]
    if department:
        attrs.append({"Name": "custom:department", "Value": department})
    idp.admin_create_user(UserPoolId=pool, Username=username, UserAttributes=attrs, MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=pool, Username=username, Password=PASSWORD, Permanent=True)
    idp.admin_add_user_to_group(UserPoolId=pool, Username=username, GroupName=role.split("_")[0])
    out = idp.admin_initiate_auth(
        UserPoolId=pool,
        ClientId=client,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
    )
    return str(out["AuthenticationResult"]["IdToken"])


def reset_caches() -> None:
    from aws_lambda_powertools.utilities import parameters

    from functions import idempotency
    from shared.security.tokens import reset_jwks_cache
    from shared.settings import reset_settings
    from shared.store.aws import reset_clients

    reset_settings()
    reset_clients()
    reset_jwks_cache()
    idempotency.reset()
    parameters.clear_caches()


@contextmanager
def moto_stack() -> Iterator[Stack]:
    """Everything the product needs, inside ``mock_aws``; the environment is restored afterwards."""
    saved = dict(os.environ)
    os.environ.update(
        {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
            "POWERTOOLS_TRACE_DISABLED": "true",
            "POWERTOOLS_METRICS_NAMESPACE": "TalentLifecycle",
            "POWERTOOLS_SERVICE_NAME": "talent-lifecycle",
        }
    )
    os.environ.pop("AWS_ENDPOINT_URL", None)
    motofix.apply()  # the same emulator fix as the local stack: O(items) transactions, atomic conditions
    try:
        with mock_aws():
            idp = boto3.client("cognito-idp", region_name=REGION)
            pool, client = _create_pool(idp)
            cfn = boto3.client("cloudformation", region_name=REGION)
            cfn.create_stack(
                StackName="talent",
                TemplateBody=TEMPLATE_PATH.read_text(encoding="utf-8"),
                Parameters=[
                    {"ParameterKey": "UserPoolId", "ParameterValue": pool},
                    {"ParameterKey": "UserPoolClientId", "ParameterValue": client},
                ],
            )
            env = env_from_outputs(stack_outputs(cfn.describe_stacks(StackName="talent")["Stacks"][0]))
            env["COGNITO_JWKS"] = json.dumps(load_resource("cognitoidp/resources/jwks-public.json"))
            os.environ.update(env)
            boto3.client("ssm", region_name=REGION).put_parameter(
                Name=env["PII_HASH_KEY_PARAM"], Value=secrets.token_hex(32), Type="SecureString", Overwrite=True
            )
            reset_caches()
            stack = Stack(env=env, pool_id=pool, client_id=client)
            stack.tokens = {role: _token(idp, pool, client, role) for role in DEMO_USERS}
            yield stack
    finally:
        motofix.revert()
        os.environ.clear()
        os.environ.update(saved)
        reset_caches()
