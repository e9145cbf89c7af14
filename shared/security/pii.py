"""Keyed hashing of personal identifiers, so duplicates are found without storing a plain index.

The HMAC key lives in SSM Parameter Store (SecureString), read through powertools parameters and
cached for five minutes.
"""

from __future__ import annotations

import hashlib
import hmac

from aws_lambda_powertools.utilities import parameters

from shared.errors import ServiceUnavailable
from shared.settings import get_settings

PLACEHOLDER = "set-at-deployment"
MIN_KEY_LENGTH = 16


def _key() -> bytes:
    raw = parameters.get_parameter(get_settings().pii_hash_key_param, decrypt=True, max_age=300)
    if not isinstance(raw, str) or raw == PLACEHOLDER or len(raw) < MIN_KEY_LENGTH:
        raise ServiceUnavailable("the personal-data hash key is not configured", retry_after=60)
    return raw.encode()


def identity_hash(national_id: str) -> str:
    return hmac.new(_key(), national_id.encode(), hashlib.sha256).hexdigest()
