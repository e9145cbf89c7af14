"""One business event followed across functions by the ``correlation_id`` of its log lines, each
line carrying the Lambda context of the function that wrote it (``functions/observability.py``)."""

from __future__ import annotations

from tests.support.api import Api
from tests.support.hiring import deliver, new_app
from tests.support.logs import structured_logs
from tests.support.webhooks import canonical


def test_one_webhook_delivery_is_followed_from_the_request_to_the_stream_consumer(api: Api, req_id: str) -> None:
    # Given an application the vendor has interviewed
    app = new_app(api, req_id)
    with structured_logs() as lines:
        # When the vendor delivers its result and the table stream's consumer applies it
        response = deliver(api, canonical(req_id, application_id=app["id"]), webhook_id="msg_followed", settle=False)
        assert response.status_code == 200
        assert api.settle() == 1

    # Then the delivery's lines in both functions carry its webhook-id as correlation id
    followed = [line for line in lines if line.get("correlation_id") == "msg_followed"]
    by_function = {line["function_name"]: line["message"] for line in followed}
    assert by_function.get("api_handler") in {"interview result", "request"}
    assert by_function.get("project_results") == "interview result applied"
    # and each line names the function, its request id and whether it was a cold start
    for line in followed:
        assert line["function_request_id"] and isinstance(line["cold_start"], bool)
    stream_line = next(line for line in followed if line["function_name"] == "project_results")
    assert stream_line["outcome"] == "applied"


def test_each_request_has_its_own_correlation_id(api: Api, req_id: str) -> None:
    # When two requests are made
    with structured_logs() as lines:
        api.call("GET", f"/requisitions/{req_id}")
        api.call("GET", f"/requisitions/{req_id}")
    # Then their request lines carry two different correlation ids (the API Gateway request ids)
    ids = [line.get("correlation_id") for line in lines if line["message"] == "request"]
    assert len(ids) == 2 and all(ids) and ids[0] != ids[1]
