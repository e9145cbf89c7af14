"""The probation cycle end to end: the real ASL in moto's Step Functions interpreter, driven through
the HTTP handlers, with the NotificationQueue delivered to its consumer as SQS would."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from chalice.test import Client

from infra.local.cognito import RETAIL_BANKING, RISK_MANAGEMENT
from infra.local.pump import scheduled_event
from shared.domain.time_rules import add_months
from tests.support.api import Api
from tests.support.hiring import at_background_check, make, offer_body
from tests.support.mail import sent_mail
from tests.support.probation import FAST, awaiting, execution_status, finished, hire, until
from tests.support.stack import REGION


def start(api: Api, employee_id: str, durations: dict[str, int] | None = None) -> dict[str, Any]:
    r = api.call("POST", f"/employees/{employee_id}/probation/confirm", body={"durations": durations or FAST})
    assert r.status_code == 201, r.data
    return dict(r.data)


def test_proposed_goals_follow_the_profile_and_can_be_adjusted_until_confirmation(api: Api, client: Client) -> None:
    # Given a customer manager strong in data analysis and weak in communication
    hire("e1")
    # When HR opens the probation before confirmation
    r = api.call("GET", "/employees/e1/probation")
    # Then the proposed goals are the source document's, each with its dimension
    assert r.status_code == 200, r.data
    assert r.data["status"] == "proposed"
    assert (
        r.data["summary_en"]
        == "3 client data reports (40 %) + 5 client visits (30 %) + client satisfaction ≥ 80 (30 %)"
    )
    assert [g["dimension"] for g in r.data["goals"]] == ["data_analysis", "expression", "customer_orientation"]

    # When the manager adjusts them with weights that do not sum to 100, or a goal without a dimension
    goals = [
        {
            "id": "g1",
            "dimension": "data_analysis",
            "title_zh": "完成4个客户数据报告",
            "title_en": "4 client data reports",
            "label_zh": "客户数据报告",
            "target": 4,
            "unit_zh": "个",
            "weight": 40,
        },
        {
            "id": "g2",
            "dimension": "expression",
            "title_zh": "参与5次客户拜访",
            "title_en": "5 client visits",
            "label_zh": "客户拜访",
            "target": 5,
            "unit_zh": "次",
            "weight": 30,
        },
    ]
    bad = api.call("PUT", "/employees/e1/probation/goals", role="manager", body={"goals": goals})
    no_dim = api.call(
        "PUT",
        "/employees/e1/probation/goals",
        role="manager",
        body={"goals": [{k: v for k, v in goals[0].items() if k != "dimension"} | {"weight": 100}]},
    )
    # Then both are refused naming the field, and nothing changed
    assert bad.status_code == 400 and bad.data["error"]["details"][0]["field"] == "goals"
    assert "sum to 70" in bad.data["error"]["details"][0]["message"]
    assert no_dim.status_code == 400 and no_dim.data["error"]["details"][0]["field"] == "goals.0.dimension"
    assert api.call("GET", "/employees/e1/probation").data["status"] == "proposed"

    # When the weights sum to 100
    goals[1]["weight"] = 60
    ok = api.call("PUT", "/employees/e1/probation/goals", role="manager", body={"goals": goals})
    # Then the draft holds them
    assert ok.status_code == 200, ok.data
    assert (ok.data["status"], [g["weight"] for g in ok.data["goals"]]) == ("draft", [40, 60])

    # When the goals are confirmed, they can no longer be changed
    start(api, "e1", {**FAST, "end": 60, "decision_timeout": 60, "heartbeat": 60})
    late = api.call("PUT", "/employees/e1/probation/goals", body={"goals": goals})
    assert late.status_code == 409


def test_confirm_runs_the_cycle_to_confirmation_with_progress_and_reminders(
    api: Api, client: Client, stack: Any
) -> None:
    # Given a confirmed probation (compressed durations) of a hire who started a month ago (the
    # one-month check-in mail is true, so it is sent when the cycle reaches it)
    hire("e2", start=date.today() - timedelta(days=31))
    result = start(api, "e2", {**FAST, "end": 2, "decision_timeout": 30, "heartbeat": 30})
    assert result["execution_name"] == "probation-e2" and result["started"] is True
    # When the same confirm is sent again
    again = api.call("POST", "/employees/e2/probation/confirm", body={"durations": FAST})
    # Then it is harmless: 200, the same execution
    assert again.status_code == 200 and again.data["execution_arn"] == result["execution_arn"]
    assert again.data["started"] is False

    # When the manager records 3 client visits
    r = api.call(
        "POST",
        "/employees/e2/probation/progress",
        role="manager",
        body={"goal_id": "g2", "amount": 3, "note": "拜访三家企业客户", "date": date.today().isoformat()},
    )
    # Then progress reads in words and numbers, and the weighted completion follows
    assert r.status_code == 200, r.data
    visits = r.data["goals"][1]
    assert visits["progress_zh"] == "客户拜访完成3次，还差2次"
    assert visits["progress_en"] == "client visits: 3 of 5 done, 2 to go"
    assert r.data["weighted_completion"] == 18.0  # 30 % × 3/5

    # When the cycle reaches the final review and the manager confirms
    until(awaiting(api, "e2"), client, stack)
    decided = api.call("POST", "/employees/e2/probation/decision", role="manager", body={"decision": "confirm"})
    assert decided.status_code == 200, decided.data
    done = until(finished(api, "e2", result["execution_arn"]), client, stack)
    # Then the state machine wrote the outcome, and the manager was reminded along the way
    assert execution_status(result["execution_arn"]) == "SUCCEEDED"
    assert (done["status"], done["outcome"]) == ("completed", "confirmed")
    until(lambda: any("试用期结果" in m.subject for m in sent_mail()), client, stack)
    subjects = [m.subject for m in sent_mail()]
    assert any("1个月回访" in s for s in subjects) and any("中期评估" in s for s in subjects)
    assert any("转正评估" in s for s in subjects)
    # and a decision after the end is a conflict
    late = api.call("POST", "/employees/e2/probation/decision", role="manager", body={"decision": "confirm"})
    assert late.status_code == 409


def test_extend_runs_another_review_cycle_then_not_confirm(api: Api, client: Client, stack: Any) -> None:
    # Given a probation at its final review
    hire("e3")
    result = start(api, "e3", {**FAST, "decision_timeout": 30, "heartbeat": 30})
    first = until(awaiting(api, "e3"), client, stack)
    # When the manager extends it without a reason, or to a date before the current end
    no_reason = api.call(
        "POST",
        "/employees/e3/probation/decision",
        role="manager",
        body={"decision": "extend", "new_end_date": "2099-01-01"},
    )
    earlier = api.call(
        "POST",
        "/employees/e3/probation/decision",
        role="manager",
        body={"decision": "extend", "new_end_date": "2000-01-01", "reason": "需要更多时间"},
    )
    # Then both are refused
    assert no_reason.status_code == 400 and earlier.status_code == 400
    assert earlier.data["error"]["details"][0]["field"] == "new_end_date"
    # When the manager extends it properly
    new_end = (date.fromisoformat(first["end_date"]) + timedelta(days=60)).isoformat()
    r = api.call(
        "POST",
        "/employees/e3/probation/decision",
        role="manager",
        body={"decision": "extend", "new_end_date": new_end, "reason": "客户拜访数量不足"},
    )
    assert r.status_code == 200, r.data
    # Then another review cycle comes, to the new end date
    second = until(lambda: (d := awaiting(api, "e3")()) and d["cycle"] == 2 and d, client, stack)
    assert second["end_date"] == new_end
    # When the manager does not confirm
    r = api.call(
        "POST",
        "/employees/e3/probation/decision",
        role="manager",
        body={"decision": "not_confirm", "reason": "目标未达成"},
    )
    assert r.status_code == 200, r.data
    done = until(finished(api, "e3", result["execution_arn"]), client, stack)
    assert (done["status"], done["outcome"]) == ("completed", "not_confirmed")
    assert [h["event"] for h in done["history"]].count("final_review") == 2


def test_a_manager_who_never_answers_is_escalated_to_hr(api: Api, client: Client, stack: Any) -> None:
    # Given a probation whose final review waits 2 seconds
    hire("e4")
    result = start(api, "e4", {**FAST, "decision_timeout": 2, "heartbeat": 2})
    until(awaiting(api, "e4"), client, stack)
    # When nobody decides
    done = until(finished(api, "e4", result["execution_arn"]), client, stack)
    # Then the state machine ends with the outcome escalated, and HR receives the escalation
    assert execution_status(result["execution_arn"]) == "SUCCEEDED"
    assert (done["status"], done["outcome"]) == ("completed", "escalated")
    mails = until(lambda: [m for m in sent_mail() if "超时升级" in m.subject], client, stack)
    assert "hr.demo@example.com" in {d for m in mails for d in m.destinations["ToAddresses"]}
    # and a late decision is a conflict
    late = api.call("POST", "/employees/e4/probation/decision", role="manager", body={"decision": "confirm"})
    assert late.status_code == 409


def test_permissions_and_bad_input(api: Api) -> None:
    # Given a hire of the retail banking department
    hire("e5")
    path = "/employees/e5/probation"
    # Then the manager of another department, interviewers and IT are refused; no token is 401
    assert api.call("GET", path, role="manager2").status_code == 403
    assert api.call("GET", path, role="interviewer").status_code == 403
    assert api.call("GET", path, role="it").status_code == 403
    assert api.call("GET", path, role=None).status_code == 401
    assert api.call("POST", f"{path}/confirm", role="manager2", body={}).status_code == 403
    assert api.call("POST", f"{path}/confirm", role="it", body={}).status_code == 403
    # and HR may not take the manager's decision
    assert api.call("POST", f"{path}/decision", role="hr", body={"decision": "confirm"}).status_code == 403
    # Bad input: unknown employee 404, durations out of bounds 400, progress before confirmation 409
    assert api.call("GET", "/employees/nobody/probation").status_code == 404
    bad = api.call("POST", f"{path}/confirm", body={"durations": {**FAST, "heartbeat": 10, "decision_timeout": 5}})
    assert bad.status_code == 400, bad.data
    neg = api.call("POST", f"{path}/confirm", body={"durations": {**FAST, "end": -1}})
    assert neg.status_code == 400 and neg.data["error"]["details"][0]["field"] == "durations.end"
    extra = api.call("POST", f"{path}/confirm", body={"months": 3, "colour": "blue"})
    assert extra.status_code == 400
    early = api.call("POST", f"{path}/progress", body={"goal_id": "g1", "amount": 1, "date": date.today().isoformat()})
    assert early.status_code == 409
    assert api.call("GET", path).data["status"] == "proposed"


def test_progress_rejects_unknown_goals_and_dates_outside_the_probation(api: Api) -> None:
    # Given a running probation
    hire("e6")
    start(api, "e6", {**FAST, "end": 600, "decision_timeout": 60, "heartbeat": 60})
    path = "/employees/e6/probation/progress"
    # When progress names an unknown goal, a future date, or a negative amount
    unknown = api.call("POST", path, body={"goal_id": "g9", "amount": 1, "date": date.today().isoformat()})
    future = api.call("POST", path, body={"goal_id": "g1", "amount": 1, "date": "2999-01-01"})
    negative = api.call("POST", path, body={"goal_id": "g1", "amount": -1, "date": date.today().isoformat()})
    # Then each is refused naming the field, and nothing was recorded
    assert (unknown.status_code, unknown.data["error"]["details"][0]["field"]) == (400, "goal_id")
    assert (future.status_code, future.data["error"]["details"][0]["field"]) == (400, "date")
    assert (negative.status_code, negative.data["error"]["details"][0]["field"]) == (400, "amount")
    assert api.call("GET", "/employees/e6/probation").data["weighted_completion"] == 0


def test_daily_digest_mails_managers_their_lagging_probationers_and_hr_a_summary(api: Api, client: Client) -> None:
    # Given two probations halfway through on the calendar: one on track, one lagging
    for employee_id, department in (("e7", RETAIL_BANKING), ("e8", RISK_MANAGEMENT)):
        hire(employee_id, department=department, start=date.today() - timedelta(days=45))
        r = api.call("POST", f"/employees/{employee_id}/probation/confirm", body={"months": 3})
        assert r.status_code == 201, r.data
    for goal in ("g1", "g2"):
        amount = 10 if goal == "g1" else 5
        r = api.call(
            "POST",
            "/employees/e7/probation/progress",
            body={"goal_id": goal, "amount": amount, "date": date.today().isoformat()},
        )
        assert r.status_code == 200
    assert api.call("GET", "/employees/e7/probation").data["lagging"] is False
    assert api.call("GET", "/employees/e8/probation").data["lagging"] is True
    before = len(sent_mail())
    # When the daily schedule fires
    out = client.lambda_.invoke(
        "probation_digest", scheduled_event("arn:aws:events:us-east-1:123456789012:rule/digest", REGION)
    ).payload
    # Then only the lagging department's manager gets a digest, and HR one summary
    assert out == {"active": 2, "lagging": 1, "manager_mails": 1, "hr_mails": 1}
    mails = sent_mail()[before:]
    to = sorted(d for m in mails for d in m.destinations["ToAddresses"])
    assert to == sorted(["hr.demo@example.com", "manager2.demo@example.com"])  # from the directory
    digest = next(m for m in mails if "进度提醒" in m.subject)
    assert "e8" in digest.body and "e7" not in digest.body


@pytest.mark.parametrize("role", ["hr", "manager"])
def test_repeated_confirm_with_an_idempotency_key_answers_the_same(api: Api, role: str) -> None:
    # Given a hire
    hire("e9")
    headers = {"Idempotency-Key": f"confirm-e9-{role}"}
    body = {"durations": {**FAST, "end": 600, "decision_timeout": 60, "heartbeat": 60}}
    # When the confirmation is retried with the same key
    first = api.call("POST", "/employees/e9/probation/confirm", role=role, body=body, headers=headers)
    second = api.call("POST", "/employees/e9/probation/confirm", role=role, body=body, headers=headers)
    # Then the same answer comes back: one execution
    assert first.status_code == second.status_code == 201
    assert first.data["execution_arn"] == second.data["execution_arn"]


def test_the_period_is_the_signed_offers_and_another_length_is_refused(api: Api) -> None:
    # Given a hire whose offer set a six-month probation
    app_id = at_background_check(api, str(make(api).data["id"]))
    offer = api.call("POST", f"/applications/{app_id}/offers", body=offer_body(probation_months=6)).data
    hired = hire(app_id, offer_id=offer["id"], application_id=app_id)
    path = f"/employees/{app_id}/probation/confirm"
    # When HR confirms the goals saying three months
    refused = api.call("POST", path, body={"months": 3})
    # Then it is refused naming the field and the offer's period, and nothing started
    assert refused.status_code == 400, refused.data
    detail = refused.data["error"]["details"][0]
    assert detail["field"] == "months" and "6 months" in detail["message"]
    assert api.call("GET", f"/employees/{app_id}/probation").data["status"] == "proposed"
    # And confirmed without a length, the period runs the offer's six months from the start date
    started = api.call("POST", path, body={})
    assert started.status_code == 201, started.data
    end = started.data["probation"]["end_date"]
    assert end == add_months(hired.start_date, 6).isoformat()
