"""The HTTP edge (functions/http.py): the request plumbing ``api_route`` hands to handlers, and the one
table of HTTP statuses for domain errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from chalice.app import Blueprint, Request
from pydantic import BaseModel, ConfigDict

from functions.http import STATUS, Call, api_route, error_response, status_of
from shared.errors import Conflict, DomainError, ServiceUnavailable, UnsupportedMediaType, ValidationFailed
from shared.models.common import Request as RequestModel
from shared.security.tokens import Principal
from tests.support.settings import use_complete_settings


class Greeting(RequestModel):
    name: str


class Paging(BaseModel):
    model_config = ConfigDict(extra="forbid")
    limit: int = 10


def request(body: Any = None, content_type: str = "application/json", query: dict[str, str] | None = None) -> Request:
    return Request(
        {
            "multiValueQueryStringParameters": {k: [v] for k, v in (query or {}).items()} or None,
            "headers": {"content-type": content_type},
            "pathParameters": {},
            "requestContext": {"httpMethod": "POST", "resourcePath": "/x", "identity": {"sourceIp": "10.0.0.7"}},
            "body": None if body is None else json.dumps(body),
            "isBase64Encoded": False,
            "stageVariables": None,
        }
    )


HR = Principal(sub="s1", username="hr.demo", roles=frozenset({"hr"}))


@pytest.fixture(autouse=True)
def settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Reading a body checks its size against the settings."""
    yield from use_complete_settings(monkeypatch)


def test_the_body_is_validated_when_first_read_and_kept() -> None:
    # Given a call whose body is valid
    call: Call[Greeting, None] = Call(request({"name": "王芳"}), HR, Greeting)
    # When the handler reads it twice
    first, second = call.body, call.body
    # Then it is the declared model, parsed once
    assert isinstance(first, Greeting) and first.name == "王芳"
    assert first is second
    assert call.who is HR and call.source_ip == "10.0.0.7"


def test_an_invalid_body_says_nothing_until_the_handler_reads_it() -> None:
    # Given a body with an unknown field: building the call does not validate it
    call: Call[Greeting, None] = Call(request({"name": "x", "is_admin": True}), HR, Greeting)
    # When the handler reads it (after its own refusals, if any)
    with pytest.raises(ValidationFailed) as caught:
        _ = call.body
    # Then it is the 400 naming the field
    assert caught.value.message == "the request is not valid"
    assert [d["field"] for d in caught.value.details] == ["is_admin"]


def test_another_media_type_and_a_bad_query_are_refused_with_their_own_errors() -> None:
    call: Call[Greeting, Paging] = Call(request("x", "text/plain", {"limit": "many"}), HR, Greeting, Paging)
    with pytest.raises(UnsupportedMediaType):
        _ = call.body
    with pytest.raises(ValidationFailed) as caught:
        _ = call.query
    assert caught.value.message == "the query parameters are not valid"
    assert [d["field"] for d in caught.value.details] == ["limit"]


def test_a_public_call_has_no_principal() -> None:
    with pytest.raises(DomainError) as caught:
        _ = Call(request()).who
    assert status_of(caught.value) == 401


def test_a_handler_whose_annotation_names_other_models_is_refused_when_registered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("functions.http.ROUTE_DOCS", {})  # the app's route table stays as it is
    bp = Blueprint(__name__)

    # Given a route that declares a body and a handler typed for another one
    def wrong(call: Call[Paging, None]) -> Any:
        return call.body

    # When it is registered, then registration fails saying what the annotation must be
    with pytest.raises(TypeError, match=r"call: Call\[Greeting, None\]"):
        api_route(bp, "/wrong", methods=["POST"], body=Greeting)(wrong)

    # And a route without body or query takes a bare Call, while one with a query must name it
    def bare(call: Call) -> Any:
        return None

    api_route(bp, "/bare", methods=["GET"])(bare)
    with pytest.raises(TypeError, match=r"call: Call\[None, Paging\]"):
        api_route(bp, "/paged", methods=["GET"], query=Paging)(bare)


def test_every_domain_error_has_one_status_and_a_new_kind_answers_as_its_base() -> None:
    # Given the errors the product raises, each answers with its status and the error body
    assert {kind.__name__: code for kind, code in STATUS.items()} == {
        "DomainError": 400,
        "ValidationFailed": 400,
        "Unauthenticated": 401,
        "Forbidden": 403,
        "MfaRequired": 403,
        "NotFound": 404,
        "Conflict": 409,
        "PayloadTooLarge": 413,
        "UnsupportedMediaType": 415,
        "TooManyRequests": 429,
        "ServiceUnavailable": 503,
    }

    class StaleVersion(Conflict):
        code = "stale_version"

    # When a kind not in the table is raised, then it answers as its base class with its own code
    response = error_response(StaleVersion("changed meanwhile", [{"field": "version"}]))
    assert response.status_code == 409
    assert response.body == {
        "error": {"code": "stale_version", "message": "changed meanwhile", "details": [{"field": "version"}]}
    }
    busy = error_response(ServiceUnavailable("busy", retry_after=7))
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "7"
