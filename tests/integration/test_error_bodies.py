"""Every 4xx our code or Chalice produces carries design.md §5's error body (the gateway's own
refusals: ``test_gateway_refusals.py``)."""

from __future__ import annotations

from tests.support.api import Api
from tests.support.fuzz import error_body_problem


def test_another_media_type_is_415_with_the_error_body_naming_the_header(api: Api) -> None:
    # When a creating POST is sent as text/plain (Chalice refuses it before the view runs)
    response = api.call("POST", "/requisitions", headers={"Content-Type": "text/plain"}, raw=b"x")
    # Then it is 415 in the error body, not Chalice's {"Code": ..., "Message": ...}
    assert response.status_code == 415
    assert error_body_problem(415, response.body) is None, response.data
    assert response.data["error"]["code"] == "unsupported_media_type"
    assert response.data["error"]["details"] == [
        {"field": "Content-Type", "message": "the body must be application/json"}
    ]


def test_a_method_the_route_lacks_is_405_with_the_error_body(api: Api) -> None:
    # When a route is called with a method it does not have
    response = api.call("PATCH", "/requisitions", body={})
    # Then Chalice's 405 keeps its Allow header and carries the error body
    assert response.status_code == 405
    assert error_body_problem(405, response.body) is None, response.data
    assert response.data["error"]["code"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]


def test_a_binary_download_without_its_accept_is_400_with_the_error_body(api: Api) -> None:
    # When an XLSX export is asked for without an Accept naming a binary type (Chalice refuses to send
    # a binary body the caller did not accept)
    response = api.call("GET", "/analytics/attrition-bands?format=xlsx", headers={"Accept": "application/json"})
    # Then it is 400 in the error body, naming the header
    assert response.status_code == 400
    assert error_body_problem(400, response.body) is None, response.body
    assert response.data["error"]["details"] == [{"field": "Accept", "message": "name the download's media type"}]
