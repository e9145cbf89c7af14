"""Analytics over moto through the HTTP handlers: validity (JSON, CSV, XLSX, SVG), conditional
statements, re-weighting approval applied to new requisitions only, high potentials proposed by the
nightly run, attrition by band and risk, development plans, permissions and bad input."""

from __future__ import annotations

import io
import random
from datetime import date, timedelta
from typing import Any

import pytest

from shared.domain.exports import XLSX
from shared.models.common import Dimension
from shared.models.employee import Employee
from shared.models.performance import Cycle, PerformanceRecord, TargetRule
from shared.store.audit import AuditEntry
from shared.store.employees import EmployeeStore
from shared.store.onboarding import OnboardingStore, cohort_item
from shared.store.performance import PerformanceStore, cycle_item, record_item
from shared.store.repository import Repository
from tests.support.api import Api
from tests.support.employees import employee as new_employee

N = 120
AUDIT = AuditEntry("employee:x", "system", "test.seed", {})


def seed(n: int = N) -> str:
    """``n`` scored employees whose performance follows their logic score (innovation is noise)."""
    rnd = random.Random(5)
    store = PerformanceStore(Repository())
    cycle = Cycle(
        id="c1",
        name="2027 Q1",
        period="quarter",
        start_date=date(2027, 1, 1),
        end_date=date(2027, 3, 31),
        target_rule=TargetRule(),
        talent_threshold=95,
        created_at="2027-01-01T00:00:00Z",
        created_by="hr.demo",
    )
    store.write([(cycle_item(cycle), None)], AUDIT, "cycle")
    for i in range(n):
        logic, noise = rnd.gauss(75, 10), rnd.gauss(75, 10)
        emp = employee(f"e{i:03d}", {Dimension.logic: round(logic, 1), Dimension.innovation: round(noise, 1)})
        record = PerformanceRecord(
            employee_id=emp.id,
            cycle_id="c1",
            cycle_name=cycle.name,
            period=cycle.period,
            department=emp.department,
            role_family=emp.role_family,
            start_date=emp.start_date,
            dimension_scores=emp.dimension_scores,
            targets=[],
            overall_score=round(max(0, min(100, 80 + 0.7 * (logic - 75) + rnd.gauss(0, 6))), 2),
            status="scored",
            created_at="2027-04-01T00:00:00Z",
            updated_at="2027-04-01T00:00:00Z",
        )
        store.write([(record_item(record, cycle), None)], AUDIT, "record")
    return cycle.id


def employee(employee_id: str, scores: dict[Dimension, float], start: date = date(2026, 9, 1)) -> Employee:
    emp = new_employee(
        employee_id,
        offer_id=f"o-{employee_id}",
        name="李娜",
        email="li.na@example.com",
        start_date=start,
        status="active",
        dimension_scores=scores,
        competency_bar={Dimension.logic: 70},
        created_at="2026-08-01T00:00:00Z",
    )
    EmployeeStore(Repository()).create(emp, AUDIT)
    return emp


def raw(api: Api, path: str, role: str = "hr") -> Any:
    """A download: binary types are sent only to a client that accepts them (as API Gateway does)."""
    accept = {"Accept": XLSX} if "format=xlsx" in path else {}
    return api.client.http.get(path, headers={**api.stack.auth(role), **accept})


