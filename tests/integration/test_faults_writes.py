"""A DynamoDB fault on every write route: with ``ProvisionedThroughputExceededException`` on every
DynamoDB write operation (persistent: it outlives the client's retries), a write route answers 503 with
``Retry-After`` and the error body, never a 500, and the table is exactly as before (scan before /
after). Two tests: every write route of the app's route table (generated, like the access matrix),
and a list of valid requests across the features, each of which would have written."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import boto3
import pytest

from app import app as chalice_app
from shared.settings import get_settings
from tests.support.access import vendor_signed
from tests.support.api import Api
from tests.support.assessments import base
from tests.support.background import ORDER
from tests.support.bodies import ASSESSMENT_REASON, COURSE, CYCLE, ERASURE_REASON, NEGOTIATION, QUESTION
from tests.support.employees import seed_hires
from tests.support.faults import Faults, installed
from tests.support.hiring import SAMPLE, at_background_check, at_stage, evaluated_app, make, new_app, offer_body
from tests.support.ids import person
from tests.support.probation import FAST, hire
from tests.support.stack import REGION
from tests.support.webhooks import canonical, signed

WRITES = ("PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem")
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


@pytest.fixture
def faults(stack: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Faults]:
    f = installed(monkeypatch)
    yield f
    f.clear()


def snapshot() -> list[dict[str, Any]]:
    """Every item of the product's table (paginated scan), in a stable order."""
    ddb = boto3.client("dynamodb", region_name=REGION)
    items: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"TableName": get_settings().table_name}
    while True:
        page = ddb.scan(**kwargs)
        items += page["Items"]
        if "LastEvaluatedKey" not in page:
            break
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    return sorted(items, key=lambda i: (i["pk"]["S"], i["sk"]["S"]))


def fail_every_write(faults: Faults) -> None:
    for op in WRITES:
        faults.inject("dynamodb", op, "throttle")


def write_routes() -> list[tuple[str, str]]:
    return sorted((m, p) for p, methods in chalice_app.routes.items() for m in methods if m in WRITE_METHODS)


def assert_unavailable_or_refused(response: Any, where: str) -> None:
    """Never a 500; a 5xx is a 503 with Retry-After and design.md §5's error body."""
    assert response.status_code != 500, (where, response.data)
    if response.status_code >= 500:
        assert response.status_code == 503, (where, response.status_code)
        assert int(response.headers["Retry-After"]) > 0, where
        assert set(response.data) == {"error"} and response.data["error"]["code"] == "service_unavailable", where


def test_every_write_route_under_a_persistent_dynamodb_fault_is_never_500_and_writes_nothing(
    api: Api, faults: Faults
) -> None:
    # Given objects for the routes' ids (a requisition, an application with an AI result, a hire)
    req_id = str(make(api).data["id"])
    app_id = str(new_app(api, req_id)["id"])
    (employee,) = seed_hires(req_id, "零售金融部", [date(2026, 1, 5)], "wf")
    ids = {"requisition_id": req_id, "application_id": app_id, "candidate_id": app_id, "employee_id": employee}
    routes = write_routes()
    assert len(routes) >= 40
    statuses: dict[int, int] = {}
    for method, template in routes:
        path = template.format_map(_Ids(ids))
        # When DynamoDB refuses every write and the route is called (HR; a vendor's signature on webhooks)
        before = snapshot()
        fail_every_write(faults)
        if template.startswith("/webhooks/"):
            headers, raw = vendor_signed(template, {})
            response = api.call(method, path, role=None, headers=headers, raw=raw)
        else:
            response = api.call(method, path, body={})
        faults.clear()
        # Then it is never a 500, a 5xx is a 503 with Retry-After, and the table is unchanged
        assert_unavailable_or_refused(response, f"{method} {template}")
        assert snapshot() == before, f"{method} {template} changed the table"
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    assert 500 not in statuses


