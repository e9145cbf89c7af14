"""我的待办 (GET /me/todo) through the HTTP handler over moto: each role sees what waits for it, of its
own scope, and an item leaves the list once it is done."""

from __future__ import annotations

from typing import Any

from tests.support.api import Api
from tests.support.assessments import assessment_requested
from tests.support.background import write_completed_check
from tests.support.hiring import at_background_check, at_stage, make, new_app, offer_body


def todo(api: Api, role: str) -> list[dict[str, Any]]:
    answer = api.call("GET", "/me/todo", role=role)
    assert answer.status_code == 200, answer.data
    return list(answer.data["items"])


def kinds(items: list[dict[str, Any]], subject: str) -> set[str]:
    return {i["kind"] for i in items if i["subject_id"] == subject}


def test_an_offer_waits_for_the_departments_manager_and_leaves_once_approved(api: Api, req_id: str) -> None:
    # Given an offer HR made at the retail department (approved by its manager only)
    app_id = at_background_check(api, req_id)
    offer = api.call("POST", f"/applications/{app_id}/offers", body=offer_body())
    assert offer.status_code == 201, offer.data
    # Then the retail manager has it to approve, with the requisition's title; the risk manager and
    # HR (no director step in this chain) do not
    mine = [i for i in todo(api, "manager") if i["subject_id"] == app_id]
    assert [(i["kind"], i["context"]) for i in mine] == [("offer_approval", "对公客户经理（2027届校园招聘）")]
    assert kinds(todo(api, "manager2"), app_id) == set() and kinds(todo(api, "hr"), app_id) == set()
    # When the manager approves / Then it has left the manager's list
    url = f"/applications/{app_id}/offers/{offer.data['id']}/approvals"
    approved = api.call("POST", url, role="manager", body={"decision": "approve"})
    assert approved.status_code == 200, approved.data
    assert kinds(todo(api, "manager"), app_id) == set()


def test_hr_has_the_checks_to_review_and_the_assessment_requests_to_decide(api: Api, req_id: str) -> None:
    # Given a completed check that needs review, a clear one, and a manager's assessment request
    review = at_background_check(api, req_id, n=2, clear=False)
    write_completed_check(api.stack.env["TABLE_NAME"], review, check_id="bgc9", outcome="consider")
    clear = at_background_check(api, req_id, n=3)
    requested, _ = assessment_requested(api)
    # Then HR has the check to review and the request to decide, not the clear check
    items = todo(api, "hr")
    assert kinds(items, review) == {"check_review"} and kinds(items, clear) == set()
    assert kinds(items, requested) == {"assessment_decision"}
    # And the counts by kind add up
    answer = api.call("GET", "/me/todo", role="hr").data
    assert sum(answer["counts"].values()) == len(answer["items"])


def test_an_interviewer_has_the_evaluations_due_until_submitted(api: Api) -> None:
    # Given an application at the second interview assigned to interviewer.demo, and one not yet there
    req_id = str(make(api).data["id"])
    due, early = new_app(api, req_id, 1)["id"], new_app(api, req_id, 2)["id"]
    at_stage(api, due, "shortlisted", "second_interview")
    for app_id in (due, early):
        assigned = api.call("PUT", f"/applications/{app_id}/interviewers", body={"usernames": ["interviewer.demo"]})
        assert assigned.status_code == 200, assigned.data
    # Then only the one at the second interview is due
    assert [i["subject_id"] for i in todo(api, "interviewer") if i["kind"] == "evaluation_due"] == [due]
    # When the interviewer submits the evaluation / Then nothing is due
    body = {"ratings": {"logic": 80}, "comment": "逻辑清晰", "recommendation": "hire"}
    assert api.call("POST", f"/applications/{due}/evaluations", role="interviewer", body=body).status_code == 201
    assert todo(api, "interviewer") == []


def test_every_role_may_read_its_own_list(api: Api) -> None:
    # Given a fresh table (no hire yet: IT's open tasks are in the browser walk, tests/e2e)
    # Then each role reads its list, empty
    assert [todo(api, role) for role in ("hr", "manager", "interviewer", "it")] == [[], [], [], []]
