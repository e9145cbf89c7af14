"""Field-level envelope encryption of personal data (national ID, phone, e-mail, credit details).

Beyond the table's KMS encryption at rest, each sensitive field is stored as a *sealed* value::

    {"v": 1, "dk": "<KMS-encrypted data key, base64>", "ct": "<nonce ‖ AES-256-GCM ciphertext ‖ tag, base64>"}

* **Data keys** come from KMS ``GenerateDataKey`` on the template's ``FieldKey`` (setting
  ``field_key_arn``) with the encryption context ``{"purpose": "talent-personal-data"}``. One data key
  seals many values: a container reuses it for at most ``DATA_KEY_MAX_AGE`` seconds or
  ``DATA_KEY_MAX_USES`` values, so a bulk import of 100,000 rows costs a handful of KMS calls, not
  100,000. The plaintext key only ever lives in this container's memory.
* **Decrypted data keys** are cached by their encrypted form (``dk``), so revealing many values sealed
  with the same data key costs one KMS ``Decrypt``.
* The field's name is the AES-GCM associated data: a sealed phone number cannot be passed off as a
  national ID.
* **Migration**: a value without the ``v`` marker (a plain string written before field encryption)
  is returned as it is by ``reveal``; it is sealed the next time its item is created anew.

Only code that needs the clear value calls ``reveal`` (the candidate's contact details for HR, the
e-mails and offer letter sent to the candidate, the background-check order to the vendor, erasure);
every response elsewhere carries the masks stored beside the sealed values.
"""

from __future__ import annotations

import base64
import binascii
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from botocore.exceptions import ClientError
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import BaseModel, ConfigDict

from shared.errors import ServiceUnavailable
from shared.settings import get_settings

VERSION = 1
DATA_KEY_MAX_AGE = 300.0  # seconds a container seals with one data key
DATA_KEY_MAX_USES = 10_000  # values sealed with one data key
DECRYPTED_KEYS = 256  # decrypted data keys kept per container (least recently used goes first)
CONTEXT = {"purpose": "talent-personal-data"}
NONCE_BYTES = 12


class Sealed(BaseModel):
    """A sealed field as stored (the ``v`` marker tells it from a plain value written before)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    v: Literal[1]
    dk: str
    ct: str


class UnreadableField(Exception):
    """A sealed value that does not decrypt (tampered, wrong field, or a key this account cannot use)."""


@dataclass
class _DataKey:
    plain: bytes
    wrapped: bytes
    created: float
    uses: int = 0


@dataclass(eq=False)
class FieldCipher:
    """Seals and reveals field values with KMS data keys, cached per container (thread-safe)."""

    key_id: str
    kms: Callable[[], Any]  # the KMS client, asked for when a key is needed
    clock: Callable[[], float] = time.monotonic
    max_age: float = DATA_KEY_MAX_AGE
    max_uses: int = DATA_KEY_MAX_USES
    _current: _DataKey | None = field(default=None, init=False, repr=False)
    _decrypted: OrderedDict[bytes, bytes] = field(default_factory=OrderedDict, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    # -- keys --------------------------------------------------------------------------------
    def _data_key(self) -> _DataKey:
        now = self.clock()
        key = self._current
        if key is None or key.uses >= self.max_uses or now - key.created >= self.max_age:
            if not self.key_id:
                raise ServiceUnavailable("the personal-data encryption key is not configured", retry_after=60)
            try:
                out = self.kms().generate_data_key(KeyId=self.key_id, KeySpec="AES_256", EncryptionContext=CONTEXT)
            except ClientError as exc:
                raise ServiceUnavailable("the key service is unavailable; retry shortly", retry_after=5) from exc
            key = _DataKey(plain=out["Plaintext"], wrapped=out["CiphertextBlob"], created=now)
            self._current = key
            self._remember(key.wrapped, key.plain)
        key.uses += 1
        return key

    def _remember(self, wrapped: bytes, plain: bytes) -> None:
        self._decrypted[wrapped] = plain
        self._decrypted.move_to_end(wrapped)
        while len(self._decrypted) > DECRYPTED_KEYS:
            self._decrypted.popitem(last=False)

    def _unwrap(self, wrapped: bytes) -> bytes:
        with self._lock:
            plain = self._decrypted.get(wrapped)
            if plain is not None:
                self._decrypted.move_to_end(wrapped)
                return plain
        try:
            out = self.kms().decrypt(CiphertextBlob=wrapped, EncryptionContext=CONTEXT)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in ("InvalidCiphertextException", "IncorrectKeyException", "AccessDeniedException"):
                raise UnreadableField(f"the data key does not decrypt ({code})") from exc
            raise ServiceUnavailable("the key service is unavailable; retry shortly", retry_after=5) from exc
        plain = out["Plaintext"]
        with self._lock:
            self._remember(wrapped, plain)
        return bytes(plain)

    # -- values ------------------------------------------------------------------------------
    def seal(self, clear: str, field: str) -> Sealed:
        with self._lock:
            key = self._data_key()
        nonce = os.urandom(NONCE_BYTES)
        ct = AESGCM(key.plain).encrypt(nonce, clear.encode(), field.encode())
        return Sealed(v=VERSION, dk=_b64(key.wrapped), ct=_b64(nonce + ct))

    def reveal(self, stored: Sealed | dict[str, Any] | str | None, field: str) -> str:
        """The clear value: sealed values are decrypted, plain (pre-encryption) values returned as they are."""
        if stored is None:
            return ""
        if isinstance(stored, str):
            return stored
        sealed = stored if isinstance(stored, Sealed) else Sealed.model_validate(stored)
        try:
            wrapped, blob = _unb64(sealed.dk), _unb64(sealed.ct)
        except (binascii.Error, ValueError) as exc:
            raise UnreadableField("a sealed value is not valid base64") from exc
        plain = self._unwrap(wrapped)
        try:
            return AESGCM(plain).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], field.encode()).decode()
        except InvalidTag as exc:
            raise UnreadableField(f"the sealed {field} does not decrypt") from exc


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


def is_sealed(stored: Any) -> bool:
    return isinstance(stored, Sealed) or (isinstance(stored, dict) and stored.get("v") == VERSION)


@cache
def cipher() -> FieldCipher:
    """The container's cipher (data keys cached for its lifetime); KMS client created lazily."""
    from shared.store import aws

    return FieldCipher(get_settings().field_key_arn, lambda: aws.client("kms"))


def reset_cipher() -> None:
    """Forget cached data keys (tests switch between moto backends)."""
    cipher.cache_clear()


def seal(clear: str, field: str) -> Sealed:
    return cipher().seal(clear, field)


def reveal(stored: Sealed | dict[str, Any] | str | None, field: str) -> str:
    return cipher().reveal(stored, field)
