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
    # And there are high potentials, a re-weighting proposal and talent-pool proposals for HR
    assert api.call("GET", f"/analytics/high-potential?cycle_id={demo.PAST_CYCLE}").data["items"]
    proposal = api.call("GET", f"/analytics/reweighting/customer_manager?cycle_id={demo.PAST_CYCLE}").data
    assert proposal["summary"]["proposed_weights"]
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
