"""The audit trail: sensitive reads and changes leave who / what / when / from where; HR reads it
through GET /audit?subject=…; nothing in the API can change or delete an audit record."""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path
from typing import Any

from app import app as chalice_app
from functions.routing import route_docs
from shared.security.audited import every_property, model_action
from shared.services.audit import SENSITIVE_READS
from tests.support.api import Api
from tests.support.background import write_completed_check
from tests.support.hiring import at_background_check, offer_body
from tests.support.ids import person

ROOT = Path(__file__).resolve().parents[2]


def trail(api: Api, subject: str) -> list[dict[str, Any]]:
    response = api.call("GET", f"/audit?subject={subject}")
    assert response.status_code == 200, response.data
    return list(response.data["items"])


def test_background_results_and_offer_salary_reads_are_audited(api: Api, req_id: str) -> None:
    # Given an application with a completed background check (credit included) and an offer
    app_id = at_background_check(api, req_id, clear=False)
    write_completed_check(api.stack.env["TABLE_NAME"], app_id, check_id="bgc1", with_result=True)
    offer = api.call("POST", f"/applications/{app_id}/offers", body=offer_body()).data
    # When the department's manager reads the background results and the offer with its salary
    assert api.call("GET", f"/applications/{app_id}/background-checks", role="manager").status_code == 200
    got = api.call("GET", f"/applications/{app_id}/offers/{offer['id']}", role="manager")
    assert got.data["annual_salary"] > 0
    assert api.call("GET", f"/applications/{app_id}/offers", role="manager").status_code == 200
    # Then each read has a record: who, what, when, from where
    records = trail(api, f"application:{app_id}")
    reads = [r for r in records if r["action"] in SENSITIVE_READS and r["actor"] == "manager.demo"]
    assert [r["action"] for r in reads] == ["offer.read", "offer.read", "background_check.read"]
    for record in reads:
        assert record["at"] and "source_ip" in record
    # (HR's creation answered the offer with its salary: that answer is audited too)
    assert any(r["action"] == "offer.read" and r["actor"] == "hr.demo" for r in records)
    assert reads[0]["details"] == {
        "route": "GET /applications/{application_id}/offers",
        "fields": ["items[].annual_salary", "items[].documents.html_url", "items[].documents.pdf_url"],
        "application_id": app_id,
    }
    assert reads[1]["details"]["offer_id"] == offer["id"] and "annual_salary" in reads[1]["details"]["fields"]
    assert reads[2]["details"]["fields"] == ["items[].result"]
    # And a refused read leaves no read record (nothing was read) but a refusal record with the reason
    assert api.call("GET", f"/applications/{app_id}/offers", role="manager2").status_code == 403
    records = trail(api, f"application:{app_id}")
    assert len([r for r in records if r["action"] in SENSITIVE_READS and r["actor"] != "hr.demo"]) == 3
    (denied,) = [r for r in records if r["action"] == "access.denied"]
    assert denied["actor"] == "manager2.demo"
    assert denied["details"]["route"] == "GET /applications/{application_id}/offers"
    assert denied["details"]["reason"]


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


def test_the_archive_audits_the_background_results_salary_and_contact_details_it_carries(api: Api, req_id: str) -> None:
    # Given an application with an AI result (a vendor video link), a background result and an offer
    app_id = at_background_check(api, req_id, clear=False)
    write_completed_check(api.stack.env["TABLE_NAME"], app_id, check_id="bgc1", with_result=True)
    assert api.call("POST", f"/applications/{app_id}/offers", body=offer_body()).status_code == 201
    for path in (f"/candidates/{app_id}", f"/applications/{app_id}"):
        # When HR reads the talent archive (it returned all of it unaudited before)
        before = len(trail(api, f"application:{app_id}"))
        response = api.call("GET", path)
        assert response.status_code == 200
        text = json.dumps(response.data)
        assert "annual_salary" in text and "credit" in text and "phone_masked" in text
        # Then one record per kind of sensitive data it carried, naming the fields, written for this read
        after = trail(api, f"application:{app_id}")
        records = after[: len(after) - before]  # newest first
        fields = {r["action"]: r["details"]["fields"] for r in records}
        assert set(fields) == {"background_check.read", "offer.read", "contact.read"}, records
        assert any(f.endswith("annual_salary") for f in fields["offer.read"])
        assert all(r["actor"] == "hr.demo" and r["at"] for r in records)


