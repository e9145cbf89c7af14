"""Performance management over moto through the HTTP handlers: the indicator library, cycles and
targets, results and scoring, the feedback loop and talent pools, permissions and bad input."""

from __future__ import annotations

from typing import Any

import pytest

from shared.models.common import Dimension
from tests.support.api import Api
from tests.support.bodies import CYCLE
from tests.support.employees import employee, store

RETAIL = "零售金融部"
SATISFACTION = "customer_manager.customer_orientation.client_satisfaction"
NEW_CLIENTS = "customer_manager.customer_orientation.new_clients"
INNOVATION = "customer_manager.innovation.new_scenarios"


def hire(employee_id: str, department: str = RETAIL, scores: dict[Dimension, float] | None = None, **kw: Any) -> None:
    hired = employee(
        employee_id,
        department=department,
        role_family=kw.get("role_family", "customer_manager"),
        status=kw.get("status", "active"),
        dimension_scores=scores if scores is not None else {Dimension.customer_orientation: 85},
        competency_bar={Dimension.customer_orientation: 80, Dimension.innovation: 75},
    )
    store(hired, action="employee.create", subject="employee:x")


def open_cycle(api: Api, **overrides: Any) -> str:
    response = api.call("POST", "/performance/cycles", body={**CYCLE, **overrides})
    assert response.status_code == 201, response.data
    return str(response.data["id"])


def enrolled(api: Api, employee_id: str = "e1", **scores: float) -> tuple[str, dict[str, Any]]:
    hire(employee_id, scores={Dimension(k): v for k, v in scores.items()} if scores else None)
    cycle_id = open_cycle(api)
    out = api.call("POST", f"/performance/cycles/{cycle_id}/enrolments", body={"employee_ids": [employee_id]})
    assert out.status_code == 200 and out.data["created"] == [employee_id], out.data
    record = api.call("GET", f"/performance/cycles/{cycle_id}/employees/{employee_id}").data
    return cycle_id, record


def target(record: dict[str, Any], kpi_id: str) -> dict[str, Any]:
    return next(t for t in record["targets"] if t["kpi_id"] == kpi_id)


# -- the library -----------------------------------------------------------------------------------
def test_the_seed_library_covers_every_dimension_of_every_family(api: Api) -> None:
    # Given the seed library; When each family's library is read (hr and manager)
    for family in ("customer_manager", "risk_manager", "teller_operations", "it_data"):
        items = api.call("GET", f"/indicators?role_family={family}", role="manager").data["items"]
        # Then every interview dimension maps to at least one KPI with a unit, direction and baseline
        assert {i["dimension"] for i in items} == {d.value for d in Dimension}
        assert all(i["unit"] and i["direction"] in ("higher", "lower") and i["baseline_target"] >= 0 for i in items)
        assert all(i["name_zh"] and i["name_en"] and i["scoring_rule"] for i in items)
    risk = api.call("GET", "/indicators?role_family=risk_manager&dimension=risk_awareness").data["items"]
    assert {i["name_en"] for i in risk} == {"Risk events identified", "Risk report quality score"}


def test_hr_adds_and_edits_kpis_with_versions_and_others_may_not(api: Api) -> None:
    # Given a new KPI added by HR
    body = {
        "role_family": "customer_manager",
        "dimension": "teamwork",
        "name_zh": "团队营销活动参与数",
        "name_en": "Team campaigns joined",
        "unit": "campaigns",
        "direction": "higher",
        "baseline_target": 4,
        "adjust_per_point": 0.1,
    }
    created = api.call("POST", "/indicators", body=body)
    assert created.status_code == 201 and created.data["version"] == 1 and created.data["origin"] == "hr"
    # When HR edits a seed KPI at its version, then again with the stale version
    seed = api.call("GET", f"/indicators/{SATISFACTION}").data
    content = {k: seed[k] for k in ("name_zh", "name_en", "unit", "direction", "adjust_per_point", "weight")}
    edit = {**content, "baseline_target": 86, "version": 1}
    first = api.call("PUT", f"/indicators/{SATISFACTION}", body=edit)
    stale = api.call("PUT", f"/indicators/{SATISFACTION}", body=edit)
    # Then the first is version 2, the stale one 409, and a manager may neither add nor edit
    assert first.status_code == 200 and first.data["version"] == 2 and first.data["baseline_target"] == 86
    assert stale.status_code == 409
    assert api.call("POST", "/indicators", role="manager", body=body).status_code == 403
    assert api.call("PUT", f"/indicators/{SATISFACTION}", role="manager", body=edit).status_code == 403
    assert api.call("GET", "/indicators?role_family=customer_manager", role="it").status_code == 403
    # And bad input is a 400 naming the field, unknown KPIs 404
    bad = api.call("POST", "/indicators", body={**body, "direction": "sideways"})
    assert bad.status_code == 400 and bad.data["error"]["details"][0]["field"] == "direction"
    assert api.call("GET", "/indicators/nope").status_code == 404