class _Ids(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "does-not-exist"


Case = tuple[str, str, str, Any, dict[str, str] | None, bytes | None]  # method, path, role, body, headers, raw


def valid_requests(api: Api) -> list[Case]:
    """Valid requests across the features, each of which writes when DynamoDB takes it."""
    req_id = str(make(api).data["id"])
    screened = str(new_app(api, req_id, 1)["id"])
    unassigned = str(new_app(api, req_id, 2)["id"])
    fresh = str(new_app(api, req_id, 3)["id"])
    evaluated = str(evaluated_app(api, req_id, 4)["id"])
    ready = at_background_check(api, req_id, 5)
    with_offer = at_background_check(api, req_id, 6)
    offer_id = api.call("POST", f"/applications/{with_offer}/offers", body=offer_body()).data["id"]
    second = str(new_app(api, req_id, 7)["id"])
    at_stage(api, second, "shortlisted", "second_interview")
    hire("wf-p")
    (employee,) = seed_hires(req_id, "零售金融部", [date(2026, 1, 5)], "wd")
    result_raw, result_headers = _signed_result(req_id, fresh)
    return [
        ("POST", "/requisitions", "hr", SAMPLE, None, None),
        ("POST", f"/requisitions/{req_id}/applications", "hr", person(9), None, None),
        (
            "POST",
            f"/applications/{screened}/transitions",
            "hr",
            {"to": "shortlisted", "reason": "笔试优秀"},
            None,
            None,
        ),
        ("PUT", f"/applications/{unassigned}/interviewers", "hr", {"usernames": ["interviewer.demo"]}, None, None),
        ("POST", f"/applications/{evaluated}/background-checks", "hr", ORDER, None, None),
        ("POST", f"/applications/{ready}/offers", "hr", offer_body(), None, None),
        (
            "POST",
            f"/applications/{with_offer}/offers/{offer_id}/approvals",
            "manager",
            {"decision": "approve"},
            None,
            None,
        ),
        (
            "POST",
            base(second),
            "manager",
            {"reason": ASSESSMENT_REASON, "assessment": NEGOTIATION},
            None,
            None,
        ),
        ("DELETE", f"/candidates/{screened}", "hr", ERASURE_REASON, None, None),
        ("POST", "/employees/wf-p/probation/confirm", "hr", {"durations": {**FAST, "check_in": 3600}}, None, None),
        (
            "POST",
            f"/employees/{employee}/departure",
            "hr",
            {"date": "2026-06-30", "reason_code": "resigned", "reason": "个人发展原因主动离职"},
            None,
            None,
        ),
        ("POST", "/courses", "hr", COURSE, None, None),
        ("POST", "/question-bank", "hr", QUESTION, None, None),
        ("POST", "/performance/cycles", "hr", CYCLE, None, None),
        ("POST", "/webhooks/interview-results", "", None, result_headers, result_raw),
    ]


def _signed_result(req_id: str, app_id: str) -> tuple[bytes, dict[str, str]]:
    headers, raw = signed(canonical(req_id, application_id=app_id))
    return raw, headers


def test_valid_writes_across_the_features_are_503_under_a_dynamodb_fault_and_succeed_after(
    api: Api, faults: Faults
) -> None:
    cases = valid_requests(api)
    assert len(cases) >= 12
    for method, path, role, body, headers, raw in cases:
        # Given the table as it is, and DynamoDB refusing every write
        before = snapshot()
        fail_every_write(faults)
        # When the valid request is sent
        response = _send(api, method, path, role, body, headers, raw)
        faults.clear()
        # Then 503 with Retry-After and the error body, after bounded retries; the table is unchanged
        where = f"{method} {path}"
        assert response.status_code == 503, (where, response.status_code, response.data)
        assert_unavailable_or_refused(response, where)
        assert snapshot() == before, f"{where} changed the table"
        # And once DynamoDB is back the same request succeeds: nothing was half-written
        again = _send(api, method, path, role, body, headers, raw)
        assert again.status_code in (200, 201), (where, again.status_code, again.data)
    writes = sum(v for k, v in faults.injected.items() if k.startswith("dynamodb."))
    assert writes >= len(cases) * 5  # every refused write was retried (1 + 4 retries) before the 503


def _send(
    api: Api, method: str, path: str, role: str, body: Any, headers: dict[str, str] | None, raw: bytes | None
) -> Any:
    if raw is not None:
        return api.call(method, path, role=None, headers=headers, raw=raw)
    return api.call(method, path, role=role, body=body)
