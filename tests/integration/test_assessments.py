"""Supplementary assessments (补充测评): a manager's request, HR's decision, the inserted stage, the
result, the decision e-mail, the archive section and offer readiness."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from chalice.test import Client

from shared.errors import Conflict
from shared.models.assessment import AssessmentDecisionSubmit
from shared.services.assessments import Assessments
from shared.store.repository import Repository
from tests.support.api import Api
from tests.support.assessments import base, run_notification_worker
from tests.support.background import write_completed_check
from tests.support.bodies import ASSESSMENT_REASON as REASON
from tests.support.bodies import NEGOTIATION
from tests.support.hiring import at_stage, evaluate, new_app
from tests.support.mail import mail_to, sent_mail


@pytest.fixture
def app_id(api: Api, req_id: str) -> str:
    """An application of 零售金融部 at second_interview, with interviewer.demo assigned."""
    app = new_app(api, req_id)
    at_stage(api, app["id"], "shortlisted", "second_interview")
    assigned = api.call("PUT", f"/applications/{app['id']}/interviewers", body={"usernames": ["interviewer.demo"]})
    assert assigned.status_code == 200
    return str(app["id"])


def ask(api: Api, app_id: str, role: str = "manager", name: str | None = None, **headers: str) -> Any:
    body = {"reason": REASON, "assessment": NEGOTIATION | ({"name": name} if name else {})}
    return api.call("POST", base(app_id), role=role, body=body, headers=headers or None)


def decide(api: Api, app_id: str, request_id: str, decision: str, reason: str = "同意，安排下周进行") -> Any:
    return api.call("POST", f"{base(app_id)}/{request_id}/decision", body={"decision": decision, "reason": reason})


def stage_of(api: Api, app_id: str) -> str:
    return str(api.call("GET", f"/applications/{app_id}").data["stage"])


def readiness(api: Api, app_id: str, role: str = "hr") -> Any:
    return api.call("GET", f"/applications/{app_id}/offer-readiness", role=role)


def write_clear_background_check(stack_env: dict[str, str], app_id: str) -> None:
    """What the background-check feature stores when a check comes back clear."""
    write_completed_check(stack_env["TABLE_NAME"], app_id)


def test_the_whole_flow_blocks_the_offer_until_the_result(api: Api, client: Client, app_id: str) -> None:
    # Given an application at second_interview whose manager asks for a customer negotiation simulation
    created = ask(api, app_id)
    assert created.status_code == 201, created.data
    request_id = created.data["request_id"]
    assert created.data["status"] == "requested" and created.data["assessment"]["name"] == "客户模拟谈判"
    assert created.data["requested_by"] == "manager.demo" and created.data["stage_at_request"] == "second_interview"
    assert "requester_email" not in created.data  # the manager's shape
    # Then a request changes no stage, and it blocks the offer (as does the missing background check)
    assert stage_of(api, app_id) == "second_interview"
    pending = readiness(api, app_id).data
    assert pending["ready"] is False
    assert [(b["code"], b["ref"]) for b in pending["blockers"]] == [
        ("background_check_missing", None),
        ("assessment_pending", request_id),
    ]
    assert "awaits HR's decision" in pending["blockers"][1]["message"]
    # And HR sees it with the requester's address
    listed = api.call("GET", base(app_id)).data
    assert listed["view"] == "hr" and listed["items"][0]["requester_email"] == "manager.demo@example.com"

    # When HR approves it with a reason
    approved = decide(api, app_id, request_id, "approve", "同意，安排 12 月 10 日进行")
    # Then the stage is inserted in the same change, and the offer is still blocked
    assert approved.status_code == 200, approved.data
    assert approved.data["status"] == "approved" and approved.data["application_stage"] == "supplementary_assessment"
    assert approved.data["decision"]["decided_by"] == "hr.demo"
    assert stage_of(api, app_id) == "supplementary_assessment"
    blockers = readiness(api, app_id).data["blockers"]
    assert ("assessment_pending", request_id) in [(b["code"], b["ref"]) for b in blockers]
    assert any("no recorded result" in b["message"] for b in blockers)
    # And the audit trail has the approval with the stage change
    audit = Repository().audit.page(f"application:{app_id}", limit=10).items
    approval = next(a for a in audit if a["action"] == "assessment.approve")
    assert approval["details"]["from"] == "second_interview" and approval["details"]["to"] == "supplementary_assessment"

    # And the requesting manager is told by e-mail, once
    run_notification_worker(api, client)
    mails = [m for m in mail_to("manager.demo@example.com") if "补充测评" in m.subject]
    assert len(mails) == 1  # (HR was told of the request: tests/integration/test_communication.py)
    assert "已批准" in mails[0].subject and "12 月 10 日" in mails[0].body

    # And the manager sees the status, HR's decision and its reason
    mine = api.call("GET", base(app_id), role="manager").data
    assert mine["view"] == "manager" and mine["stage"] == "supplementary_assessment"
    assert mine["items"][0]["status"] == "approved"
    assert mine["items"][0]["decision"]["reason"] == "同意，安排 12 月 10 日进行"

    # When HR records the result
    result = {
        "score": 82,
        "passed": True,
        "observations": {"customer_orientation": "主动挖掘客户需求，让步有底线", "stress_tolerance": "压价时情绪稳定"},
        "comments": "谈判逻辑清晰，建议录用",
        "assessor": "李经理（零售金融部）",
    }
    recorded = api.call("POST", f"{base(app_id)}/{request_id}/result", body=result)
    # Then the request is completed and the application is back at evaluated
    assert recorded.status_code == 200, recorded.data
    assert recorded.data["status"] == "completed" and recorded.data["application_stage"] == "evaluated"
    assert recorded.data["result"]["score"] == 82 and recorded.data["result"]["recorded_by"] == "hr.demo"
    assert stage_of(api, app_id) == "evaluated"
    # And only the background check blocks the offer now; a clear one makes it ready
    assert [b["code"] for b in readiness(api, app_id).data["blockers"]] == ["background_check_missing"]
    write_clear_background_check(api.stack.env, app_id)
    ready = readiness(api, app_id, role="manager").data
    assert ready == {"application_id": app_id, "stage": "evaluated", "ready": True, "blockers": []}

    # And the talent archive shows the section, shaped by role
    hr_archive = api.call("GET", f"/candidates/{app_id}").data
    assert hr_archive["assessments"][0]["result"]["assessor"] == "李经理（零售金融部）"
    assert hr_archive["assessments"][0]["requester_email"] == "manager.demo@example.com"
    manager_archive = api.call("GET", f"/applications/{app_id}", role="manager").data
    assert manager_archive["assessments"][0]["decision"]["reason"] == "同意，安排 12 月 10 日进行"
    assert "requester_email" not in manager_archive["assessments"][0]
    interviewer_archive = api.call("GET", f"/applications/{app_id}", role="interviewer").data
    seen = interviewer_archive["assessments"][0]
    assert seen["status"] == "completed" and seen["assessment"]["name"] == "客户模拟谈判"
    assert not {"reason", "decision", "result"} & set(seen)


def test_the_stage_returns_to_evaluated_only_after_the_last_open_assessment(api: Api, app_id: str) -> None:
    # Given two assessments of an evaluated application, both approved
    evaluate(api, app_id)
    at_stage(api, app_id, "evaluated")
    first = ask(api, app_id).data["request_id"]
    second = ask(api, app_id, role="hr", name="无领导小组讨论").data["request_id"]
    assert decide(api, app_id, first, "approve").data["application_stage"] == "supplementary_assessment"
    assert decide(api, app_id, second, "approve").data["application_stage"] == "supplementary_assessment"
    result = {"passed": True, "comments": "表现良好", "assessor": "王主管"}
    # When the first result is recorded, the other is still open: the stage stays
    done = api.call("POST", f"{base(app_id)}/{first}/result", body=result).data
    assert done["application_stage"] == "supplementary_assessment"
    assert [b["ref"] for b in readiness(api, app_id).data["blockers"] if b["code"] == "assessment_pending"] == [second]
    # When the last one is recorded, the application is back at evaluated
    assert api.call("POST", f"{base(app_id)}/{second}/result", body=result).data["application_stage"] == "evaluated"
    # And a result cannot be recorded twice
    again = api.call("POST", f"{base(app_id)}/{second}/result", body=result)
    assert again.status_code == 409 and "already has a result" in again.data["error"]["message"]


def test_decline_needs_a_reason_changes_no_stage_and_frees_the_name(api: Api, client: Client, app_id: str) -> None:
    request_id = ask(api, app_id).data["request_id"]
    # When HR declines without a reason (or with a blank one): 400 naming the field, nothing changes
    for body in ({"decision": "decline"}, {"decision": "decline", "reason": "   "}):
        refused = api.call("POST", f"{base(app_id)}/{request_id}/decision", body=body)
        assert refused.status_code == 400 and refused.data["error"]["details"][0]["field"] == "reason"
    assert api.call("GET", f"{base(app_id)}/{request_id}").data["status"] == "requested"
    # When HR declines with a reason
    declined = decide(api, app_id, request_id, "decline", "复试评价已足够充分，无需补充测评")
    # Then no stage changes and nothing blocks on it any more
    assert declined.status_code == 200 and declined.data["status"] == "declined"
    assert declined.data["application_stage"] == "second_interview" and stage_of(api, app_id) == "second_interview"
    assert [b["code"] for b in readiness(api, app_id).data["blockers"]] == ["background_check_missing"]
    # And the manager sees the decline with its reason, and is told by e-mail
    mine = api.call("GET", f"{base(app_id)}/{request_id}", role="manager").data
    assert mine["status"] == "declined" and mine["decision"]["reason"] == "复试评价已足够充分，无需补充测评"
    run_notification_worker(api, client)
    decisions = [m.subject for m in sent_mail() if "补充测评" in m.subject and "待审批" not in m.subject]
    assert decisions[0].startswith("补充测评申请未批准")
    # And deciding again is a conflict; a result is refused too
    assert decide(api, app_id, request_id, "approve").status_code == 409
    result = {"score": 70, "comments": "x", "assessor": "y"}
    assert api.call("POST", f"{base(app_id)}/{request_id}/result", body=result).status_code == 409
    # And the same assessment may be asked for again, since none of that name is open
    assert ask(api, app_id).status_code == 201


def test_one_open_request_per_assessment_name(api: Api, app_id: str) -> None:
    first = ask(api, app_id)
    # When the same assessment (full-width spaces and all) is asked for again while it is open
    duplicate = ask(api, app_id, role="hr", name="　客户模拟谈判 ")
    assert duplicate.status_code == 409
    assert duplicate.data["error"]["details"][0]["open_request_id"] == first.data["request_id"]
    # But another assessment is fine
    assert ask(api, app_id, name="案例分析").status_code == 201
    # And once approved it is still open: refused again (here the stage already refuses new requests too)
    decide(api, app_id, first.data["request_id"], "approve")
    assert ask(api, app_id).status_code == 409
    assert len(api.call("GET", base(app_id)).data["items"]) == 2


def test_requests_only_at_second_interview_or_evaluated(api: Api, req_id: str) -> None:
    # Given a screened application
    app = new_app(api, req_id, 2)
    # When a manager asks for an assessment: 409 naming the stage, and nothing is stored
    refused = ask(api, app["id"])
    assert refused.status_code == 409
    assert "screened" in refused.data["error"]["message"]
    assert refused.data["error"]["details"][0] == {
        "current_stage": "screened",
        "allowed": ["second_interview", "evaluated"],
    }
    assert api.call("GET", base(app["id"])).data["items"] == []


def test_approving_after_the_process_moved_on_is_a_conflict(api: Api, app_id: str) -> None:
    # Given a request made at evaluated, after which HR moved the application on to the background check
    evaluate(api, app_id)
    at_stage(api, app_id, "evaluated")
    request_id = ask(api, app_id).data["request_id"]
    at_stage(api, app_id, "background_check")
    # When HR approves: 409 naming the stage; nothing changes
    refused = decide(api, app_id, request_id, "approve")
    assert refused.status_code == 409 and "background_check" in refused.data["error"]["message"]
    assert api.call("GET", f"{base(app_id)}/{request_id}").data["status"] == "requested"
    assert stage_of(api, app_id) == "background_check"
    # And a result for a request HR has not approved is refused
    result = {"score": 60, "comments": "x", "assessor": "y"}
    pending = api.call("POST", f"{base(app_id)}/{request_id}/result", body=result)
    assert pending.status_code == 409 and "awaits HR's decision" in pending.data["error"]["message"]


def test_who_may_do_what(api: Api, req_id: str, app_id: str) -> None:
    request_id = ask(api, app_id).data["request_id"]
    # A manager of another department may neither ask, read, nor see readiness
    assert ask(api, app_id, role="manager2").status_code == 403
    assert api.call("GET", base(app_id), role="manager2").status_code == 403
    assert api.call("GET", f"{base(app_id)}/{request_id}", role="manager2").status_code == 403
    assert readiness(api, app_id, role="manager2").status_code == 403
    # Interviewers and IT may not ask; only HR decides and records results
    for role in ("interviewer", "it"):
        assert ask(api, app_id, role=role).status_code == 403
    for role in ("manager", "interviewer", "it"):
        decision = api.call(
            "POST", f"{base(app_id)}/{request_id}/decision", role=role, body={"decision": "approve", "reason": "x"}
        )
        assert decision.status_code == 403
        result = api.call(
            "POST",
            f"{base(app_id)}/{request_id}/result",
            role=role,
            body={"score": 1, "comments": "x", "assessor": "y"},
        )
        assert result.status_code == 403
    # The assigned interviewer reads what was asked for, without reasons; IT reads nothing
    seen = api.call("GET", base(app_id), role="interviewer").data
    assert seen["view"] == "interviewer" and seen["items"][0]["status"] == "requested"
    assert "reason" not in seen["items"][0]
    assert api.call("GET", base(app_id), role="it").status_code == 403
    assert readiness(api, app_id, role="interviewer").status_code == 403
    assert readiness(api, app_id, role="it").status_code == 403
    # An interviewer not assigned to the application reads nothing
    other = new_app(api, req_id, 3)
    at_stage(api, other["id"], "shortlisted", "second_interview")
    assert api.call("GET", base(other["id"]), role="interviewer").status_code == 403
    # Without a token: 401; unknown application or request: 404
    assert api.call("GET", base(app_id), role=None).status_code == 401
    assert ask(api, "nope").status_code == 404
    assert decide(api, app_id, "nope", "approve").status_code == 404
    assert readiness(api, "nope").status_code == 404
    # And nothing of this changed the request
    assert api.call("GET", f"{base(app_id)}/{request_id}").data["status"] == "requested"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"assessment": NEGOTIATION}, "reason"),
        ({"reason": REASON}, "assessment"),
        ({"reason": REASON, "assessment": {"kind": "simulation"}}, "assessment.name"),
        ({"reason": REASON, "assessment": NEGOTIATION | {"name": " "}}, "assessment.name"),
        ({"reason": REASON, "assessment": NEGOTIATION | {"duration_minutes": 1}}, "assessment.duration_minutes"),
        ({"reason": REASON, "assessment": NEGOTIATION | {"kind": "karaoke"}}, "assessment.kind"),
        ({"reason": REASON, "assessment": NEGOTIATION, "urgent": True}, "urgent"),
    ],
)
def test_bad_requests_name_the_field_and_store_nothing(api: Api, app_id: str, body: dict[str, Any], field: str) -> None:
    response = api.call("POST", base(app_id), role="manager", body=body)
    assert response.status_code == 400, response.data
    assert response.data["error"]["details"][0]["field"] == field
    assert api.call("GET", base(app_id)).data["items"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"comments": "x", "assessor": "y"}, "score"),
        ({"score": 101, "comments": "x", "assessor": "y"}, "score"),
        ({"score": -1, "comments": "x", "assessor": "y"}, "score"),
        ({"passed": "maybe", "comments": "x", "assessor": "y"}, "passed"),
        ({"score": 80, "assessor": "y"}, "comments"),
        ({"score": 80, "comments": "x"}, "assessor"),
        ({"score": 80, "comments": "x", "assessor": "y", "observations": {"charm": "z"}}, "observations.charm.[key]"),
    ],
)
def test_bad_results_name_the_field_and_change_nothing(api: Api, app_id: str, body: dict[str, Any], field: str) -> None:
    request_id = ask(api, app_id).data["request_id"]
    decide(api, app_id, request_id, "approve")
    response = api.call("POST", f"{base(app_id)}/{request_id}/result", body=body)
    assert response.status_code == 400, response.data
    assert response.data["error"]["details"][0]["field"] == field
    assert api.call("GET", f"{base(app_id)}/{request_id}").data["status"] == "approved"
    assert stage_of(api, app_id) == "supplementary_assessment"


def test_bad_decisions_name_the_field(api: Api, app_id: str) -> None:
    request_id = ask(api, app_id).data["request_id"]
    response = api.call("POST", f"{base(app_id)}/{request_id}/decision", body={"decision": "maybe", "reason": "x"})
    assert response.status_code == 400 and response.data["error"]["details"][0]["field"] == "decision"


def test_idempotency_key_returns_the_same_request(api: Api, app_id: str) -> None:
    # When the manager's client retries with the same Idempotency-Key
    first = ask(api, app_id, **{"Idempotency-Key": "assess-0001"})
    again = ask(api, app_id, **{"Idempotency-Key": "assess-0001"})
    # Then the same request comes back and only one exists
    assert first.status_code == again.status_code == 201
    assert first.data == again.data
    assert len(api.call("GET", base(app_id)).data["items"]) == 1
    # And the same key with another body is a conflict
    other = ask(api, app_id, name="案例分析", **{"Idempotency-Key": "assess-0001"})
    assert other.status_code == 409


def test_two_racing_decisions_exactly_one_wins(api: Api, app_id: str) -> None:
    # Given a request two HR users decide at the same moment, both having read it
    request_id = ask(api, app_id).data["request_id"]
    barrier = threading.Barrier(2)

    class RacingRepository(Repository):
        def get_item(self, pk: str, sk: str) -> dict[str, Any] | None:
            found = super().get_item(pk, sk)
            if sk.startswith("ASSESS#"):
                barrier.wait(timeout=10)  # both have read the request before either writes
            return found

    outcomes: list[str] = []

    def act(decision: str) -> None:
        body = AssessmentDecisionSubmit(decision=decision, reason=f"{decision} 理由")
        try:
            Assessments(RacingRepository()).decide(app_id, request_id, f"hr-{decision}", body, None)
            outcomes.append(decision)
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=act, args=(d,)) for d in ("approve", "decline")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Then exactly one decision won, and the stored state is the winner's
    assert sorted(outcomes) in (["approve", "conflict"], ["conflict", "decline"])
    winner = next(o for o in outcomes if o != "conflict")
    stored = api.call("GET", f"{base(app_id)}/{request_id}").data
    assert stored["status"] == ("approved" if winner == "approve" else "declined")
    assert stored["version"] == 2
    assert stage_of(api, app_id) == ("supplementary_assessment" if winner == "approve" else "second_interview")
    decisions = [
        a for a in Repository().audit.page(f"application:{app_id}", limit=20).items if "assessment." in a["action"]
    ]
    assert [a["action"] for a in decisions].count("assessment.request") == 1
    assert len(decisions) == 2  # the request and exactly one decision
