"""Vendors' webhook secrets, from Parameter Store through powertools parameters (cached 5 minutes).

Each vendor's parameter ``<VENDOR_SECRETS_PATH><vendor_id>/webhook-secrets`` holds its
``whsec_…`` secrets separated by spaces: during a rotation both the new and the old one.
"""

from __future__ import annotations

from collections.abc import Iterable

from aws_lambda_powertools.utilities import parameters

from shared.domain.vendors import VENDOR_FORMATS
from shared.errors import ServiceUnavailable
from shared.settings import get_settings

PLACEHOLDER = "set-at-deployment"
CACHE_SECONDS = 300


def parameter_name(vendor_id: str) -> str:
    return f"{get_settings().vendor_secrets_path}{vendor_id}/webhook-secrets"


def secrets_of(vendors: Iterable[str], what: str = "vendor") -> list[tuple[str, str]]:
    """``(vendor_id, secret)`` pairs of every configured vendor among ``vendors`` (one cached batch
    read); 503 when none is configured, so that the sender retries rather than loses the event."""
    names = {parameter_name(v): v for v in vendors}
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
        raise ServiceUnavailable(f"no {what} webhook secret is configured", retry_after=60)
    return pairs


def vendor_secrets() -> list[tuple[str, str]]:
    """The AI interview vendors' secrets (``POST /webhooks/interview-results``)."""
    return secrets_of(VENDOR_FORMATS)


ESIGN_VENDOR = "esign"


def esign_secrets() -> list[tuple[str, str]]:
    """The e-signature vendor's secrets (``POST /webhooks/esign``)."""
    return secrets_of([ESIGN_VENDOR], "e-signature")
