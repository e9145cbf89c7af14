"""The closed analytics loop: reads what the statistics need and hands it to ``shared/domain``.

* Performance rows: the records of one cycle (one paged index Query; each record carries the
  interview scores, family, department and start date), only scored ones.
* Hires for attrition: the cohort entries of each start month (one index Query per month), their
  employee items by BatchGetItem (100 a call) for interview scores and bars.
* Nightly (``Analytics.nightly``): for each of the latest cycles a snapshot of validity, the default
  conditional statements, a re-weighting proposal per family, high potentials (proposed for the
  management-trainee pool), and score band vs performance; attrition by band and the risk model's
  validation for the last 12 cohorts. Stored as ``ANALYTICS#<cycle>`` / ``SNAPSHOT``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from shared.domain import analytics as stats
from shared.domain import attrition_model
from shared.domain import performance as perf_rules
from shared.domain.onboarding import cohort_of, month_shift, months
from shared.errors import Conflict, NotFound, ValidationFailed
from shared.models.common import Dimension, RoleFamily, iso, utcnow
from shared.models.employee import Employee
from shared.models.requisition import DEFAULT_WEIGHTS
from shared.services.courses import Courses
from shared.services.performance import Performance
from shared.store.audit import AuditEntry
from shared.store.onboarding import OnboardingStore
from shared.store.performance import PerformanceStore
from shared.store.repository import Repository

WINDOW_DAYS = 90
MAX_COHORTS = 24
NIGHTLY_CYCLES = 3
DIMENSIONS = [d.value for d in Dimension]
DEFAULT_CONDITIONALS = (
    (Dimension.logic, 80.0),
    (Dimension.customer_orientation, 80.0),
    (Dimension.risk_awareness, 80.0),
)


def row_of(record: dict[str, Any]) -> dict[str, Any] | None:
    if record.get("overall_score") is None:
        return None
    return {
        "employee_id": record["employee_id"],
        "role_family": record["role_family"],
        "department": record["department"],
        "cohort": str(record["start_date"])[:7],
        "scores": record.get("dimension_scores") or {},
        "performance": float(record["overall_score"]),
    }


class Analytics:
    def __init__(self, repo: Repository | None = None) -> None:
        self.repo = repo or Repository()
        self.store = PerformanceStore(self.repo)

    # -- inputs ------------------------------------------------------------------------------------
    def rows(self, cycle_id: str, family: RoleFamily | None = None) -> list[dict[str, Any]]:
        if self.store.cycle(cycle_id) is None:
            raise NotFound(f"performance cycle {cycle_id} does not exist")
        return [r for r in (row_of(i) for i in self.store.cycle_records(cycle_id, family)) if r is not None]

    def hires(self, since: str, until: str, today: date) -> list[dict[str, Any]]:
        cohorts = months(since, until)
        if not cohorts or len(cohorts) > MAX_COHORTS:
            raise ValidationFailed(
                "the cohort range is not valid",
                [{"field": "since", "message": f"since must not be after until, at most {MAX_COHORTS} months"}],
            )
        onboarding = OnboardingStore(self.repo)
        entries = [e for m in cohorts for e in onboarding.cohort(m, None)]
        employees = {e.id: e for e in self.store.employees([e["employee_id"] for e in entries])}
        out = []
        for entry in entries:
            emp = employees.get(entry["employee_id"])
            if emp is None:
                continue
            out.append(hire_row(emp, entry.get("departed_on"), today))
        return out

    # -- results -----------------------------------------------------------------------------------
    def validity(self, cycle_id: str, family: RoleFamily | None, min_n: int) -> list[dict[str, Any]]:
        return [c.as_row() for c in stats.validity(self.rows(cycle_id, family), DIMENSIONS, min_n=min_n)]

    def conditional(
        self, cycle_id: str, family: RoleFamily | None, dimension: Dimension, d_threshold: float, p_threshold: float
    ) -> dict[str, Any]:
        c = stats.conditional(self.rows(cycle_id, family), dimension.value, d_threshold, p_threshold)
        return {**c.__dict__, "role_family": family.value if family else "all", "cycle_id": cycle_id}

    def reweighting(self, cycle_id: str, family: RoleFamily) -> dict[str, Any]:
        current = self.current_weights(family)
        proposal = stats.reweight(self.rows(cycle_id, family), DIMENSIONS, current)
        return {"role_family": family.value, "cycle_id": cycle_id, **proposal}

    def current_weights(self, family: RoleFamily) -> dict[str, float]:
        approved = self.store.approved_weights(family)
        if approved:
            return {str(k): float(v) for k, v in approved["weights"].items()}
        return {d.value: w for d, w in DEFAULT_WEIGHTS.items()}

    def approve_weights(
        self, cycle_id: str, family: RoleFamily, reason: str, actor: str, ip: str | None
    ) -> dict[str, Any]:
        proposal = self.reweighting(cycle_id, family)
        weights = proposal["proposed_weights"]
        if not weights:
            raise Conflict(
                f"there is no re-weighting proposal for {family.value}: "
                "no dimension has a positive, significant validity"
            )
        current = self.store.approved_weights(family)
        version = (int(current["version"]) + 1) if current else 1
        item = {
            "pk": f"WEIGHTS#{family.value}",
            "sk": "CURRENT",
            "type": "approved_weights",
            "role_family": family.value,
            "weights": weights,
            "cycle_id": cycle_id,
            "expected_gain": proposal["expected_gain"],
            "reason": reason,
            "approved_by": actor,
            "approved_at": iso(utcnow()),
            "version": version,
        }
        audit = AuditEntry(
            f"weights:{family.value}",
            actor,
            "weights.approve",
            {"weights": weights, "before": current["weights"] if current else None, "reason": reason},
            ip,
        )
        self.store.put_weights(item, int(current["version"]) if current else None, audit)
        return {k: v for k, v in item.items() if k not in ("pk", "sk", "type")}

    def high_potential(self, cycle_id: str, family: RoleFamily | None) -> list[dict[str, Any]]:
        return stats.high_potential(self.rows(cycle_id, family))

    def propose_high_potential(self, cycle_id: str, actor: str) -> int:
        people = Performance(self.repo)
        proposed = 0
        for hp in self.high_potential(cycle_id, None):
            employee = people.employees.get(hp["employee_id"])
            if employee is None or employee.status == "departed":
                continue
            reason = (
                f"high potential in cycle {cycle_id}: interview {hp['interview_composite']:g} (top 20 %), "
                f"performance {hp['performance']:g} (top 10 %)"
            )
            proposed += people.propose("management_trainee", employee, reason, actor)
        return proposed

    def band_performance(self, cycle_id: str, family: RoleFamily | None) -> list[dict[str, Any]]:
        return stats.band_performance(self.rows(cycle_id, family))

    def attrition_bands(self, since: str, until: str, today: date) -> list[dict[str, Any]]:
        return stats.attrition_by_band([h for h in self.hires(since, until, today) if h["mature"]])

    def attrition_trend(self, since: str, until: str, today: date) -> list[tuple[str, float, int]]:
        by_cohort: dict[str, list[bool]] = {}
        for h in self.hires(since, until, today):
            if h["mature"]:
                by_cohort.setdefault(h["cohort"], []).append(h["left_within_window"])
        return [(c, sum(v) / len(v), len(v)) for c, v in sorted(by_cohort.items())]

    def attrition_risk(self, since: str, until: str, today: date) -> dict[str, Any]:
        hires = self.hires(since, until, today)
        model = attrition_model.train([h for h in hires if h["mature"]], DIMENSIONS)
        if model is None:
            return {"model": None, "reason": "too few mature hires, or no leavers among them", "items": []}
        current = [h for h in hires if not h["departed"]]
        feats = [attrition_model.features(h, DIMENSIONS) for h in current]
        risks = model.predict(feats)
        items = [
            {
                "employee_id": h["employee_id"],
                "department": h["department"],
                "cohort": h["cohort"],
                "risk": round(float(r), 4),
                "factors": model.explain(f),
            }
            for h, f, r in zip(current, feats, risks, strict=True)
        ]
        items.sort(key=lambda i: -i["risk"])
        return {"model": model.metrics, "window_days": WINDOW_DAYS, "items": items}

    # -- development plans -------------------------------------------------------------------------
    def development_plan(self, employee: Employee) -> dict[str, Any]:
        history = self.store.history(employee.id)
        latest = history[-1] if history else None
        below = [t.dimension for t in latest.targets if perf_rules.below_target(t)] if latest else []
        weak = perf_rules.weak_dimensions(employee.dimension_scores, employee.competency_bar, below)
        courses = Courses(self.repo)
        items = []
        for dimension, why in weak:
            assignment_zh, assignment_en = perf_rules.ASSIGNMENTS[dimension]
            items.append(
                {
                    "dimension": dimension.value,
                    "why": why,
                    "training": [
                        {"course_id": c.course_id, "title_zh": c.title_zh, "title_en": c.title_en, "hours": c.hours}
                        for c in courses.catalogue(dimension)[:2]
                    ],
                    "assignment_zh": assignment_zh,
                    "assignment_en": assignment_en,
                }
            )
        return {
            "employee_id": employee.id,
            "based_on_cycle": latest.cycle_id if latest else None,
            "items": items,
        }

    # -- nightly -----------------------------------------------------------------------------------
    def nightly(self, today: date) -> dict[str, int]:
        cycles, _ = self.store.cycles(NIGHTLY_CYCLES, None)
        until = cohort_of(today)
        since = month_shift(until, -11)
        hires = self.hires(since, until, today)
        mature = [h for h in hires if h["mature"]]
        model = attrition_model.train(mature, DIMENSIONS)
        attrition = {
            "bands": stats.attrition_by_band(mature),
            "risk_model": model.metrics if model else None,
        }
        proposed = 0
        for cycle in cycles:
            snapshot = self.snapshot(cycle.id)
            snapshot["attrition"] = attrition
            self.store.put_snapshot(cycle.id, snapshot, iso(utcnow()))
            proposed += self.propose_high_potential(cycle.id, "system")
        return {"cycles": len(cycles), "hires": len(hires), "proposed": proposed}

    def snapshot(self, cycle_id: str) -> dict[str, Any]:
        rows = self.rows(cycle_id)
        return compute_snapshot(rows, {f.value: self.current_weights(f) for f in RoleFamily})


def compute_snapshot(rows: Sequence[dict[str, Any]], weights: dict[str, dict[str, float]]) -> dict[str, Any]:
    """Everything the nightly run computes from one cycle's rows (pure; the benchmark calls it too)."""
    by_family: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_family.setdefault(r["role_family"], []).append(r)
    return {
        "n": len(rows),
        "validity": [c.as_row() for c in stats.validity(rows, DIMENSIONS)],
        "conditional": [stats.conditional(rows, d.value, t, 90.0).__dict__ for d, t in DEFAULT_CONDITIONALS],
        "reweighting": {
            f: stats.reweight(members, DIMENSIONS, weights.get(f) or {d.value: w for d, w in DEFAULT_WEIGHTS.items()})
            for f, members in sorted(by_family.items())
        },
        "high_potential": stats.high_potential(rows),
        "band_performance": stats.band_performance(rows),
    }


def hire_row(emp: Employee, departed_on: str | None, today: date) -> dict[str, Any]:
    left = date.fromisoformat(departed_on) if departed_on else None
    return {
        "employee_id": emp.id,
        "department": emp.department,
        "role_family": emp.role_family.value,
        "cohort": cohort_of(emp.start_date),
        "scores": {d.value: s for d, s in emp.dimension_scores.items()},
        "bar": {d.value: b for d, b in emp.competency_bar.items()},
        "departed": left is not None or emp.status == "departed",
        "left_within_window": left is not None and (left - emp.start_date).days <= WINDOW_DAYS,
        "mature": emp.start_date + timedelta(days=WINDOW_DAYS) <= today,
    }
