"""Background-check vendors' webhook secrets: the same Secrets Manager layout as the interview vendors
(``<VENDOR_SECRETS_PATH><vendor_id>/webhook-secrets``), but only these vendors' keys are accepted
at ``POST /webhooks/background-checks`` (and theirs are not accepted for interview results)."""

from __future__ import annotations

from shared.domain.background import BACKGROUND_VENDORS
from shared.security.vendor_keys import secrets_of


def background_vendor_secrets() -> list[tuple[str, str]]:
    """``(vendor_id, secret)`` pairs of every configured background-check vendor."""
    return secrets_of(BACKGROUND_VENDORS, "background-check vendor")
