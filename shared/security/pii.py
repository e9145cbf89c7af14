"""Keyed hashing of personal identifiers, so duplicates are found without storing a plain index.

The HMAC key is a Secrets Manager secret the template generates at deployment (``PiiHashKeySecret``),
read through powertools parameters and cached for five minutes.
"""

from __future__ import annotations

import hashlib
import hmac

from shared.errors import ServiceUnavailable
from shared.settings import get_settings
from shared.store.secrets import get_secret

MIN_KEY_LENGTH = 16


def _key() -> bytes:
    raw = get_secret(get_settings().pii_hash_key_secret)
    if raw is None or len(raw) < MIN_KEY_LENGTH:
        raise ServiceUnavailable("the personal-data hash key is not configured", retry_after=60)
    return raw.encode()


def identity_hash(national_id: str) -> str:
    return hmac.new(_key(), national_id.encode(), hashlib.sha256).hexdigest()
