"""Vendors' webhook secrets, from Parameter Store through powertools parameters (cached 5 minutes).

Each vendor's parameter ``<VENDOR_SECRETS_PATH><vendor_id>/webhook-secrets`` holds its
``whsec_…`` secrets separated by spaces: during a rotation both the new and the old one.
"""

from __future__ import annotations

from aws_lambda_powertools.utilities import parameters

from shared.domain.vendors import VENDOR_FORMATS
from shared.errors import ServiceUnavailable
from shared.settings import get_settings

PLACEHOLDER = "set-at-deployment"
CACHE_SECONDS = 300


def parameter_name(vendor_id: str) -> str:
    return f"{get_settings().vendor_secrets_path}{vendor_id}/webhook-secrets"


def vendor_secrets() -> list[tuple[str, str]]:
    """``(vendor_id, secret)`` pairs of every configured vendor."""
    names = {parameter_name(v): v for v in VENDOR_FORMATS}
    values = parameters.get_parameters_by_name(
        parameters={name: {} for name in names}, decrypt=True, max_age=CACHE_SECONDS, raise_on_error=False
    )
    pairs = [
        (names[name], secret)
        for name, raw in values.items()
        if name in names and isinstance(raw, str) and raw != PLACEHOLDER
        for secret in raw.split()
    ]
    if not pairs:
        raise ServiceUnavailable("no vendor webhook secret is configured", retry_after=60)
    return pairs


ESIGN_VENDOR = "esign"


def esign_secrets() -> list[tuple[str, str]]:
    """``("esign", secret)`` pairs of the e-signature vendor (same mechanism as the interview vendors)."""
    try:
        raw = parameters.get_parameter(parameter_name(ESIGN_VENDOR), decrypt=True, max_age=CACHE_SECONDS)
    except parameters.exceptions.GetParameterError as exc:
        raise ServiceUnavailable("no e-signature webhook secret is configured", retry_after=60) from exc
    pairs = [(ESIGN_VENDOR, s) for s in (raw or "").split()] if raw != PLACEHOLDER else []
    if not pairs:
        raise ServiceUnavailable("no e-signature webhook secret is configured", retry_after=60)
    return pairs