def test_validity_is_found_for_the_predicting_dimension_and_exported(api: Api) -> None:
    cycle = seed()
    # When HR asks for validity
    out = api.call("GET", f"/analytics/validity?cycle_id={cycle}&min_n=10")
    assert out.status_code == 200, out.data
    overall = {i["dimension"]: i for i in out.data["items"] if i["role_family"] == "all"}
    # Then logic is significant with n = 120, innovation is not
    assert overall["logic"]["n"] == N and overall["logic"]["significant"] and overall["logic"]["pearson"] > 0.5
    assert not overall["innovation"]["significant"]
    # And the same table downloads as CSV and XLSX, and the chart as SVG
    csv_response = raw(api, f"/analytics/validity?cycle_id={cycle}&format=csv")
    assert csv_response.headers["Content-Type"].startswith("text/csv")
    text = csv_response.body.decode("utf-8") if isinstance(csv_response.body, bytes) else csv_response.body
    assert text.lstrip("\ufeff").startswith("dimension,role_family,cohort,n,pearson")
    xlsx_response = raw(api, f"/analytics/validity?cycle_id={cycle}&format=xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx_response.body)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("dimension", "role_family", "cohort", "n") and len(rows) == len(out.data["items"]) + 1
    svg = raw(api, f"/analytics/validity?cycle_id={cycle}&format=svg")
    assert svg.headers["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in (svg.body if isinstance(svg.body, bytes) else svg.body.encode())


def test_conditional_statement_and_its_parameters(api: Api) -> None:
    cycle = seed()
    out = api.call(
        "GET",
        f"/analytics/conditional?cycle_id={cycle}&dimension=logic&dimension_threshold=80&performance_threshold=85",
    )
    assert out.status_code == 200
    summary = out.data["summary"]
    assert summary["statement"].startswith("P(performance ≥ 85 | logic ≥ 80) = ")
    assert summary["n"] > 0 and summary["probability"] > summary["base_rate"]
    bad = api.call("GET", f"/analytics/conditional?cycle_id={cycle}&dimension=charm")
    assert bad.status_code == 400 and bad.data["error"]["details"][0]["field"] == "dimension"
    assert api.call("GET", "/analytics/conditional?cycle_id=nope&dimension=logic").status_code == 404


def test_reweighting_approval_applies_to_new_requisitions_only(api: Api) -> None:
    cycle = seed()
    old = api.call("POST", "/requisitions", body=requisition()).data
    proposal = api.call("GET", f"/analytics/reweighting/customer_manager?cycle_id={cycle}").data
    assert proposal["summary"]["proposed_weights"]["logic"] == 1.0
    assert proposal["summary"]["expected_gain"] > 0
    # When a manager tries to approve, then HR approves
    body = {"cycle_id": cycle, "reason": "logic predicts performance (Q1 validity)"}
    assert (
        api.call("POST", "/analytics/reweighting/customer_manager/approval", role="manager", body=body).status_code
        == 403
    )
    approved = api.call("POST", "/analytics/reweighting/customer_manager/approval", body=body)
    assert approved.status_code == 201 and approved.data["weights"]["logic"] == 1.0 and approved.data["version"] == 1
    # Then a new requisition without weights gets them; the old one keeps its own; explicit weights win
    new = api.call("POST", "/requisitions", body=requisition()).data
    assert new["dimension_weights"]["logic"] == 1.0
    assert api.call("GET", f"/requisitions/{old['id']}").data["dimension_weights"] == old["dimension_weights"]
    explicit = api.call("POST", "/requisitions", body=requisition(dimension_weights={"expression": 1.0})).data
    assert explicit["dimension_weights"] == {"expression": 1.0}
    assert api.call("GET", f"/analytics/reweighting/pilot?cycle_id={cycle}").status_code == 400


def nightly(client: Any) -> dict[str, int]:
    event = {
        "version": "0",
        "id": "nightly-1",
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": "2027-04-02T01:00:00Z",
        "region": "us-east-1",
        "resources": ["arn:aws:events:us-east-1:123456789012:rule/analytics_nightly"],
        "detail": {},
    }
    return dict(client.lambda_.invoke("analytics_nightly", event).payload)


def requisition(**overrides: Any) -> dict[str, Any]:
    return {
        "title": "客户经理",
        "department": "零售金融部",
        "role_family": "customer_manager",
        "headcount": 2,
        "salary_band": {"min": 100000, "max": 200000},
        **overrides,
    }


def test_nightly_run_snapshots_and_proposes_high_potentials(api: Api, client: Any) -> None:
    cycle = seed()
    expected = api.call("GET", f"/analytics/high-potential?cycle_id={cycle}").data["items"]
    assert expected and all(i["performance"] >= i["performance_cut"] for i in expected)
    # When the nightly schedule fires
    summary = nightly(client)
    # Then a snapshot is stored and every high potential is proposed for the management-trainee pool
    assert summary["cycles"] == 1 and summary["proposed"] == len(expected)
    snapshot = PerformanceStore(Repository()).snapshot(cycle)
    assert snapshot is not None and snapshot["n"] == N and snapshot["validity"]
    pool = api.call("GET", "/talent-pools/management_trainee").data["items"]
    assert {m["employee_id"] for m in pool} == {i["employee_id"] for i in expected}
    assert all(m["status"] == "proposed" and "high potential" in m["history"][0]["reason"] for m in pool)
    # And running again proposes no one twice
    assert nightly(client)["proposed"] == 0


def test_attrition_by_band_and_risk_with_explanations(api: Api) -> None:
    # Given 200 hires from last year whose leaving depends on stress tolerance
    rnd = random.Random(3)
    onboarding = OnboardingStore(Repository())
    start = date.today().replace(day=1) - timedelta(days=300)
    for i in range(200):
        stress = rnd.gauss(70, 12)
        emp = employee(f"h{i:03d}", {Dimension.stress_tolerance: round(stress, 1), Dimension.logic: 75}, start)
        left = rnd.random() < (0.6 if stress < 62 else 0.05)
        entry = cohort_item(emp, start + timedelta(days=30) if left else None)
        onboarding.table.put_item(entry)
    month = f"{start:%Y-%m}"
    bands = api.call("GET", f"/analytics/attrition-bands?since={month}&until={month}")
    assert bands.status_code == 200 and sum(r["hires"] for r in bands.data["items"] if r["cohort"] == "all") == 200
    risk = api.call("GET", f"/analytics/attrition-risk?since={month}&until={month}").data
    assert risk["summary"]["model"]["holdout_auc"] > 0.6 and risk["summary"]["model"]["calibration"]
    assert all(i["factors"] for i in risk["items"])
    trend = raw(api, f"/analytics/attrition-bands?since={month}&until={month}&format=svg")
    assert trend.headers["Content-Type"].startswith("image/svg+xml")
    assert api.call("GET", "/analytics/attrition-bands?since=2027-13").status_code == 400


def test_development_plan_and_permissions(api: Api) -> None:
    employee("weak", {Dimension.logic: 60, Dimension.teamwork: 65})
    plan = api.call("GET", "/employees/weak/development-plan", role="manager")
    assert plan.status_code == 200
    dims = {i["dimension"]: i for i in plan.data["items"]}
    assert set(dims) == {"logic", "teamwork"} and dims["logic"]["why"] == "interview 60 < bar 70"
    assert dims["logic"]["training"] and dims["logic"]["assignment_zh"]
    assert api.call("GET", "/employees/weak/development-plan", role="manager2").status_code == 403
    for path in (
        "/analytics/validity?cycle_id=c1",
        "/analytics/attrition-bands",
        "/analytics/high-potential?cycle_id=c1",
    ):
        assert api.call("GET", path, role="manager").status_code == 403
        assert api.call("GET", path, role=None).status_code == 401


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exported_lists_neutralise_formulas(api: Api, fmt: str) -> None:
    employee("inj", {Dimension.logic: 99})
    cycle = seed(30)
    body = raw(api, f"/analytics/high-potential?cycle_id={cycle}&format={fmt}").body
    assert body  # opened below for XLSX; CSV checked as text
    if fmt == "xlsx":
        from openpyxl import load_workbook

        assert load_workbook(io.BytesIO(body)).active.max_row >= 1
    else:
        text = body.decode("utf-8") if isinstance(body, bytes) else body
        assert text.lstrip("\ufeff").startswith("employee_id,")
