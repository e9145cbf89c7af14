"""The local stack's vendor webhook secrets (fixed, so the README and the simulator can use them),
and the Standard Webhooks headers every simulated vendor signs its deliveries with.

Never use these anywhere but on the local stack: in AWS the stack generates each vendor's secret.
"""

from __future__ import annotations

import base64
from typing import Any

from shared.domain.background import BACKGROUND_VENDORS
from shared.domain.vendors import VENDOR_FORMATS
from shared.security.webhooks import sign


def _secret(label: str) -> str:
    return "whsec_" + base64.b64encode(label.encode().ljust(32, b"-")).decode()


# vendor id -> its secrets (newest first; the second one shows a rotation in progress)
LOCAL_VENDOR_SECRETS: dict[str, list[str]] = {
    "aivendor": [_secret("local-aivendor-2026"), _secret("local-aivendor-2025")],
    "mianshi": [_secret("local-mianshi-2026")],
}
assert set(LOCAL_VENDOR_SECRETS) == set(VENDOR_FORMATS)

# background-check vendor id -> its secrets (they sign POST /webhooks/background-checks only)
LOCAL_BACKGROUND_VENDOR_SECRETS: dict[str, list[str]] = {"bgcheck": [_secret("local-bgcheck-2026")]}
assert set(LOCAL_BACKGROUND_VENDOR_SECRETS) == set(BACKGROUND_VENDORS)


def seed_vendor_secrets(secretsmanager: Any, path: str) -> dict[str, list[str]]:
    """Put every vendor's local secrets into its secret under ``path`` (what a rotation does in AWS)."""
    for vendor_id, secrets in (LOCAL_VENDOR_SECRETS | LOCAL_BACKGROUND_VENDOR_SECRETS).items():
        secretsmanager.put_secret_value(SecretId=f"{path}{vendor_id}/webhook-secrets", SecretString=" ".join(secrets))
    return LOCAL_VENDOR_SECRETS


# The e-signature vendor's secret (the simulated vendor in infra/local/esign_vendor.py signs with it).
LOCAL_ESIGN_SECRETS: list[str] = [_secret("local-esign-2026")]


def seed_esign_secrets(secretsmanager: Any, path: str) -> list[str]:
    """Put the e-signature vendor's local secret into ``<path>esign/webhook-secrets``."""
    secretsmanager.put_secret_value(SecretId=f"{path}esign/webhook-secrets", SecretString=" ".join(LOCAL_ESIGN_SECRETS))
    return LOCAL_ESIGN_SECRETS


def signature_headers(raw: bytes, webhook_id: str, timestamp: int, secret: str) -> dict[str, str]:
    """The Standard Webhooks headers of one message."""
    return {
        "Content-Type": "application/json",
        "webhook-id": webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, webhook_id, timestamp, raw),
    }
