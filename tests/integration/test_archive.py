"""The talent archive: one query, shaped by role with per-role response models."""

from __future__ import annotations

from typing import Any

import pytest

from shared.models.archive import AiReport, HrArchive, ManagerArchive
from shared.store import aws
from tests.support.api import Api
from tests.support.hiring import deliver, make, new_app
from tests.support.webhooks import canonical

PERSONAL = {"email", "email_masked", "phone", "phone_masked", "national_id", "national_id_masked", "resume_text"}


@pytest.fixture
def scored(api: Api) -> dict[str, Any]:
    req_id = str(make(api).data["id"])
    apps = [new_app(api, req_id, n, external_ref=f"REF-{n}") for n in range(3)]
    for i, app in enumerate(apps):  # weighted scores rise with i
        deliver(api, canonical(req_id, application_id=app["id"], logic=60 + 10 * i, customer_orientation=70 + 10 * i))
    deliver(api, canonical(req_id, application_id=apps[1]["id"], completed_at="2026-01-01T00:00:00Z", logic=10))
    return {"req_id": req_id, "apps": apps}


def test_hr_sees_everything_from_one_partition_query_plus_the_rank(api: Api, scored: dict[str, Any]) -> None:
    # Given three scored applications; the middle one also got a late, older result
    middle = scored["apps"][1]["id"]
    calls: list[str] = []
    aws.client("dynamodb").meta.events.register("before-call.dynamodb", lambda model, **_: calls.append(model.name))
    # When HR opens the middle candidate's archive
    archive = api.call("GET", f"/candidates/{middle}").data
    # Then one Query reads the archive, one COUNT query ranks it, and one write audits the read (it
    # carries contact details, masked: one kind, one record)
    assert calls == ["Query", "Query", "PutItem"]
    assert archive["view"] == "hr"
    assert archive["ranking"]["rank"] == 2
    assert archive["ai"]["dimension_scores"]["logic"] == 70
    assert [h["superseded"] for h in archive["ai_history"]] == [False, True]
    assert all(h["raw_payload"] for h in archive["ai_history"])
    assert archive["questions"][0]["transcript_excerpt"]
    assert archive["national_id_masked"].startswith("410")
    assert set(archive) == set(HrArchive.model_fields)


def test_manager_view_has_no_personal_data(api: Api, scored: dict[str, Any]) -> None:
    app_id = scored["apps"][0]["id"]
    archive = api.call("GET", f"/applications/{app_id}", role="manager").data
    assert archive["view"] == "manager"
    assert set(archive) == set(ManagerArchive.model_fields)
    assert not PERSONAL & set(archive)
    assert all("raw_payload" not in h for h in archive["ai_history"])
    assert api.call("GET", f"/candidates/{app_id}", role="manager2").status_code == 403


def test_interviewer_sees_the_ai_report_of_assigned_applications_only(api: Api, scored: dict[str, Any]) -> None:
    first, second = scored["apps"][0]["id"], scored["apps"][1]["id"]
    # Given the interviewer is assigned to the first application only
    assigned = api.call("PUT", f"/applications/{first}/interviewers", body={"usernames": ["interviewer.demo"]})
    assert assigned.status_code == 200 and assigned.data["interviewers"] == ["interviewer.demo"]
    # Then the first shows the AI report, and nothing more
    report = api.call("GET", f"/candidates/{first}", role="interviewer").data
    assert report["view"] == "interviewer"
    assert set(report) == set(AiReport.model_fields)
    assert not PERSONAL & set(report) and "screening" not in report
    # And the second is forbidden, as is every archive for IT
    assert api.call("GET", f"/candidates/{second}", role="interviewer").status_code == 403
    assert api.call("GET", f"/candidates/{first}", role="it").status_code == 403


def test_assignment_is_hr_only_and_validated(api: Api, scored: dict[str, Any]) -> None:
    app_id = scored["apps"][0]["id"]
    assert (
        api.call("PUT", f"/applications/{app_id}/interviewers", role="manager", body={"usernames": []}).status_code
        == 403
    )
    bad = api.call("PUT", f"/applications/{app_id}/interviewers", body={"usernames": "interviewer.demo"})
    assert bad.status_code == 400 and bad.data["error"]["details"][0]["field"] == "usernames"
    assert api.call("PUT", "/applications/nope/interviewers", body={"usernames": []}).status_code == 404


def test_unknown_candidate_is_404(api: Api) -> None:
    assert api.call("GET", "/candidates/nope").status_code == 404