# -- cycles and targets ----------------------------------------------------------------------------
def test_targets_move_with_the_interview_score_as_in_the_source(api: Api) -> None:
    # Given an employee with customer_orientation 85 and the role baseline 85 for client satisfaction
    _, record = enrolled(api, customer_orientation=85)
    # Then the target is ≥ 90, with its reason; dimensions without a score keep the baseline
    t = target(record, SATISFACTION)
    assert (t["baseline_target"], t["interview_score"], t["target"]) == (85, 85, 90)
    assert "10 points above the pivot 75" in t["reason"] and "target ≥ 90" in t["reason"]
    assert target(record, NEW_CLIENTS)["target"] == 22
    inno = target(record, INNOVATION)
    assert inno["target"] == inno["baseline_target"] and "no interview score" in inno["reason"]
    assert abs(sum(t["weight"] for t in record["targets"]) - 1) < 1e-4


def test_the_target_rule_is_configurable_per_cycle(api: Api) -> None:
    # Given a cycle whose pivot is 80 and an employee with customer_orientation 100 (capped at 10 points)
    hire("e1", scores={Dimension.customer_orientation: 100})
    cycle_id = open_cycle(api, target_rule={"pivot": 80, "max_shift_points": 10})
    api.call("POST", f"/performance/cycles/{cycle_id}/enrolments", body={"employee_ids": ["e1"]})
    # Then the shift is capped: 85 + 0.5 × 10 = 90
    record = api.call("GET", f"/performance/cycles/{cycle_id}/employees/e1").data
    assert target(record, SATISFACTION)["target"] == 90
    assert "counted at most 10" in target(record, SATISFACTION)["reason"]


def test_hr_overrides_a_target_with_a_reason_and_stale_versions_conflict(api: Api) -> None:
    cycle_id, record = enrolled(api, customer_orientation=85)
    path = f"/performance/cycles/{cycle_id}/employees/e1/targets/{SATISFACTION}"
    # When HR overrides at the record's version; a manager tries the same; HR retries with the old version
    body = {"target": 88, "reason": "new branch opened mid-quarter", "version": record["version"]}
    done = api.call("PUT", path, body=body)
    manager = api.call("PUT", path, role="manager", body=body)
    stale = api.call("PUT", path, body=body)
    # Then the target carries the reason, the manager is refused and the stale write is 409
    assert done.status_code == 200
    t = target(done.data, SATISFACTION)
    assert t["target"] == 88 and "new branch opened" in t["reason"] and t["overridden_by"] == "hr.demo"
    assert manager.status_code == 403 and stale.status_code == 409


def test_enrolment_is_idempotent_and_refuses_departed_or_unknown_employees(api: Api) -> None:
    cycle_id, _ = enrolled(api)
    again = api.call("POST", f"/performance/cycles/{cycle_id}/enrolments", body={"employee_ids": ["e1"]})
    assert again.data == {"cycle_id": cycle_id, "created": [], "already_enrolled": ["e1"]}
    hire("gone", status="departed")
    refused = api.call("POST", f"/performance/cycles/{cycle_id}/enrolments", body={"employee_ids": ["gone"]})
    assert refused.status_code == 400 and refused.data["error"]["details"][0]["field"] == "employee_ids"
    path = f"/performance/cycles/{cycle_id}/enrolments"
    assert api.call("POST", path, body={"employee_ids": ["x"]}).status_code == 404
    assert api.call("POST", path, role="manager", body={"employee_ids": ["e1"]}).status_code == 403
    bad = api.call("POST", "/performance/cycles", body={**CYCLE, "end_date": CYCLE["start_date"]})
    assert bad.status_code == 400


# -- results, scoring, feedback ----------------------------------------------------------------------
def results(api: Api, cycle_id: str, actuals: dict[str, float], role: str = "manager") -> Any:
    record = api.call("GET", f"/performance/cycles/{cycle_id}/employees/e1").data
    body = {"results": [{"kpi_id": k, "actual": v} for k, v in actuals.items()], "version": record["version"]}
    return api.call("POST", f"/performance/cycles/{cycle_id}/employees/e1/results", role=role, body=body)


def all_met(record: dict[str, Any]) -> dict[str, float]:
    return {t["kpi_id"]: t["target"] for t in record["targets"]}


