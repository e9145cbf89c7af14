"""Refusals the gateway makes before any function runs carry design.md §5's error body, locally (the
patched chalice local, ``infra/local/emulator/gateway.py``) and deployed (``x-amazon-apigateway-gateway-responses``)."""

from __future__ import annotations

import json

import pytest

from infra.local.emulator.gateway import gateway_refusal
from infra.package import AUTHORIZER_REASON, GATEWAY_RESPONSES, gateway_responses
from tests.support.api import Api


def _requests_logged(caplog: pytest.LogCaptureFixture) -> int:
    """How many requests the API function ran (``http_middleware`` logs one line each), since the last call."""
    count = sum(1 for record in caplog.records if record.getMessage() == "request")
    caplog.clear()
    return count


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


def test_a_forged_token_is_refused_401_before_the_api_function_runs(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    # Given a genuine HR token, and the same token with its payload swapped (the signature no longer matches)
    genuine = api.stack.tokens["hr"]
    header, _, signature = genuine.split(".")
    forged = f"{header}.{api.stack.forge(**{'cognito:groups': ['hr', 'it']}).split('.')[1]}.{signature}"
    caplog.set_level("INFO")
    caplog.clear()

    # When both call the same route
    allowed = api.call("GET", "/requisitions", role=None, headers={"Authorization": f"Bearer {genuine}"})
    ran_for_genuine = _requests_logged(caplog)
    refused = api.call("GET", "/requisitions", role=None, headers={"Authorization": f"Bearer {forged}"})
    ran_for_forged = _requests_logged(caplog)

    # Then the genuine one runs the API function (its request line is logged) and the forged one never does
    assert allowed.status_code == 200 and ran_for_genuine == 1
    assert ran_for_forged == 0
    # And the refusal is the documented 401 body, the authorizer's reason as message
    assert refused.status_code == 401
    assert refused.data["error"]["code"] == "unauthenticated" and refused.data["error"]["details"] == []
    assert "signature" in refused.data["error"]["message"]


def test_the_deployed_gateway_responses_are_the_same_error_bodies() -> None:
    # Given the gateway responses of the packaged API and a reason the authorizer gives
    responses = gateway_responses()
    context = {"reason": "the token has expired"}
    for kind, (status, code, _message) in GATEWAY_RESPONSES.items():
        template = responses[kind]["responseTemplates"]["application/json"]
        # When API Gateway renders the template with the authorizer's context
        rendered = json.loads(template.replace(AUTHORIZER_REASON, context["reason"]))
        # Then it is the body the local gateway answers, with the configured status
        assert responses[kind]["statusCode"] == status
        assert rendered == json.loads(gateway_refusal(kind, context)[1])
        assert rendered["error"]["code"] == code and rendered["error"]["details"] == []
    # And every status a client can meet at the gateway keeps the body; 429 says when to retry
    assert {s for s, _, _ in GATEWAY_RESPONSES.values()} >= {"401", "403", "404", "413", "415", "429"}
    assert responses["THROTTLED"]["responseParameters"]["gatewayresponse.header.Retry-After"] == "'1'"
    assert json.loads(gateway_refusal("ACCESS_DENIED", context)[1])["error"]["message"] == context["reason"]
