"""Bodies the fuzzer found reaching a 500 (see docs/security.md, "Bad input"): now 400s that change nothing."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from tests.support.api import Api
from tests.support.stack import REGION

COURSE = {
    "title_zh": "沟通技巧",
    "title_en": "Communication",
    "description_zh": "课程",
    "description_en": "A course",
    "dimension": "logic",
    "format": "online",
}


def table_items(stack: Any) -> int:
    ddb = boto3.client("dynamodb", region_name=REGION)
    return len(ddb.scan(TableName=stack.env["TABLE_NAME"])["Items"])  # test-only inspection


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        # found by schemathesis: a positive example, 5e-324 is a valid float > 0 (decimal.Underflow in boto3)
        (b'"hours": 5e-324', "the body holds a number out of range"),
        # the same through pydantic's text-to-float coercion, so only the store sees it
        (b'"hours": "1e-200"', "a number is out of range"),
        (b'"hours": NaN', "the body is not valid JSON"),
    ],
)
def test_a_number_dynamodb_cannot_store_is_400_naming_it_and_stores_nothing(
    api: Api, stack: Any, raw: bytes, message: str
) -> None:
    # Given a course body whose hours DynamoDB cannot represent
    import json

    body = json.dumps(COURSE)[:-1].encode() + b", " + raw + b"}"
    before = table_items(stack)
    # When HR adds the course
    response = api.call("POST", "/courses", raw=body)
    # Then it is 400 naming hours, and nothing was written
    assert response.status_code == 400, response.data
    assert response.data["error"]["message"] == message
    assert response.data["error"]["details"][0]["field"] in ("hours", "body")
    assert table_items(stack) == before


def test_a_deeply_nested_body_is_400_on_any_route(api: Api, stack: Any) -> None:
    before = table_items(stack)
    response = api.call("POST", "/courses", raw=b"[" * 10_000 + b"]" * 10_000)
    assert response.status_code == 400
    assert response.data["error"]["message"] == "the body is nested too deeply"
    assert table_items(stack) == before
