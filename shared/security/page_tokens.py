"""Page tokens the API hands out are authenticated, so a caller can only hand back a token we issued
for the same listing.

The store's cursor (``shared.store.items.encode_token``: the last key read) leaves the API as
``<cursor>.<tag>``, where the tag is HMAC-SHA256 under the key the template generates at deployment
(``PageTokenKeySecret``) over the listing's path and the cursor. A token that was altered, forged or
issued for another listing is refused with 400 naming ``next_token`` before the cursor reaches
DynamoDB. The key is read through powertools parameters and cached for five minutes; a new key only
invalidates the tokens in flight (a client starts the listing again).
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from shared.errors import ServiceUnavailable, ValidationFailed
from shared.settings import get_settings
from shared.store.secrets import get_secret

MIN_KEY_LENGTH = 16
TAG_BYTES = 16  # 128 bits: a forgery needs 2^128 guesses
NOT_ISSUED = {"field": "next_token", "message": "not a token this API issued for this listing"}


def _key() -> bytes:
    raw = get_secret(get_settings().page_token_key_secret)
    if raw is None or len(raw) < MIN_KEY_LENGTH:
        raise ServiceUnavailable("the page-token key is not configured", retry_after=60)
    return raw.encode()


def _tag(cursor: str, listing: str) -> str:
    mac = hmac.new(_key(), f"{listing}\n{cursor}".encode(), hashlib.sha256).digest()[:TAG_BYTES]
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def seal(cursor: str, listing: str) -> str:
    """The token handed out for the store's ``cursor`` of ``listing`` (the request's path)."""
    return f"{cursor}.{_tag(cursor, listing)}"


def unseal(token: str, listing: str) -> str:
    """The cursor inside a token this API issued for ``listing``; 400 naming ``next_token`` otherwise."""
    cursor, dot, tag = token.rpartition(".")
    if not dot or not cursor or not hmac.compare_digest(tag.encode(), _tag(cursor, listing).encode()):
        raise ValidationFailed("next_token is not valid", [dict(NOT_ISSUED)])
    return cursor
