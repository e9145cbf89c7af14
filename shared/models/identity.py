"""Chinese resident identity numbers (GB 11643-1999) and masking of personal data."""

from __future__ import annotations

import re
import unicodedata

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")


def normalise_national_id(raw: str) -> str:
    return unicodedata.normalize("NFKC", raw).strip().upper()


def national_id_problem(raw: str) -> str | None:
    """Why ``raw`` is not a valid 18-digit resident identity number, or None when it is."""
    value = normalise_national_id(raw)
    if not _ID_RE.match(value):
        return "must be 17 digits followed by a digit or X"
    total = sum(int(d) * w for d, w in zip(value[:17], _WEIGHTS, strict=True))
    if _CHECK[total % 11] != value[17]:
        return "check digit does not match"
    return None


def mask_national_id(value: str) -> str:
    return value[:3] + "*" * 11 + value[-4:] if len(value) >= 8 else "*" * len(value)


def mask_phone(value: str) -> str:
    digits = value.strip()
    return digits[:3] + "****" + digits[-4:] if len(digits) >= 8 else "*" * len(digits)


def mask_email(value: str) -> str:
    local, _, domain = value.partition("@")
    return (local[:1] + "***@" + domain) if domain else "***"
