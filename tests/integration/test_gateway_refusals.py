"""Refusals the gateway makes before any function runs carry design.md §5's error body, locally (the
patched chalice local, ``infra/local/emulator/gateway.py``) and deployed (``x-amazon-apigateway-gateway-responses``)."""

from __future__ import annotations

import json

from infra.local.emulator.gateway import gateway_refusal
from infra.package import GATEWAY_RESPONSES, gateway_responses
from tests.support.api import Api


def test_no_token_is_401_with_the_error_body(api: Api) -> None:
    # When a route behind the authorizer is called without a token (found by the fuzzer's negative cases)
    response = api.call("GET", "/requisitions", role=None)
    # Then the body is the error body, not API Gateway's default {"message": "Unauthorized"}
    assert response.status_code == 401
    assert response.data == {
        "error": {"code": "unauthenticated", "message": "Missing or invalid credentials.", "details": []}
    }


def test_an_unknown_route_is_404_with_the_error_body(api: Api) -> None:
    response = api.call("GET", "/no-such-route")
    assert response.status_code == 404
    assert response.data["error"]["code"] == "not_found" and response.data["error"]["details"] == []


def test_a_path_parameter_holding_a_newline_reaches_the_function(api: Api) -> None:
    # Given a valid token and an id with a newline in it (chalice local's ARN match used to refuse it 403)
    response = api.call("GET", "/applications/a%0Ab")
    # Then the function answers: no such application
    assert response.status_code == 404, response.data
    assert response.data["error"]["code"] == "not_found"


def test_the_deployed_gateway_responses_are_the_same_error_bodies() -> None:
    responses = gateway_responses()
    for kind, (status, code, _message) in GATEWAY_RESPONSES.items():
        body = json.loads(responses[kind]["responseTemplates"]["application/json"])
        assert responses[kind]["statusCode"] == status
        assert body == json.loads(gateway_refusal(kind)[1])
        assert body["error"]["code"] == code and body["error"]["details"] == []
