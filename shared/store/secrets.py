"""Secrets Manager secrets, read through powertools parameters (cached five minutes) on the client of
``shared.store.aws``. The template generates every secret at deployment (``GenerateSecretString``),
so there is no placeholder value to guard against."""

from __future__ import annotations

from functools import cache

from aws_lambda_powertools.utilities.parameters import GetParameterError, SecretsProvider

from shared.store import aws

CACHE_SECONDS = 300


@cache
def _provider() -> SecretsProvider:
    return SecretsProvider(boto3_client=aws.client("secretsmanager"))


def get_secret(name: str) -> str | None:
    """The secret's current value, or None when it does not exist (or holds binary data)."""
    try:
        value = _provider().get(name, max_age=CACHE_SECONDS)
    except GetParameterError:
        return None
    return value if isinstance(value, str) else None


def reset_secrets() -> None:
    """Forget the provider and its cached values (tests switch between moto backends)."""
    _provider.cache_clear()
