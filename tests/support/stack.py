"""The product's AWS resources, created in-process over moto from infra/template.json, with a
Cognito pool and signed demo tokens. Used by integration tests and benchmarks."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import boto3
import jwt
from moto import mock_aws
from moto.utilities.utils import load_resource

from infra.local import emulator
from infra.local.cognito import create_demo_pool, id_token
from infra.local.vendors import seed_esign_secrets, seed_vendor_secrets
from infra.outputs import deployable_template_body, env_from_outputs, load_template, stack_outputs
from infra.secrets import create_secrets, secret_names
from tests.support import iam_record

REGION = "us-east-1"


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


def reset_caches() -> None:
    from aws_lambda_powertools.utilities import parameters

    from functions import idempotency
    from shared.security.fields import reset_cipher
    from shared.security.tokens import reset_jwks_cache
    from shared.settings import reset_settings
    from shared.store.aws import reset_clients
    from shared.store.secrets import reset_secrets

    reset_settings()
    reset_clients()
    reset_secrets()
    reset_jwks_cache()
    idempotency.reset()
    parameters.clear_caches()
    reset_cipher()


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
    emulator.apply_all()  # the local stack's fixes of moto and chalice local (infra/local/emulator)
    try:
        with mock_aws(config=emulator.MOTO_CONFIG):  # (the probation cycle runs in moto's ASL interpreter)
            idp = boto3.client("cognito-idp", region_name=REGION)
            demo = create_demo_pool(idp, REGION)
            pool, client = demo.pool_id, demo.client_id
            cfn = boto3.client("cloudformation", region_name=REGION)
            cfn.create_stack(
                StackName="talent",
                TemplateBody=deployable_template_body(),
                Parameters=[
                    {"ParameterKey": "UserPoolId", "ParameterValue": pool},
                    {"ParameterKey": "UserPoolClientId", "ParameterValue": client},
                    # nobody must enrol TOTP, unless a test says so (tests/integration/test_mfa.py)
                    {"ParameterKey": "MfaRequiredGroups", "ParameterValue": ""},
                ],
            )
            env = env_from_outputs(stack_outputs(cfn.describe_stacks(StackName="talent")["Stacks"][0]))
            env["COGNITO_JWKS"] = json.dumps(load_resource("cognitoidp/resources/jwks-public.json"))
            template = load_template()
            sm = boto3.client("secretsmanager", region_name=REGION)
            created = create_secrets(sm, template, "talent", {"DataKey.Arn": env["KMS_KEY_ID"]})
            iam_record.register_stack(cfn, "talent", secret_names(template, "${AWS::StackName}"))
            for logical, name in secret_names(template, "talent").items():
                iam_record.add_physical(name, logical)
                iam_record.add_physical(created[logical], logical)
            os.environ.update(env)
            seed_vendor_secrets(sm, env["VENDOR_SECRETS_PATH"])
            seed_esign_secrets(sm, env["VENDOR_SECRETS_PATH"])
            boto3.client("ses", region_name=REGION).verify_email_identity(EmailAddress=env["MAIL_FROM"])
            reset_caches()
            stack = Stack(env=env, pool_id=pool, client_id=client)
            stack.tokens = {u.key: id_token(idp, pool, client, u.username, u.password) for u in demo.users}
            yield stack
    finally:
        emulator.revert_all()
        os.environ.clear()
        os.environ.update(saved)
        reset_caches()
