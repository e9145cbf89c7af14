"""The audit trail: sensitive reads and changes leave who / what / when / from where; HR reads it
through GET /audit?subject=…; nothing in the API can change or delete an audit record."""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any

from app import app as chalice_app
from functions.routing import route_docs
from shared.services.audit import SENSITIVE_READS
from tests.support.api import Api
from tests.support.hiring import at_background_check, offer_body
from tests.support.ids import person

ROOT = Path(__file__).resolve().parents[2]


def trail(api: Api, subject: str) -> list[dict[str, Any]]:
    response = api.call("GET", f"/audit?subject={subject}")
    assert response.status_code == 200, response.data
    return list(response.data["items"])


def test_background_results_and_offer_salary_reads_are_audited(api: Api, req_id: str) -> None:
    # Given an application with a completed background check (credit included) and an offer
    app_id = at_background_check(api, req_id)
    offer = api.call("POST", f"/applications/{app_id}/offers", body=offer_body()).data
    # When the department's manager reads the background results and the offer with its salary
    assert api.call("GET", f"/applications/{app_id}/background-checks", role="manager").status_code == 200
    got = api.call("GET", f"/applications/{app_id}/offers/{offer['id']}", role="manager")
    assert got.data["annual_salary"] > 0
    assert api.call("GET", f"/applications/{app_id}/offers", role="manager").status_code == 200
    # Then each read has a record: who, what, when, from where
    records = trail(api, f"application:{app_id}")
    reads = [r for r in records if r["action"] in SENSITIVE_READS]
    assert [r["action"] for r in reads] == ["offer.read", "offer.read", "background_check.read"]
    for record in reads:
        assert record["actor"] == "manager.demo" and record["at"] and "source_ip" in record
    assert reads[0]["details"]["offer_ids"] == [offer["id"]]
    assert reads[2]["details"]["check_ids"] == ["bgc1"]
    # And a refused read leaves no read record (nothing was read)
    assert api.call("GET", f"/applications/{app_id}/offers", role="manager2").status_code == 403
    assert len([r for r in trail(api, f"application:{app_id}") if r["action"] in SENSITIVE_READS]) == 3


def test_changes_are_audited_with_actor_and_time(api: Api, req_id: str) -> None:
    # Given an application HR creates, when HR assigns interviewers and moves its stage
    app_id = api.call("POST", f"/requisitions/{req_id}/applications", body=person(1)).data["id"]
    assert (
        api.call("PUT", f"/applications/{app_id}/interviewers", body={"usernames": ["interviewer.demo"]}).status_code
        == 200
    )
    # Then the trail names who changed what, and when
    records = trail(api, f"application:{app_id}")
    assert {r["actor"] for r in records} >= {"hr.demo"}
    assert all(r["at"] and r["action"] for r in records)
    assert len(records) >= 2  # created, interviewers assigned
    # And the requisition's creation is in its own trail
    assert any(r["actor"] == "hr.demo" for r in trail(api, f"requisition:{req_id}"))


def test_only_hr_reads_the_trail(api: Api, req_id: str) -> None:
    for role in ("manager", "manager2", "interviewer", "it"):
        assert api.call("GET", f"/audit?subject=requisition:{req_id}", role=role).status_code == 403


def test_no_route_writes_or_deletes_audit_records(api: Api, req_id: str) -> None:
    # Given the app's route table: /audit is read-only
    audit_routes = {m for (m, p) in route_docs() if p.startswith("/audit")}
    assert audit_routes == {"GET"}
    # And no handler module touches an AUDIT# key: only the store writes them, next to the change
    for path in sorted((ROOT / "functions").glob("*.py")):
        assert "AUDIT#" not in path.read_text("utf-8"), path.name
    for path_template, methods in chalice_app.routes.items():
        for entry in methods.values():
            source = inspect.getsource(entry.view_function)
            assert "delete_item" not in source and "AUDIT#" not in source, path_template
    # When anyone tries to write, change or delete through /audit
    before = trail(api, f"requisition:{req_id}")
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        response = api.call(method, f"/audit?subject=requisition:{req_id}", body={"subject": "x"})
        # Then it is refused (no such method) and the trail is unchanged
        assert response.status_code in (403, 404, 405), (method, response.status_code)
    assert json.dumps(trail(api, f"requisition:{req_id}")) == json.dumps(before)