def test_an_export_and_the_explanation_are_audited(api: Api, req_id: str) -> None:
    # Given an application
    app_id = api.call("POST", f"/requisitions/{req_id}/applications", body=person(1)).data["id"]
    # When HR downloads the applicant list as CSV and reads the explanation of the automated assessment
    csv = api.client.http.get(
        f"/requisitions/{req_id}/applications", headers={**api.stack.auth("hr"), "Accept": "text/csv"}
    )
    assert csv.status_code == 200 and csv.headers["Content-Type"].startswith("text/csv")
    assert api.call("GET", f"/applications/{app_id}/explanation").status_code == 200
    # Then each is in the trail (neither was before)
    (export,) = [r for r in trail(api, f"requisition:{req_id}") if r["action"] == "export.read"]
    assert export["actor"] == "hr.demo"
    assert export["details"]["route"] == "GET /requisitions/{requisition_id}/applications"
    assert [r["action"] for r in trail(api, f"application:{app_id}")].count("explanation.read") == 1


# A field whose name says it is personal data of one of the audited kinds must carry an audit mark
# (shared/security/audited.py), or be named here with the reason it is not such a read.
SENSITIVE_NAME = re.compile(r"e-?mail|phone|mobile|national_id|id_number|salary|credit|education|employment|url$|_link")
_NOT_A_SENSITIVE_READ_BECAUSE = {
    "the caller's own upload target (a presigned POST), not a read": [("UploadForm", "url")],
    "the requesting manager's work address, not a candidate's": [
        ("AssessmentView", "requester_email"),
        ("AssessmentOutcome", "requester_email"),
    ],
    "the education the candidate declared, not a verified result": [
        ("ApplicationView", "education"),
        ("HrArchive", "education"),
        ("ManagerArchive", "education"),
    ],
    "audited as a whole: BackgroundCheckView.result": [
        ("BackgroundResultPayload", "education"),
        ("BackgroundResultPayload", "employment"),
        ("BackgroundResultPayload", "credit"),
    ],
    "the requisition's published band, no one's pay": [("RequisitionView", "salary_band")],
    "whether the salary was given or proposed (the salary itself is marked)": [("OfferView", "salary_source")],
    "how the salary was proposed (the salary itself is marked)": [("OfferView", "salary_basis")],
    "where the hosted sign-in pages are (public configuration, nobody's data)": [
        ("SignInConfig", "authorize_url"),
        ("SignInConfig", "token_url"),
        ("SignInConfig", "logout_url"),
    ],
    "where the console enrols an authenticator app (public configuration, nobody's data)": [
        ("SignInConfig", "idp_url"),
    ],
}
NOT_A_SENSITIVE_READ = {field: why for why, fields in _NOT_A_SENSITIVE_READ_BECAUSE.items() for field in fields}
# routes that return no JSON model (the console's files, the OpenAPI document)
UNMODELLED = {("GET", "/console"), ("GET", "/console/{asset}"), ("GET", "/openapi.json")}


def test_every_sensitive_field_of_every_response_model_is_audited() -> None:
    # Given every route's response model (the mechanism audits the marked fields of whatever it returns)
    unaudited = set()
    for key, doc in route_docs().items():
        if doc.response is None:
            assert key in UNMODELLED, f"{key}: a route without a response model cannot be audited by its fields"
            continue
        if model_action(doc.response) is not None:
            continue  # the whole response is audited (e.g. PersonView: person.read), every field with it
        for owner, field, action in every_property(doc.response):
            if SENSITIVE_NAME.search(field) and action is None and (owner, field) not in NOT_A_SENSITIVE_READ:
                unaudited.add((owner, field, f"{key[0]} {key[1]}"))
    # Then no field that looks like salary, contact details, background results or a link goes unaudited
    assert not unaudited, sorted(unaudited)
    # and every mark names a kind of sensitive read the trail knows
    marks = {action for doc in route_docs().values() if doc.response for _, _, action in every_property(doc.response)}
    assert marks - {None} <= set(SENSITIVE_READS)
