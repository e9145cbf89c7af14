"""What the analytics read (definitions in docs/analytics.md), and the rows they read it into.

* Performance rows: the records of one cycle (one paged index Query; each record carries the
  interview scores, the weights of the requisition the hire came through, family, department and
  start date). Only *scored* records count (every KPI has a result, or HR closed the record); every
  result states how many records it used and how many it left out, and why.
* Hires for attrition: the cohort entries of each start month (one index Query per month), their
  employee items by BatchGetItem (100 a call) for interview scores, weights and bars.
* The minimums below which a figure is "not enough data" and the re-weighting guards are settings
  (``shared/settings.py``).

numpy is imported by the domain modules on the analytics paths only (``_stats`` and friends), never
when the app is imported.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from types import ModuleType
from typing import Any

from shared.domain import performance as perf_rules
from shared.domain.onboarding import cohort_of, months
from shared.domain.shortlist import weighted_score
from shared.errors import NotFound, ValidationFailed
from shared.models.common import Dimension, RoleFamily
from shared.models.employee import Employee
from shared.models.requisition import DEFAULT_WEIGHTS
from shared.services.performance import Performance
from shared.settings import Settings, get_settings
from shared.store.applications import ApplicationStore
from shared.store.onboarding import OnboardingStore
from shared.store.performance import PerformanceStore
from shared.store.repository import Repository

WINDOW_DAYS = 90
MAX_COHORTS = 24
DIMENSIONS = [d.value for d in Dimension]
LEFT_OUT = {
    "no_results": "targets set, no result yet",
    "partial": "results for some KPIs only: scored when the rest arrive or HR closes the record",
    "no_interview_scores": "no AI interview scores on record",
    "no_hiring_weights": "the weights of the requisition the hire came through are unknown",
    "not_mature": "the 90-day window has not passed yet",
}


def _stats() -> ModuleType:
    from shared.domain import analytics

    return analytics


def _reweighting() -> ModuleType:
    from shared.domain import reweighting

    return reweighting


@dataclass(frozen=True)
class Minimums:
    """The population below which a result is "not enough data" (settings; docs/analytics.md)."""

    conditional: int = Settings.model_fields["analytics_min_conditional_n"].default
    high_potential: int = Settings.model_fields["analytics_min_high_potential_n"].default
    band: int = Settings.model_fields["analytics_min_band_n"].default
    risk_hires: int = Settings.model_fields["analytics_min_risk_hires"].default
    risk_auc_floor: float = Settings.model_fields["analytics_risk_auc_floor"].default


def minimums() -> Minimums:
    s = get_settings()
    return Minimums(
        conditional=s.analytics_min_conditional_n,
        high_potential=s.analytics_min_high_potential_n,
        band=s.analytics_min_band_n,
        risk_hires=s.analytics_min_risk_hires,
        risk_auc_floor=s.analytics_risk_auc_floor,
    )


def guards() -> Any:
    s = get_settings()
    return _reweighting().Guards(
        min_rated_hires=s.analytics_min_rated_hires,
        step=s.analytics_weight_step,
        floor=s.analytics_weight_floor,
        shrinkage_n=s.analytics_shrinkage_n,
        folds=s.analytics_cv_folds,
    )


def hiring_score(scores: dict[str, float], weights: dict[str, float]) -> float | None:
    """The requisition's weighted interview score; None when no weighted dimension has a score."""
    if not any(weights.get(d, 0) > 0 for d in scores):
        return None
    return weighted_score(scores, weights)


RECORD_FIELDS = (
    "employee_id",
    "role_family",
    "department",
    "start_date",
    "requisition_id",
    "dimension_scores",
    "dimension_weights",
    "status",
    "overall_score",
    "baseline_score",
)
"""What analytics reads of a cycle record (a projection: the targets stay in the table)."""


def exclusion(record: dict[str, Any]) -> str | None:
    """Why a cycle record is left out of analytics (a ``LEFT_OUT`` key), or None when it counts."""
    status = record.get("status")
    if status != "scored" or record.get("overall_score") is None:
        # records written before the partial status got an overall score from their first result
        legacy_partial = status == "targets_set" and record.get("overall_score") is not None
        scored_kpis = any(t.get("score") is not None for t in record.get("targets") or [])
        return "partial" if status == "partial" or legacy_partial or scored_kpis else "no_results"
    if not record.get("dimension_scores"):
        return "no_interview_scores"
    if not record.get("dimension_weights"):
        return "no_hiring_weights"
    if hiring_score(record["dimension_scores"], record["dimension_weights"]) is None:
        return "no_interview_scores"
    return None


def criterion(record: dict[str, Any]) -> float:
    """The record's baseline-target score (computed from its targets for records scored before it was kept)."""
    if record.get("baseline_score") is not None:
        return float(record["baseline_score"])
    from shared.models.performance import Target

    value = perf_rules.baseline_overall([Target.model_validate(t) for t in record["targets"]])
    return float(value if value is not None else record["overall_score"])


def row_of(record: dict[str, Any]) -> dict[str, Any] | None:
    """The analytics row of a cycle record, or None when it is left out (see ``exclusion``)."""
    if exclusion(record) is not None:
        return None
    scores = {str(k): float(v) for k, v in record["dimension_scores"].items()}
    weights = {str(k): float(v) for k, v in record["dimension_weights"].items()}
    return {
        "employee_id": record["employee_id"],
        "role_family": record["role_family"],
        "department": record["department"],
        "requisition_id": record.get("requisition_id"),
        "cohort": str(record["start_date"])[:7],
        "scores": scores,
        "weights": weights,
        "hiring_score": hiring_score(scores, weights),
        "performance": criterion(record),
    }


