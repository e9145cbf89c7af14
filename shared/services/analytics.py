"""The closed analytics loop: reads what the statistics need and hands it to ``shared/domain``
(definitions and defaults in docs/analytics.md).

* Performance rows: the records of one cycle (one paged index Query; each record carries the
  interview scores, the weights of the requisition the hire came through, family, department and
  start date). Only *scored* records count (every KPI has a result, or HR closed the record); every
  result states how many records it used and how many it left out, and why.
* Hires for attrition: the cohort entries of each start month (one index Query per month), their
  employee items by BatchGetItem (100 a call) for interview scores, weights and bars.
* Every figure below a minimum population answers "not enough data (n = …, needed …)"; the
  minimums and the re-weighting guards are settings (``shared/settings.py``).
* Nightly (``Analytics.nightly``): for each of the latest cycles a snapshot of validity, the default
  conditional statements, a re-weighting proposal per family, high potentials (proposed for the
  management-trainee pool, only from a large enough population), and band vs performance; attrition
  by band and the risk model's validation for the last 12 cohorts. Stored as ``ANALYTICS#<cycle>`` /
  ``SNAPSHOT``.

numpy is imported by the domain modules on these paths only (``_stats`` and friends), never when the
app is imported.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from types import ModuleType
from typing import Any

from shared.domain import performance as perf_rules
from shared.domain.onboarding import cohort_of, month_shift, months
from shared.domain.shortlist import weighted_score
from shared.errors import Conflict, NotFound, ValidationFailed
from shared.models.common import Dimension, RoleFamily, iso, utcnow
from shared.models.employee import Employee
from shared.models.requisition import DEFAULT_WEIGHTS
from shared.services.courses import Courses
from shared.services.performance import Performance
from shared.settings import Settings, get_settings
from shared.store.applications import ApplicationStore
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


def _model() -> ModuleType:
    from shared.domain import attrition_model

    return attrition_model


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


class Analytics:
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

    # -- results -----------------------------------------------------------------------------------
    def validity(
        self, cycle_id: str, family: RoleFamily | None, min_n: int, range_correction: bool = False
    ) -> dict[str, Any]:
        data = self.rows(cycle_id, family)
        correction = self.applicant_sd(data.rows) if range_correction else None
        result = _stats().validity(
            data.rows, DIMENSIONS, min_n=min_n, applicant_sd=correction["sd"] if correction else None
        )
        summary: dict[str, Any] = {
            "range_restriction": _stats().RANGE_RESTRICTION,
            "multiple_comparisons": (
                "Holm: significant = Holm-adjusted p < 0.05 over the overall and per-family rows; the per-month "
                "rows are a second family, marked exploratory"
            ),
            "groups_below_min_n": result.small_groups,
            "min_n": min_n,
        }
        if correction is not None:
            summary["correction"] = {
                "method": (
                    "Thorndike case II (direct selection on the predictor): r_c = r·u / √(1 − r² + r²u²), "
                    "u = SD among applicants / SD among hires; an estimate for all applicants, not a measurement"
                ),
                **correction,
            }
        return {"items": [c.as_row() for c in result.rows], "summary": summary, "population": data.population}

    def conditional(
        self, cycle_id: str, family: RoleFamily | None, dimension: Dimension, d_threshold: float, p_threshold: float
    ) -> dict[str, Any]:
        data = self.rows(cycle_id, family)
        c = _stats().conditional(data.rows, dimension.value, d_threshold, p_threshold, minimums().conditional)
        summary = {**c.__dict__, "role_family": family.value if family else "all", "cycle_id": cycle_id}
        return {"items": [summary], "summary": summary, "population": data.population}

    def reweighting(self, cycle_id: str, family: RoleFamily) -> dict[str, Any]:
        data = self.rows(cycle_id, family)
        proposal = _reweighting().reweight(data.rows, DIMENSIONS, self.current_weights(family), guards())
        summary = {"role_family": family.value, "cycle_id": cycle_id, **proposal}
        items = [
            {
                "dimension": d,
                "validity": proposal["validity"].get(d),
                "p_adjusted": proposal["p_adjusted"].get(d),
                "baseline_weight": (proposal["baseline_weights"] or {}).get(d),
                "current_weight": proposal["current_weights"].get(d),
                "proposed_weight": (proposal["proposed_weights"] or {}).get(d),
            }
            for d in DIMENSIONS
        ]
        return {"items": items, "summary": summary, "population": data.population}

    def current_weights(self, family: RoleFamily) -> dict[str, float]:
        """The weights new requisitions of the family get now (HR's last approval, else the default)."""
        approved = self.store.approved_weights(family)
        if approved:
            return {str(k): float(v) for k, v in approved["weights"].items()}
        return {d.value: w for d, w in DEFAULT_WEIGHTS.items()}

    def approve_weights(
        self, cycle_id: str, family: RoleFamily, reason: str, actor: str, ip: str | None
    ) -> dict[str, Any]:
        """HR approves the proposal: refused (409) when there is none or the rated hires are fewer than
        the minimum. The approval keeps old and new weights, n, the gain with its interval and the reason."""
        proposal = self.reweighting(cycle_id, family)["summary"]
        weights = proposal["proposed_weights"]
        if not proposal["approvable"]:
            raise Conflict(
                f"the re-weighting of {family.value} cannot be approved: {'; '.join(proposal['blocked_because'])}",
                [{"field": "cycle_id", "message": m} for m in proposal["blocked_because"]],
            )
        current = self.store.approved_weights(family)
        version = (int(current["version"]) + 1) if current else 1
        evidence = {
            "previous_weights": proposal["current_weights"],
            "baseline_weights": proposal["baseline_weights"],
            "n": proposal["n"],
            "minimum_n": proposal["minimum_n"],
            "expected_gain": proposal["expected_gain"],
            "gain_low": proposal["gain_low"],
            "gain_high": proposal["gain_high"],
        }
        item = {
            "pk": f"WEIGHTS#{family.value}",
            "sk": "CURRENT",
            "type": "approved_weights",
            "role_family": family.value,
            "weights": weights,
            "cycle_id": cycle_id,
            **evidence,
            "reason": reason,
            "approved_by": actor,
            "approved_at": iso(utcnow()),
            "version": version,
        }
        audit = AuditEntry(
            f"weights:{family.value}",
            actor,
            "weights.approve",
            {"weights": weights, "before": current["weights"] if current else None, **evidence, "reason": reason},
            ip,
        )
        self.store.put_weights(item, int(current["version"]) if current else None, audit)
        return {k: v for k, v in item.items() if k not in ("pk", "sk", "type")}

    def high_potential(self, cycle_id: str, family: RoleFamily | None) -> dict[str, Any]:
        data = self.rows(cycle_id, family)
        items, short = _stats().high_potential(data.rows, minimums().high_potential)
        summary = {"population": len(_stats().rated(data.rows)), "minimum_n": minimums().high_potential}
        if short:
            summary["not_enough_data"] = short
        return {"items": items, "summary": summary, "population": data.population}

    def propose_high_potential(self, cycle_id: str, actor: str, items: Iterable[dict[str, Any]]) -> int:
        """Propose the high potentials of a cycle for the management-trainee pool (none when the
        population was too small: ``items`` is then empty)."""
        people = Performance(self.repo)
        proposed = 0
        for hp in items:
            employee = people.employees.get(hp["employee_id"])
            if employee is None or employee.status == "departed":
                continue
            reason = (
                f"high potential in cycle {cycle_id}: hiring score {hp['hiring_score']:g} (top 20 %), "
                f"performance {hp['performance']:g} (top 10 %) of {hp['population']} rated hires"
            )
            proposed += people.propose("management_trainee", employee, reason, actor)
        return proposed

    def band_performance(self, cycle_id: str, family: RoleFamily | None) -> dict[str, Any]:
        data = self.rows(cycle_id, family)
        items = _stats().band_performance(data.rows, minimums().band)
        return {"items": items, "summary": {"minimum_n": minimums().band}, "population": data.population}

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

    def attrition_bands(self, since: str, until: str, today: date) -> dict[str, Any]:
        mature, pop = self._mature(self.hires(since, until, today))
        items = _stats().attrition_by_band(mature, minimums().band)
        return {"items": items, "summary": {"minimum_n": minimums().band}, "population": pop}

    def attrition_trend(self, since: str, until: str, today: date) -> list[tuple[str, float, int]]:
        by_cohort: dict[str, list[bool]] = {}
        for h in self.hires(since, until, today):
            if h["mature"]:
                by_cohort.setdefault(h["cohort"], []).append(h["left_within_window"])
        return [(c, sum(v) / len(v), len(v)) for c, v in sorted(by_cohort.items())]

    def attrition_risk(self, since: str, until: str, today: date) -> dict[str, Any]:
        hires = self.hires(since, until, today)
        mature, pop = self._mature(hires)
        limits = minimums()
        model = _model().train(mature, DIMENSIONS) if len(mature) >= limits.risk_hires else None
        guard = risk_guard(model, len(mature), limits)
        items = self._risks(model, hires) if guard["per_person"] else []
        summary = {
            "window_days": WINDOW_DAYS,
            "minimum_n": limits.risk_hires,
            "auc_floor": limits.risk_auc_floor,
            "model": model.metrics if model else None,
            **guard,
        }
        return {"items": items, "summary": summary, "population": pop}

    @staticmethod
    def _risks(model: Any, hires: list[dict[str, Any]]) -> list[dict[str, Any]]:
        current = [h for h in hires if not h["departed"]]
        feats = [_model().features(h, DIMENSIONS) for h in current]
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
        return items

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
        mature, _ = self._mature(self.hires(since, until, today))
        limits = minimums()
        model = _model().train(mature, DIMENSIONS) if len(mature) >= limits.risk_hires else None
        attrition = {
            "bands": _stats().attrition_by_band(mature, limits.band),
            "risk_model": model.metrics if model else None,
            **risk_guard(model, len(mature), limits),
        }
        proposed = 0
        for cycle in cycles:
            data = self.rows(cycle.id)
            snapshot = compute_snapshot(
                data.rows, {f.value: self.current_weights(f) for f in RoleFamily}, guards(), limits
            )
            snapshot["population"] = data.population
            snapshot["attrition"] = attrition
            self.store.put_snapshot(cycle.id, snapshot, iso(utcnow()))
            proposed += self.propose_high_potential(cycle.id, "system", snapshot["high_potential"])
        return {"cycles": len(cycles), "hires": len(mature), "proposed": proposed}


def risk_guard(model: Any, mature: int, limits: Minimums) -> dict[str, Any]:
    """Whether per-person risks may be given: enough mature hires, a model, and its held-out AUC
    interval wholly above the floor; else why not."""
    if mature < limits.risk_hires:
        note = _stats().not_enough(mature, limits.risk_hires)
        return {"per_person": False, "reason": note["message"], "not_enough_data": note}
    metrics = model.metrics if model is not None else {}
    low, high = metrics.get("holdout_auc_low"), metrics.get("holdout_auc_high")
    if model is None or low is None or high is None:
        return {"per_person": False, "reason": "no leavers or no stayers to fit or judge the model on"}
    if low <= limits.risk_auc_floor:
        return {
            "per_person": False,
            "reason": (
                f"the model's held-out AUC interval ({low:.2f}–{high:.2f}) is not above {limits.risk_auc_floor:.2f}: "
                "no per-person risk"
            ),
        }
    return {"per_person": True, "reason": None}


def compute_snapshot(
    rows: Sequence[dict[str, Any]],
    weights: dict[str, dict[str, float]],
    bounds: Any = None,
    limits: Minimums | None = None,
) -> dict[str, Any]:
    """Everything the nightly run computes from one cycle's rows (pure; the benchmark calls it too)."""
    stats, bounds, limits = _stats(), bounds or _reweighting().Guards(), limits or Minimums()
    by_family: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_family.setdefault(r["role_family"], []).append(r)
    default = {d.value: w for d, w in DEFAULT_WEIGHTS.items()}
    high_potential, short = stats.high_potential(rows, limits.high_potential)
    return {
        "n": len(rows),
        "validity": [c.as_row() for c in stats.validity(rows, DIMENSIONS).rows],
        "conditional": [
            stats.conditional(rows, d.value, t, 90.0, limits.conditional).__dict__ for d, t in DEFAULT_CONDITIONALS
        ],
        "reweighting": {
            f: _reweighting().reweight(members, DIMENSIONS, weights.get(f) or default, bounds)
            for f, members in sorted(by_family.items())
        },
        "high_potential": high_potential,
        "high_potential_not_enough_data": short,
        "band_performance": stats.band_performance(rows, limits.band),
    }


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
