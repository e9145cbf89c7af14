"""Untrusted JSON: every way a body could reach a 500 is a 400 naming the problem."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shared.domain.json_input import MAX_DEPTH, nesting_depth, number_problem, parse_json, parse_json_object
from shared.errors import ValidationFailed
from shared.store.items import serialize


def refusal(raw: bytes | str) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught:
        parse_json(raw)
    return caught.value


def test_ten_thousand_levels_of_brackets_are_refused_before_the_parser_recurses() -> None:
    # Given 10,000 nested arrays (json.loads would raise RecursionError)
    # When / Then it is a 400 that says the body is nested too deeply
    error = refusal(b"[" * 10_000 + b"]" * 10_000)
    assert error.message == "the body is nested too deeply" and str(MAX_DEPTH) in error.details[0]["message"]
    assert refusal(b'{"a":' * 5_000 + b"1" + b"}" * 5_000).message == "the body is nested too deeply"


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    # Given text full of brackets and escaped quotes inside one string
    text = '{"note": "' + "[{" * 1_000 + '\\"]}"}'
    # Then the depth is 1 and the body parses
    assert nesting_depth(text) == 1
    assert parse_json_object(text) == {"note": "[{" * 1_000 + '"]}'}


@pytest.mark.parametrize("raw", [b'{"x": NaN}', b'{"x": Infinity}', b'{"x": -Infinity}'])
def test_nan_and_infinity_are_not_json(raw: bytes) -> None:
    assert refusal(raw).message == "the body is not valid JSON"


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (b'{"hours": 5e-324}', "hours"),
        (b'{"a": {"b": [1, 1e200]}}', "a.b.1"),
        (b'{"version": 123456789012345678901234567890123456789}', "version"),
    ],
)
def test_numbers_dynamodb_cannot_store_are_refused_naming_the_field(raw: bytes, field: str) -> None:
    error = refusal(raw)
    assert error.message == "the body holds a number out of range"
    assert error.details[0]["field"] == field


def test_ordinary_numbers_pass() -> None:
    assert parse_json(b'{"a": 0, "b": -0.5, "c": 1e-130, "d": 9.9e125, "e": true}') == {
        "a": 0,
        "b": -0.5,
        "c": 1e-130,
        "d": 9.9e125,
        "e": True,
    }
    assert number_problem(Decimal("85.5")) is None


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"\xff\xfe{}", "the body is not UTF-8 text"),
        (b'{"a": 1', "the body is not valid JSON"),
        (b"[1, 2]", "the body must be a JSON object"),
        (b'"text"', "the body must be a JSON object"),
        (b"", "the body must be a JSON object"),
    ],
)
def test_other_bad_bodies_say_what_is_wrong(raw: bytes, message: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_json_object(raw)
    assert caught.value.message == message


@pytest.mark.parametrize("value", [5e-324, 1e-200, 1e200, float("nan"), float("inf"), 10**40])
def test_the_store_refuses_a_number_it_cannot_write_naming_the_attribute(value: float) -> None:
    # Given a number that reached an item another way (e.g. text a model coerced to a float)
    # When / Then serialising the item is a 400 naming the attribute, not a decimal.Underflow
    with pytest.raises(ValidationFailed) as caught:
        serialize({"pk": "COURSE#1", "details": {"hours": value}})
    assert caught.value.details[0]["field"] == "details.hours"
