"""Rules of time through the handlers, on the business clock (moved forward as the local stack
moves it): probation from the start date on, the decision only after the final review, the
one-month mail on time, performance results inside the cycle's window, targets locked by results."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from chalice.test import Client

from infra.local.pump import scheduled_event
from shared import clock
from tests.support.api import Api
from tests.support.bodies import quarter_of
from tests.support.clock import MovedClock
from tests.support.employees import employee, store
from tests.support.mail import sent_mail
from tests.support.probation import FAST, awaiting, hire, until
from tests.support.stack import REGION

SATISFACTION = "customer_manager.customer_orientation.client_satisfaction"
ONE_MONTH = "入职已满一个月"


def progress(api: Api, employee_id: str, day: str) -> Any:
    body = {"goal_id": "g1", "amount": 1, "note": "首份报告", "date": day}
    return api.call("POST", f"/employees/{employee_id}/probation/progress", role="manager", body=body)


def test_probation_is_confirmed_and_progressed_only_from_the_start_date(api: Api, business_clock: MovedClock) -> None:
    # Given a hire who starts in five days
    start = clock.today() + timedelta(days=5)
    hire("t1", start=start)
    # When HR confirms the goals and the manager records progress before that day
    early = api.call("POST", "/employees/t1/probation/confirm", body={"durations": FAST})
    early_progress = progress(api, "t1", clock.today().isoformat())
    # Then both are refused (409 not_yet) naming the start date, and nothing started
    for refused in (early, early_progress):
        assert refused.status_code == 409, refused.data
        assert refused.data["error"]["code"] == "not_yet"
        assert refused.data["error"]["details"][0]["field"] == "start_date"
        assert start.isoformat() in refused.data["error"]["message"]
    assert api.call("GET", "/employees/t1/probation").data["status"] == "proposed"

    # When the clock reaches the start date
    business_clock.to(start)
    confirmed = api.call("POST", "/employees/t1/probation/confirm", body={"durations": {**FAST, "end": 60}})
    recorded = progress(api, "t1", start.isoformat())
    # Then the confirmation and the progress are taken
    assert confirmed.status_code == 201, confirmed.data
    assert recorded.status_code == 200, recorded.data


def test_the_decision_comes_only_after_the_final_review(api: Api, client: Client, stack: Any) -> None:
    # Given a running probation (started a month ago) whose final review is 60 s away
    hire("t2", start=clock.today() - timedelta(days=31))
    durations = {**FAST, "end": 60, "decision_timeout": 60, "heartbeat": 60}
    assert api.call("POST", "/employees/t2/probation/confirm", body={"durations": durations}).status_code == 201
    # When the manager decides before the final review asked
    early = api.call("POST", "/employees/t2/probation/decision", role="manager", body={"decision": "confirm"})
    # Then it is refused (409 not_yet) naming the phase
    assert early.status_code == 409 and early.data["error"]["code"] == "not_yet", early.data
    assert early.data["error"]["details"][0]["field"] == "phase"

    # Given a cycle whose final review waits
    hire("t3", start=clock.today() - timedelta(days=31))
    assert api.call("POST", "/employees/t3/probation/confirm", body={"durations": FAST}).status_code == 201
    until(awaiting(api, "t3"), client, stack)
    # When the manager decides
    decided = api.call("POST", "/employees/t3/probation/decision", role="manager", body={"decision": "confirm"})
    # Then it is taken
    assert decided.status_code == 200, decided.data


def test_the_one_month_mail_waits_until_a_month_after_the_start(
    api: Api, client: Client, stack: Any, business_clock: MovedClock
) -> None:
    # Given a hire who starts today, whose compressed cycle reaches the check-in in seconds
    hire("t4", start=clock.today())
    assert api.call("POST", "/employees/t4/probation/confirm", body={"durations": FAST}).status_code == 201
    until(awaiting(api, "t4"), client, stack)
    # Then the one-month check-in mail was not sent: it would not be true yet
    assert [m for m in sent_mail() if ONE_MONTH in m.body] == []

    # When the daily digest runs before a month has passed
    def run_digest() -> Any:
        return client.lambda_.invoke("probation_digest", scheduled_event("arn:aws:events:::rule/d", REGION)).payload

    run_digest()
    # Then it is still held
    assert [m for m in sent_mail() if ONE_MONTH in m.body] == []

    # When the clock reaches a month after the start and the digest runs
    business_clock.forward(31)
    run_digest()
    run_digest()
    # Then the mail goes out, once
    sent = [m for m in sent_mail() if ONE_MONTH in m.body]
    assert len(sent) == 1 and "1个月回访" in sent[0].subject


def enrol(api: Api, employee_id: str, cycle: dict[str, str]) -> tuple[str, dict[str, Any]]:
    store(employee(employee_id, department="零售金融部", role_family="customer_manager", status="active"))
    cycle_id = str(api.call("POST", "/performance/cycles", body=cycle).data["id"])
    api.call("POST", f"/performance/cycles/{cycle_id}/enrolments", body={"employee_ids": [employee_id]})
    return cycle_id, api.call("GET", f"/performance/cycles/{cycle_id}/employees/{employee_id}").data


def results(api: Api, cycle_id: str, employee_id: str, version: int, actual: float = 90) -> Any:
    body = {"results": [{"kpi_id": SATISFACTION, "actual": actual}], "version": version}
    path = f"/performance/cycles/{cycle_id}/employees/{employee_id}/results"
    return api.call("POST", path, role="manager", body=body)


def test_results_are_recorded_only_inside_the_cycles_window(api: Api, business_clock: MovedClock) -> None:
    # Given next quarter's cycle, with its targets set
    this = quarter_of(clock.today())
    nxt = quarter_of(clock.today().fromisoformat(this["end_date"]) + timedelta(days=1))
    cycle_id, record = enrol(api, "p1", nxt)
    # When the manager records a result before it starts
    early = results(api, cycle_id, "p1", record["version"])
    # Then it is refused (409 outside_window) naming the window, and nothing changed
    assert early.status_code == 409 and early.data["error"]["code"] == "outside_window", early.data
    assert nxt["start_date"] in early.data["error"]["message"]
    assert api.call("GET", f"/performance/cycles/{cycle_id}/employees/p1").data["version"] == record["version"]

    # When the clock reaches the cycle's first day
    business_clock.to(clock.today().fromisoformat(nxt["start_date"]))
    # Then the result is recorded
    assert results(api, cycle_id, "p1", record["version"]).status_code == 200

    # When the window has closed (30 days after the cycle's last day)
    business_clock.to(clock.today().fromisoformat(nxt["end_date"]) + timedelta(days=31))
    late = results(api, cycle_id, "p1", record["version"] + 1)
    # Then results are refused again
    assert late.status_code == 409 and late.data["error"]["code"] == "outside_window"


def test_targets_lock_once_a_result_exists_and_hr_reopens_them_with_a_reason(api: Api) -> None:
    # Given this quarter's record, with a result recorded
    cycle_id, record = enrol(api, "p2", quarter_of(clock.today()))
    path = f"/performance/cycles/{cycle_id}/employees/p2"
    reopen_early = api.call("POST", f"{path}/reopen", body={"reason": "目标设定需要复核", "version": record["version"]})
    assert reopen_early.status_code == 409  # nothing to reopen before a result
    scored = results(api, cycle_id, "p2", record["version"]).data
    override = {"target": 70, "reason": "市场环境变化", "version": scored["version"]}
    # When HR changes a target
    locked = api.call("PUT", f"{path}/targets/{SATISFACTION}", body=override)
    # Then it is refused (409 targets_locked) and the score is unchanged
    assert locked.status_code == 409 and locked.data["error"]["code"] == "targets_locked", locked.data
    assert api.call("GET", path).data["overall_score"] == scored["overall_score"]

    # When a manager tries to reopen, or HR without a reason
    by_manager = api.call("POST", f"{path}/reopen", role="manager", body={"reason": "目标设定需要复核", "version": 2})
    assert by_manager.status_code == 403
    no_reason = api.call("POST", f"{path}/reopen", body={"version": scored["version"]})
    assert no_reason.status_code == 400 and no_reason.data["error"]["details"][0]["field"] == "reason"
    # When HR reopens with a reason
    why = {"reason": "目标设定有误，经部门复核", "version": scored["version"]}
    reopened = api.call("POST", f"{path}/reopen", body=why)
    # Then the record says who reopened and why, the audit trail has it, and the override is taken
    assert reopened.status_code == 200, reopened.data
    assert reopened.data["targets_reopened"]["reason"] == "目标设定有误，经部门复核"
    trail = api.call("GET", "/audit?subject=employee:p2").data["items"]
    assert any(e["action"] == "performance.targets_reopened" for e in trail)
    changed = api.call("PUT", f"{path}/targets/{SATISFACTION}", body={**override, "version": reopened.data["version"]})
    assert changed.status_code == 200, changed.data
    # When results are recorded again, the targets lock again
    again = results(api, cycle_id, "p2", changed.data["version"], actual=95).data
    assert again["targets_reopened"] is None
    relocked = api.call("PUT", f"{path}/targets/{SATISFACTION}", body={**override, "version": again["version"]})
    assert relocked.status_code == 409
