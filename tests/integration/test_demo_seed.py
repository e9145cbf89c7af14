"""The local stack's demo history (``infra/local/demo.py``) over moto through the HTTP handlers:
the console's performance and analytics pages have data, and a second run writes nothing."""

from __future__ import annotations

from datetime import date

from infra.local import demo
from tests.support.api import Api

TODAY = date(2027, 5, 14)


def test_the_demo_history_feeds_the_performance_and_analytics_pages(api: Api) -> None:
    # Given the demo history written into a fresh table
    written = demo.seed(TODAY)
    assert written["results"] == demo.ACTIVE

    # Then HR sees a closed scored cycle and the open quarter
    cycles = api.call("GET", "/performance/cycles").data["items"]
    assert {c["id"]: c["status"] for c in cycles} == {demo.PAST_CYCLE: "closed", demo.OPEN_CYCLE: "open"}
    # And the validity of logic (which drives performance in the demo) is significant
    validity = api.call("GET", f"/analytics/validity?cycle_id={demo.PAST_CYCLE}").data["items"]
    overall = {i["dimension"]: i for i in validity if i["role_family"] == "all" and i["cohort"] == "all"}
    assert overall["logic"]["n"] == demo.ACTIVE and overall["logic"]["significant"]
    # And the cohort is large enough for the minimums: high potentials, a conditional statement with its
    # interval, and a customer-manager re-weighting HR may approve (130 rated hires ≥ 100)
    assert api.call("GET", f"/analytics/high-potential?cycle_id={demo.PAST_CYCLE}").data["items"]
    conditional = api.call("GET", f"/analytics/conditional?cycle_id={demo.PAST_CYCLE}&dimension=logic").data
    assert conditional["summary"]["enough_data"] and conditional["summary"]["probability_low"] is not None
    proposal = api.call("GET", f"/analytics/reweighting/customer_manager?cycle_id={demo.PAST_CYCLE}").data
    assert proposal["summary"]["proposed_weights"] and proposal["summary"]["approvable"]
    assert proposal["summary"]["n"] == demo.RETAIL
    # While the risk managers' (70) and the attrition-risk model say "not enough data"
    risk_family = api.call("GET", f"/analytics/reweighting/risk_manager?cycle_id={demo.PAST_CYCLE}").data["summary"]
    assert not risk_family["approvable"] and any("not enough data" in b for b in risk_family["blocked_because"])
    risk = api.call("GET", "/analytics/attrition-risk?since=2026-01&until=2027-05").data
    assert risk["items"] == [] and risk["summary"]["reason"].startswith("not enough data")
    # And the open quarter's partial records are visible as partial and left out of its analytics
    partial = api.call("GET", f"/performance/cycles/{demo.OPEN_CYCLE}/employees/{demo.PARTIAL[0]}").data
    assert partial["status"] == "partial" and partial["overall_score"] is None
    population = api.call("GET", f"/analytics/validity?cycle_id={demo.OPEN_CYCLE}").data["population"]
    assert population["n"] == 0 and {r["reason"]: r["count"] for r in population["left_out"]} == {
        "partial": len(demo.PARTIAL),
        "no_results": demo.OPEN_CYCLE_ENROLLED - len(demo.PARTIAL),
    }
    pools = api.call("GET", "/talent-pools").data["items"]
    assert sum(p["proposed"] for p in pools) > 0
    # And the attrition trend has hires and departures
    bands = api.call("GET", "/analytics/attrition-bands?since=2026-01&until=2027-05").data["items"]
    assert sum(r["left"] for r in bands if r["cohort"] == "all") > 0

    # And the retail manager can enter results for an enrolled hire of their department in the open quarter
    record = api.call("GET", f"/performance/cycles/{demo.OPEN_CYCLE}/employees/demo-000", role="manager")
    assert record.status_code == 200 and record.data["status"] == "targets_set" and record.data["targets"]
    # And the demo probation hire's goals are proposed, waiting for confirmation
    probation = api.call("GET", f"/employees/{demo.PROBATION_EMPLOYEE}/probation", role="manager").data
    assert probation["status"] == "proposed"


def test_a_second_seed_writes_nothing(api: Api) -> None:
    # Given the demo history written once
    demo.seed(TODAY)
    # When the stack restarts on the same tables (--persist) and seeds again
    again = demo.seed(TODAY)
    # Then nothing is written twice
    assert again == {"employees": 0, "results": 0}
    history = api.call("GET", "/employees/demo-000/performance").data["items"]
    assert [r["cycle_id"] for r in history].count(demo.PAST_CYCLE) == 1


def test_every_demo_hire_has_its_requisition_and_every_leaver_its_departure(api: Api) -> None:
    # Given the demo history
    written = demo.seed(TODAY)
    assert written["employees"] == demo.ACTIVE + demo.LEFT + 1
    # Then the requisitions the hires name exist, each with the headcount it hired
    retail = api.call("GET", f"/requisitions/{demo.RETAIL_REQUISITION}")
    risk = api.call("GET", f"/requisitions/{demo.RISK_REQUISITION}")
    assert retail.status_code == risk.status_code == 200
    assert retail.data["department"] == "零售金融部" and risk.data["role_family"] == "risk_manager"
    hires = [api.call("GET", f"/employees/demo-{n:03d}").data for n in range(demo.ACTIVE + demo.LEFT)]
    probation = api.call("GET", f"/employees/{demo.PROBATION_EMPLOYEE}").data
    by_requisition = [h["requisition_id"] for h in [*hires, probation]]
    assert by_requisition.count(demo.RETAIL_REQUISITION) == retail.data["headcount"]
    assert by_requisition.count(demo.RISK_REQUISITION) == risk.data["headcount"]
    # And every hire who left shows the departure HR recorded, within three months of the start
    leavers = [h for h in hires if h["status"] == "departed"]
    assert len(leavers) == demo.LEFT
    for leaver in leavers:
        departure = leaver["departure"]
        assert departure is not None and departure["reason"] and departure["recorded_by"] == "hr.demo"
        days = (date.fromisoformat(departure["date"]) - date.fromisoformat(leaver["start_date"])).days
        assert 0 <= days <= 90
    assert all(h["departure"] is None for h in hires if h["status"] == "active")