def population(total: int, used: int, left: Counter[str]) -> dict[str, Any]:
    """What a result was computed on: n of the records, and how many were left out, and why."""
    return {
        "records": total,
        "n": used,
        "left_out": [{"reason": k, "count": v, "description": LEFT_OUT[k]} for k, v in sorted(left.items())],
    }


@dataclass
class Rows:
    rows: list[dict[str, Any]]
    population: dict[str, Any]


class AnalyticsInputs:
    """The reads every analytics result starts from."""

    def __init__(self, repo: Repository | None = None) -> None:
        self.repo = repo or Repository()
        self.store = PerformanceStore(self.repo)

    # -- inputs ------------------------------------------------------------------------------------
    def rows(self, cycle_id: str, family: RoleFamily | None = None) -> Rows:
        cycle = self.store.cycle(cycle_id)
        if cycle is None:
            raise NotFound(f"performance cycle {cycle_id} does not exist")
        records = self.store.cycle_records(cycle_id, family, RECORD_FIELDS)
        # records scored before the baseline score was kept: read whole, to score them from their targets
        legacy = [r["employee_id"] for r in records if r.get("status") == "scored" and r.get("baseline_score") is None]
        if legacy:
            whole = {r.employee_id: r.model_dump(mode="json") for r in self.store.records(legacy, cycle)}
            records = [whole.get(r["employee_id"], r) for r in records]
        self._fill_weights([r for r in records if r.get("status") == "scored" and not r.get("dimension_weights")])
        rows: list[dict[str, Any]] = []
        left: Counter[str] = Counter()
        for record in records:
            reason = exclusion(record)
            if reason:
                left[reason] += 1
            else:
                rows.append(row_of(record) or {})
        return Rows(rows, population(len(records), len(rows), left))

    def _fill_weights(self, records: list[dict[str, Any]]) -> None:
        """Records written before they kept the hiring weights get them from the requisition."""
        if not records:
            return
        unknown = [r["employee_id"] for r in records if not r.get("requisition_id")]
        requisition_of = {e.id: e.requisition_id for e in self.store.employees(unknown)} if unknown else {}
        weights: dict[str, dict[str, float] | None] = {}
        for record in records:
            rid = record.get("requisition_id") or requisition_of.get(record["employee_id"])
            if not rid:
                continue
            if rid not in weights:
                req = self.repo.requisitions.get(rid)
                weights[rid] = {d.value: w for d, w in req.dimension_weights.items()} if req else None
            if weights[rid]:
                record["dimension_weights"] = weights[rid]

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
        people = Performance(self.repo)
        requisitions: dict[str, dict[Dimension, float]] = {}
        out = []
        for entry in entries:
            emp = employees.get(entry["employee_id"])
            if emp is None:
                continue
            if not emp.dimension_weights and emp.requisition_id not in requisitions:
                requisitions[emp.requisition_id] = people.with_hiring_weights(emp).dimension_weights
            if not emp.dimension_weights:
                emp = emp.model_copy(update={"dimension_weights": requisitions[emp.requisition_id]})
            out.append(hire_row(emp, entry.get("departed_on"), today))
        return out

    def applicant_sd(self, rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
        """The SD of each predictor among every interviewed applicant of the requisitions the rated hires
        came through (the unrestricted population of Thorndike's case II)."""
        apps = ApplicationStore(self.repo)
        scored = [
            s
            for rid in sorted({r["requisition_id"] for r in rows if r.get("requisition_id")})
            for s in apps.interview_scores(rid)
        ]
        columns: dict[str, list[float]] = {
            "hiring_score": [float(s["weighted_score"]) for s in scored if s.get("weighted_score") is not None]
        }
        for d in DIMENSIONS:
            columns[d] = [
                float(s["dimension_scores"][d]) for s in scored if (s.get("dimension_scores") or {}).get(d) is not None
            ]
        sds = {k: _sd(v) for k, v in columns.items() if len(v) >= 2}
        return {"applicants": len(scored), "sd": {k: round(v, 4) for k, v in sds.items() if v > 0}}

    def current_weights(self, family: RoleFamily) -> dict[str, float]:
        """The weights new requisitions of the family get now (HR's last approval, else the default)."""
        approved = self.store.approved_weights(family)
        if approved:
            return {str(k): float(v) for k, v in approved["weights"].items()}
        return {d.value: w for d, w in DEFAULT_WEIGHTS.items()}

    @staticmethod
    def _mature(hires: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """The hires whose window has passed and who have a hiring score, and the population statement."""
        left: Counter[str] = Counter()
        mature = []
        for h in hires:
            if not h["mature"]:
                left["not_mature"] += 1
            elif h["hiring_score"] is None:
                left["no_interview_scores" if not h["scores"] else "no_hiring_weights"] += 1
            else:
                mature.append(h)
        return mature, population(len(hires), len(mature), left)


def hire_row(emp: Employee, departed_on: str | None, today: date) -> dict[str, Any]:
    left = date.fromisoformat(departed_on) if departed_on else None
    scores = {d.value: s for d, s in emp.dimension_scores.items()}
    return {
        "employee_id": emp.id,
        "department": emp.department,
        "role_family": emp.role_family.value,
        "cohort": cohort_of(emp.start_date),
        "scores": scores,
        "hiring_score": hiring_score(scores, {d.value: w for d, w in emp.dimension_weights.items()}),
        "bar": {d.value: b for d, b in emp.competency_bar.items()},
        "departed": left is not None or emp.status == "departed",
        "left_within_window": left is not None and (left - emp.start_date).days <= WINDOW_DAYS,
        "mature": emp.start_date + timedelta(days=WINDOW_DAYS) <= today,
    }


def _sd(values: list[float]) -> float:
    mean = math.fsum(values) / len(values)
    return math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (len(values) - 1))
