"""Conversion between plain JSON-like dicts and DynamoDB's typed attribute values, and page tokens."""

from __future__ import annotations

import base64
import binascii
import json
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from shared.domain.json_input import number_problem
from shared.errors import ValidationFailed

_ser = TypeSerializer()
_de = TypeDeserializer()


def _to_dynamo(value: Any, path: str = "") -> Any:
    """Floats as ``Decimal``; a number DynamoDB cannot store (NaN, infinite, magnitude outside
    1E-130 … 9.99E+125, more than 38 digits) is a 400 naming the attribute, not a boto3 error."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        problem = "the number is not finite" if not number.is_finite() else number_problem(number)
        if problem:
            raise ValidationFailed("a number is out of range", [{"field": path or "body", "message": problem}])
        return number if isinstance(value, float) else value
    if isinstance(value, dict):
        return {k: _to_dynamo(v, f"{path}.{k}" if path else str(k)) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_to_dynamo(v, f"{path}.{i}") for i, v in enumerate(value)]
    return value


def _from_dynamo(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _from_dynamo(v) for k, v in value.items()}
    if isinstance(value, list | set):
        return [_from_dynamo(v) for v in value]
    return value


def serialize(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _ser.serialize(v) for k, v in _to_dynamo(item).items()}


def deserialize(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _from_dynamo(_de.deserialize(v)) for k, v in item.items()}


def value(v: Any) -> Any:
    return _ser.serialize(_to_dynamo(v))


def encode_token(last_key: dict[str, Any] | None) -> str | None:
    if not last_key:
        return None
    raw = json.dumps(deserialize(last_key), separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(token: str | None, allowed_keys: set[str]) -> dict[str, Any] | None:
    if not token:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        data = json.loads(raw)
    except (binascii.Error, ValueError) as exc:
        raise ValidationFailed(
            "next_token is not valid", [{"field": "next_token", "message": "not a token this API issued"}]
        ) from exc
    if (
        not isinstance(data, dict)
        or not data
        or not set(data) <= allowed_keys
        or not all(isinstance(v, str) for v in data.values())
    ):
        raise ValidationFailed(
            "next_token is not valid", [{"field": "next_token", "message": "not a token this API issued"}]
        )
    return serialize(data)
