"""Standard Webhooks signatures (https://www.standardwebhooks.com/).

``webhook-signature`` holds one or more space-separated ``v1,<base64 HMAC-SHA256>`` entries over
``<webhook-id>.<webhook-timestamp>.<raw body>``, keyed with the base64 secret after ``whsec_``.
Any one valid signature accepts (key rotation); timestamps more than five minutes off in either
direction are refused; comparison is constant-time; verification runs on the raw bytes before
anything parses them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Iterable, Mapping

from aws_lambda_powertools import Logger

from shared.clock import wall
from shared.errors import Conflict, Unauthenticated

logger = Logger(child=True)
TOLERANCE_SECONDS = 5 * 60
PREFIX = "whsec_"


def secret_key(secret: str) -> bytes:
    raw = secret.strip()
    if raw.startswith(PREFIX):
        raw = raw[len(PREFIX) :]
    try:
        return base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("a webhook secret must be 'whsec_' followed by base64") from exc


def sign(secret: str, webhook_id: str, timestamp: int, body: bytes) -> str:
    """The ``v1,<base64>`` signature of one message (used by vendor simulators and tests)."""
    signed = f"{webhook_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def _header(headers: Mapping[str, str], name: str) -> str:
    value = headers.get(name) or headers.get(name.title())
    if not value or not value.strip():
        raise Unauthenticated(f"the {name} header is missing")
    return value.strip()


def verify(
    headers: Mapping[str, str],
    body: bytes,
    secrets: Iterable[tuple[str, str]],
    now: float | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> tuple[str, str]:
    """Check the signature against every ``(owner, secret)`` pair.

    Returns ``(owner, webhook_id)`` of the first secret that produced one of the signatures, or
    raises ``Unauthenticated`` saying which check failed."""
    webhook_id = _header(headers, "webhook-id")
    raw_ts = _header(headers, "webhook-timestamp")
    signatures = _header(headers, "webhook-signature")
    if not raw_ts.isdigit():
        raise Unauthenticated("webhook-timestamp must be Unix seconds")
    timestamp = int(raw_ts)
    current = wall() if now is None else now
    if timestamp < current - tolerance:
        raise Unauthenticated("webhook-timestamp is too old (more than 5 minutes)")
    if timestamp > current + tolerance:
        raise Unauthenticated("webhook-timestamp is in the future (more than 5 minutes)")
    offered: list[bytes] = []
    for entry in signatures.split():
        version, _, value = entry.partition(",")
        if version != "v1" or not value:
            continue
        try:
            offered.append(base64.b64decode(value, validate=True))
        except (binascii.Error, ValueError):
            continue
    if not offered:
        raise Unauthenticated("webhook-signature holds no v1 signature")
    signed = f"{webhook_id}.{timestamp}.".encode() + body
    for owner, secret in secrets:
        expected = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
        # compare against every offered signature, without short-circuiting on content
        if any(hmac.compare_digest(expected, candidate) for candidate in offered):
            return owner, webhook_id
    raise Unauthenticated("no webhook-signature matches a key of a known vendor")


def body_digest(body: bytes) -> str:
    """What one ``webhook-id`` stands for: the SHA-256 of the delivered body (kept in the delivery
    record, so the same id with another body is told apart from a retry)."""
    return hashlib.sha256(body).hexdigest()


def reused_id(vendor_id: str, webhook_id: str) -> Conflict:
    """The refusal of a ``webhook-id`` delivered before with another body (the first delivery stands),
    logged as the vendor's fault (ids only: no personal data in logs)."""
    logger.warning(
        "vendor fault: a webhook-id reused with another body",
        extra={"vendor_fault": "reused webhook-id", "vendor_id": vendor_id, "webhook_id": webhook_id},
    )
    return Conflict(
        "this webhook-id was delivered before with another body; the first delivery stands",
        [{"field": "webhook-id", "message": "one webhook-id is one delivery: send a new message with a new id"}],
    )
