"""Requisitions: creation by HR, validation naming the field, department scoping, pagination, status."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.support.api import Api
from tests.support.hiring import SAMPLE, make
from tests.support.ids import person


def test_hr_creates_and_reads_a_requisition(api: Api) -> None:
    # When HR creates the sample requisition
    created = make(api)
    # Then it is stored with an id and read back unchanged
    assert created.status_code == 201
    got = api.call("GET", f"/requisitions/{created.data['id']}")
    assert got.status_code == 200
    assert got.data["title"] == SAMPLE["title"]
    assert got.data["required_keywords"][0]["aliases"] == SAMPLE["required_keywords"][0]["aliases"]
    assert got.data["shortlist_ratio"] == 0.3
    assert got.data["created_by"] == "hr.demo"


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"headcount": 0}, "headcount", "greater than or equal to 1"),
        ({"role_family": "astronaut"}, "role_family", "customer_manager"),
        ({"dimension_weights": {"logic": 0.5, "expression": 0.4}}, "dimension_weights", "sum to 1"),
        ({"competency_bar": {"logic": 120}}, "competency_bar", "between 0 and 100"),
        ({"competency_bar": {"innovation": 60}}, "body", "without a weight"),
        ({"salary_band": {"min": 300000, "max": 100000}}, "salary_band", "min must not exceed max"),
        ({"colour": "blue"}, "colour", "Extra inputs are not permitted"),
        ({"shortlist_ratio": 0}, "shortlist_ratio", "greater than 0"),
        ({"title": ""}, "title", "at least 1 character"),
    ],
)
def test_invalid_requisition_is_400_naming_the_field_and_stores_nothing(
    api: Api, changes: dict[str, Any], field: str, fragment: str
) -> None:
    # When HR sends a requisition with one bad field
    response = make(api, **changes)
    # Then 400 names the field and the reason
    assert response.status_code == 400, response.data
    details = response.data["error"]["details"]
    assert any(d["field"].startswith(field) and fragment in d["message"] for d in details), details
    # And nothing was stored
    assert api.call("GET", "/requisitions").data["items"] == []


def test_malformed_json_and_wrong_media_type(api: Api) -> None:
    bad = api.call("POST", "/requisitions", raw=b'{"title": ')
    assert bad.status_code == 400
    assert "line 1" in bad.data["error"]["details"][0]["message"]
    not_object = api.call("POST", "/requisitions", raw=b"[1, 2]")
    assert not_object.status_code == 400
    wrong_type = api.call("POST", "/requisitions", raw=b"title=x", headers={"Content-Type": "text/plain"})
    assert wrong_type.status_code == 415


def test_oversize_body_is_413(api: Api) -> None:
    body = copy.deepcopy(SAMPLE)
    body["title"] = "x" * (1_100_000)
    assert api.call("POST", "/requisitions", body=body).status_code == 413


def test_only_hr_creates(api: Api) -> None:
    for role in ("manager", "interviewer", "it"):
        response = api.call("POST", "/requisitions", role=role, body=SAMPLE)
        assert response.status_code == 403, role
        assert response.data["error"]["code"] == "forbidden"


def test_manager_sees_only_own_department(api: Api) -> None:
    # Given requisitions in two departments
    own = make(api).data["id"]
    other = make(api, department="风险管理部", role_family="risk_manager").data["id"]
    # When the retail manager lists and reads
    listed = api.call("GET", "/requisitions", role="manager").data["items"]
    # Then only their own department appears, and the other is forbidden
    assert [r["id"] for r in listed] == [own]
    assert api.call("GET", f"/requisitions/{own}", role="manager").status_code == 200
    assert api.call("GET", f"/requisitions/{other}", role="manager").status_code == 403
    assert api.call("GET", "/requisitions?department=风险管理部", role="manager").status_code == 403
    # And HR filters by department
    hr_view = api.call("GET", "/requisitions?department=风险管理部").data["items"]
    assert [r["id"] for r in hr_view] == [other]


def test_pagination_returns_every_item_once(api: Api) -> None:
    ids = {make(api, title=f"岗位 {i}").data["id"] for i in range(5)}
    seen: list[str] = []
    token = None
    for _ in range(10):
        path = "/requisitions?limit=2" + (f"&next_token={token}" if token else "")
        page = api.call("GET", path).data
        seen += [r["id"] for r in page["items"]]
        token = page["next_token"]
        if not token:
            break
    assert sorted(seen) == sorted(ids)
    assert api.call("GET", "/requisitions?next_token=garbage!").status_code == 400
    assert api.call("GET", "/requisitions?limit=0").status_code == 400


def test_idempotency_key_replays_and_detects_a_different_body(api: Api) -> None:
    # Given a creation with an Idempotency-Key
    first = api.call("POST", "/requisitions", body=SAMPLE, headers={"Idempotency-Key": "req-001"})
    # When the same request is retried
    again = api.call("POST", "/requisitions", body=SAMPLE, headers={"Idempotency-Key": "req-001"})
    # Then the same requisition comes back and only one exists
    assert first.status_code == again.status_code == 201
    assert again.data["id"] == first.data["id"]
    assert len(api.call("GET", "/requisitions").data["items"]) == 1
    # And the key with another body is a conflict
    changed = dict(SAMPLE, headcount=5)
    assert api.call("POST", "/requisitions", body=changed, headers={"Idempotency-Key": "req-001"}).status_code == 409


def test_hr_puts_a_requisition_on_hold_reopens_and_closes_it_with_reasons_audited(api: Api) -> None:
    # Given a new requisition: open, nothing filled
    req = make(api).data
    assert (req["status"], req["filled_count"]) == ("open", 0)
    url = f"/requisitions/{req['id']}/status"
    # When HR puts it on hold with a reason
    held = api.call("POST", url, body={"status": "on_hold", "reason": "编制调整中", "expected_version": 1})
    # Then it is on hold with the reason, and the change is audited
    assert held.status_code == 200, held.data
    assert (held.data["status"], held.data["status_reason"], held.data["version"]) == ("on_hold", "编制调整中", 2)
    audit = api.call("GET", f"/audit?subject=requisition:{req['id']}").data["items"]
    changes = [a for a in audit if a["action"] == "requisition.status"]
    assert changes[0]["details"] == {"from": "open", "to": "on_hold", "reason": "编制调整中"}
    # When HR writes with a stale version, or sets filled (derived, never set), it is refused
    stale = api.call("POST", url, body={"status": "open", "reason": "x", "expected_version": 1})
    assert stale.status_code == 409
    filled = api.call("POST", url, body={"status": "filled", "reason": "x"})
    assert filled.status_code == 400 and filled.data["error"]["details"][0]["field"] == "status"
    # When HR closes it, then it stays closed and takes no application
    assert api.call("POST", url, body={"status": "closed", "reason": "岗位取消"}).data["status"] == "closed"
    reopen = api.call("POST", url, body={"status": "open", "reason": "重新开放"})
    assert reopen.status_code == 409 and "stays closed" in reopen.data["error"]["message"]
    applied = api.call("POST", f"/requisitions/{req['id']}/applications", body=person(1))
    assert applied.status_code == 409 and "closed" in applied.data["error"]["message"]


def test_only_hr_changes_a_requisitions_status(api: Api) -> None:
    req_id = make(api).data["id"]
    body = {"status": "on_hold", "reason": "编制调整中"}
    for role in ("manager", "interviewer", "it"):
        assert api.call("POST", f"/requisitions/{req_id}/status", role=role, body=body).status_code == 403
    assert api.call("GET", f"/requisitions/{req_id}").data["status"] == "open"
    assert api.call("POST", "/requisitions/nope/status", body=body).status_code == 404
