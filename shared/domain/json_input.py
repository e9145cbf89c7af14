"""Untrusted JSON bodies parsed safely: every problem is a 400 naming it, never a 500.

``json.loads`` alone lets through what later fails deep inside the product: nesting thousands of
levels deep (a ``RecursionError`` in the parser or in pydantic), ``NaN`` / ``Infinity`` (not JSON,
but Python accepts them), and numbers DynamoDB cannot store (magnitudes outside 1E-130 … 9.99E+125,
more than 38 significant digits — boto3 raises ``decimal.Underflow`` / ``Overflow`` / ``Inexact``
when the item is written). Bodies are checked for all of these before any model sees them.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from shared.errors import ValidationFailed

MAX_DEPTH = 32  # objects / arrays inside each other; no request or vendor payload nests more than 6
SMALLEST = Decimal("1E-130")  # DynamoDB's number range
LARGEST = Decimal("9.9999999999999999999999999999999999999E+125")
MAX_DIGITS = 38


def nesting_depth(text: str, limit: int = MAX_DEPTH) -> int:
    """How deeply objects and arrays nest, counted without recursion (stops counting past ``limit``)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    return deepest
        elif char in "]}":
            depth -= 1
    return deepest


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def number_problem(value: Decimal) -> str | None:
    """Why DynamoDB could not store ``value`` exactly (``None`` if it can)."""
    if value != 0 and not SMALLEST <= abs(value) <= LARGEST:
        return "the number is outside the range 1E-130 to 9.99E+125 (in magnitude)"
    if len(value.as_tuple().digits) > MAX_DIGITS:
        return f"the number has more than {MAX_DIGITS} significant digits"
    return None


def _check_numbers(value: Any, path: str) -> None:
    if isinstance(value, bool):
        return
    if isinstance(value, int | float):
        problem = number_problem(Decimal(repr(value)) if isinstance(value, float) else Decimal(value))
        if problem:
            raise ValidationFailed("the body holds a number out of range", [{"field": path, "message": problem}])
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_numbers(item, f"{path}.{key}" if path != "body" else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_numbers(item, f"{path}.{index}")


def parse_json(raw: bytes | str) -> Any:
    """The JSON value of a request body, or ``ValidationFailed`` saying what is wrong with it."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as exc:
        raise ValidationFailed("the body is not UTF-8 text", [{"field": "body", "message": str(exc)}]) from exc
    depth = nesting_depth(text)
    if depth > MAX_DEPTH:
        raise ValidationFailed(
            "the body is nested too deeply",
            [{"field": "body", "message": f"objects and arrays nest more than {MAX_DEPTH} levels deep"}],
        )
    try:
        data = json.loads(text or "null", parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        raise ValidationFailed(
            "the body is not valid JSON",
            [{"field": "body", "message": f"{exc.msg} at line {exc.lineno} column {exc.colno}"}],
        ) from exc
    except ValueError as exc:  # NaN, Infinity; integers too long for the parser
        raise ValidationFailed("the body is not valid JSON", [{"field": "body", "message": str(exc)}]) from exc
    _check_numbers(data, "body")
    return data


def parse_json_object(raw: bytes | str) -> dict[str, Any]:
    data = parse_json(raw)
    if not isinstance(data, dict):
        raise ValidationFailed("the body must be a JSON object", [{"field": "body", "message": "expected an object"}])
    return data
