"""Vendors' webhook secrets, from Secrets Manager through powertools parameters (cached 5 minutes).

Each vendor's secret ``<VENDOR_SECRETS_PATH><vendor_id>/webhook-secrets`` holds its Standard
Webhooks secrets separated by spaces (``whsec_<base64>`` or the bare base64 the template generates):
during a rotation both the new and the old one.
"""

from __future__ import annotations

from collections.abc import Iterable

from shared.errors import ServiceUnavailable
from shared.settings import get_settings
from shared.store.secrets import get_secret


def secret_name(vendor_id: str) -> str:
    return f"{get_settings().vendor_secrets_path}{vendor_id}/webhook-secrets"


def secrets_of(vendors: Iterable[str], what: str = "vendor") -> list[tuple[str, str]]:
    """``(vendor_id, secret)`` pairs of every configured vendor among ``vendors`` (each read cached);
    503 when none is configured, so that the sender retries rather than loses the event. The
    services name their vendors: the interview vendors (``shared.domain.vendors.VENDOR_FORMATS``) for
    ``POST /webhooks/interview-results``, the background-check vendors
    (``shared.domain.background.BACKGROUND_VENDORS``) for ``POST /webhooks/background-checks``, whose
    keys are accepted nowhere else."""
    pairs = [
        (vendor, secret)
        for vendor in vendors
        for raw in [get_secret(secret_name(vendor))]
        if raw is not None
        for secret in raw.split()
    ]
    if not pairs:
        raise ServiceUnavailable(f"no {what} webhook secret is configured", retry_after=60)
    return pairs


ESIGN_VENDOR = "esign"


def esign_secrets() -> list[tuple[str, str]]:
    """The e-signature vendor's secrets (``POST /webhooks/esign``)."""
    return secrets_of([ESIGN_VENDOR], "e-signature")