def test_the_manager_records_results_scored_per_kpi_and_overall(api: Api) -> None:
    cycle_id, record = enrolled(api, customer_orientation=85)
    # When every target is met exactly
    out = results(api, cycle_id, all_met(record))
    # Then every KPI scores 80 and so does the cycle, with no feedback
    assert out.status_code == 200, out.data
    assert {t["score"] for t in out.data["targets"]} == {80}
    assert out.data["overall_score"] == 80 and out.data["status"] == "scored"
    assert out.data["development"] == [] and out.data["talent_proposals"] == []
    # And the history shows the cycle
    history = api.call("GET", "/employees/e1/performance", role="manager").data
    assert [r["cycle_id"] for r in history["items"]] == [cycle_id]


def test_below_target_attaches_the_interview_report_and_courses_and_the_manager_confirms(api: Api) -> None:
    cycle_id, record = enrolled(api, customer_orientation=70)
    # Given client satisfaction 72 against a target of 82.5 → 83 (70: 5 below the pivot)
    assert target(record, SATISFACTION)["target"] == 83
    actuals = {**all_met(record), SATISFACTION: 72}
    out = results(api, cycle_id, actuals).data
    # Then one development item: the interview report of customer_orientation (flagged: 70 < bar 80) + courses
    (item,) = out["development"]
    assert item["kpi_id"] == SATISFACTION and item["status"] == "proposed"
    assert item["interview_report"]["interview_score"] == 70 and item["interview_report"]["flagged_in_interview"]
    assert item["recommended_courses"] and all(c["course_id"] for c in item["recommended_courses"])
    # When the manager of another department, then the department's manager confirm an action
    path = f"/performance/cycles/{cycle_id}/employees/e1/development/{SATISFACTION}"
    body = {"action": "客户沟通课程 + 陪同拜访 10 户重点客户", "version": out["version"]}
    assert api.call("POST", path, role="manager2", body=body).status_code == 403
    confirmed = api.call("POST", path, role="manager", body=body)
    assert confirmed.status_code == 200
    assert confirmed.data["development"][0]["status"] == "confirmed"
    assert confirmed.data["development"][0]["confirmed_by"] == "manager.demo"
    again = api.call("POST", path, role="manager", body={**body, "version": confirmed.data["version"]})
    assert again.status_code == 409


def test_results_bad_input_and_permissions(api: Api) -> None:
    cycle_id, record = enrolled(api)
    assert results(api, cycle_id, {"nope": 1}).status_code == 400
    assert results(api, cycle_id, all_met(record), role="manager2").status_code == 403
    assert results(api, cycle_id, all_met(record), role="it").status_code == 403
    path = f"/performance/cycles/{cycle_id}/employees/e1/results"
    body = {"results": [{"kpi_id": SATISFACTION, "actual": -1}], "version": 1}
    negative = api.call("POST", path, role="manager", body=body)
    assert negative.status_code == 400 and negative.data["error"]["details"][0]["field"] == "results.0.actual"
    assert api.call("GET", f"/performance/cycles/{cycle_id}/employees/e1", role="manager2").status_code == 403


def test_well_above_target_proposes_a_talent_pool_and_hr_decides(api: Api) -> None:
    cycle_id, record = enrolled(api, customer_orientation=85, innovation=90)
    # Given the innovation target exceeded by 50 % (score 100 ≥ threshold 95)
    actuals = {**all_met(record), INNOVATION: target(record, INNOVATION)["target"] * 1.5}
    out = results(api, cycle_id, actuals).data
    assert out["talent_proposals"] == ["innovation"]
    # Then the innovation pool lists the proposal for HR and the department's manager, not for another
    pool = api.call("GET", "/talent-pools/innovation", role="manager").data["items"]
    assert [(m["employee_id"], m["status"]) for m in pool] == [("e1", "proposed")]
    assert api.call("GET", "/talent-pools/innovation", role="manager2").data["items"] == []
    assert api.call("GET", f"/talent-pools/innovation?department={RETAIL}", role="manager2").status_code == 403
    summary = {p["name"]: p for p in api.call("GET", "/talent-pools").data["items"]}
    assert summary["innovation"]["proposed"] == 1 and summary["innovation"]["name_zh"] == "创新人才库"
    # When a manager tries to decide, then HR accepts; a second accept at the old version conflicts
    decision = {"decision": "accept", "reason": "跨部门创新项目", "version": pool[0]["version"]}
    assert api.call("POST", "/talent-pools/innovation/members/e1", role="manager", body=decision).status_code == 403
    accepted = api.call("POST", "/talent-pools/innovation/members/e1", body=decision)
    assert accepted.status_code == 200 and accepted.data["status"] == "member"
    assert [e["event"] for e in accepted.data["history"]] == ["proposed", "accepted"]
    assert api.call("POST", "/talent-pools/innovation/members/e1", body=decision).status_code == 409
    assert api.call("GET", "/talent-pools/nope").status_code == 404
    assert api.call("GET", "/talent-pools", role="it").status_code == 403


def test_partial_results_leave_the_record_partial_with_no_score_and_no_pool(api: Api) -> None:
    cycle_id, record = enrolled(api, customer_orientation=85, innovation=90)
    # Given results for one KPI of the record only, far above target (it alone would score 100)
    out = results(api, cycle_id, {INNOVATION: target(record, INNOVATION)["target"] * 1.5})
    # Then the record is partial: the KPI is scored, the record is not, and no talent pool is proposed
    assert out.status_code == 200, out.data
    assert out.data["status"] == "partial" and out.data["overall_score"] is None
    assert out.data["baseline_score"] is None and target(out.data, INNOVATION)["score"] == 100
    assert out.data["talent_proposals"] == []
    assert api.call("GET", "/talent-pools/innovation").data["items"] == []
    # When the other results arrive, then the record is scored and the pool proposed
    rest = {k: v for k, v in all_met(record).items() if k != INNOVATION}
    done = results(api, cycle_id, rest).data
    assert done["status"] == "scored" and done["overall_score"] is not None
    assert done["talent_proposals"] == ["innovation"]


def test_hr_closes_an_incomplete_record_with_the_missing_kpis_excluded(api: Api) -> None:
    cycle_id, record = enrolled(api, customer_orientation=85)
    path = f"/performance/cycles/{cycle_id}/employees/e1/closure"
    # Given results for two KPIs, the others never delivered
    partial = results(api, cycle_id, {SATISFACTION: 95, NEW_CLIENTS: target(record, NEW_CLIENTS)["target"]}).data
    missing = sorted(t["kpi_id"] for t in record["targets"] if t["kpi_id"] not in (SATISFACTION, NEW_CLIENTS))
    # When a manager tries to close it, then HR closes it without a reason, then with one
    body = {"reason": "系统迁移，部分指标本期无数据", "version": partial["version"]}
    assert api.call("POST", path, role="manager", body=body).status_code == 403
    no_reason = api.call("POST", path, body={"version": partial["version"]})
    assert no_reason.status_code == 400 and no_reason.data["error"]["details"][0]["field"] == "reason"
    closed = api.call("POST", path, body=body)
    # Then the record is scored on the two KPIs with results; the others are excluded, with the reason
    assert closed.status_code == 200, closed.data
    data = closed.data
    assert data["status"] == "scored" and sorted(data["closure"]["excluded"]) == missing
    assert data["closure"]["reason"] == body["reason"] and data["closure"]["by"] == "hr.demo"
    kept = [t for t in data["targets"] if not t["excluded"]]
    assert {t["kpi_id"] for t in kept} == {SATISFACTION, NEW_CLIENTS}
    expected = sum(t["weight"] * t["score"] for t in kept) / sum(t["weight"] for t in kept)
    assert data["overall_score"] == pytest.approx(expected, abs=0.01)
    # And the closure is in the audit trail with the excluded KPIs and the reason
    audit = api.call("GET", "/audit?subject=employee:e1").data["items"]
    entry = next(a for a in audit if a["action"] == "performance.close")
    assert entry["actor"] == "hr.demo" and entry["details"]["reason"] == body["reason"]
    assert sorted(entry["details"]["excluded"]) == missing
    # And an excluded KPI takes no result; closing twice, or at a stale version, conflicts
    late = results(api, cycle_id, {missing[0]: 1.0})
    assert late.status_code == 409
    assert api.call("POST", path, body={**body, "version": data["version"]}).status_code == 409
    assert api.call("POST", path, body=body).status_code == 409


def test_a_record_without_any_result_cannot_be_closed(api: Api) -> None:
    cycle_id, record = enrolled(api)
    path = f"/performance/cycles/{cycle_id}/employees/e1/closure"
    refused = api.call("POST", path, body={"reason": "离职前未录入", "version": record["version"]})
    assert refused.status_code == 409 and "no result" in refused.data["error"]["message"]


@pytest.mark.parametrize("role", [None])
def test_unauthenticated_calls_are_refused(api: Api, role: str | None) -> None:
    assert api.call("GET", "/indicators?role_family=it_data", role=role).status_code == 401
    assert api.call("GET", "/talent-pools", role=role).status_code == 401
