"""The closed analytics loop: reads what the statistics need and hands it to ``shared/domain``
(definitions and defaults in docs/analytics.md).

* What the results are computed on: ``analytics_inputs`` (the rows of a cycle, the hires of a range
  of cohorts); attrition and the risk model: ``attrition``.
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

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from shared.domain import performance as perf_rules
from shared.domain.onboarding import cohort_of, month_shift
from shared.errors import Conflict
from shared.models.common import Dimension, RoleFamily, iso, utcnow
from shared.models.employee import Employee
from shared.models.requisition import DEFAULT_WEIGHTS
from shared.services.analytics_inputs import DIMENSIONS, Minimums, _reweighting, _stats, guards, minimums
from shared.services.attrition import AttritionAnalytics, risk_guard, risk_model
from shared.services.courses import Courses
from shared.services.performance import Performance
from shared.store.audit import AuditEntry

NIGHTLY_CYCLES = 3
DEFAULT_CONDITIONALS = (
    (Dimension.logic, 80.0),
    (Dimension.customer_orientation, 80.0),
    (Dimension.risk_awareness, 80.0),
)


class Analytics(AttritionAnalytics):
    """The results of the closed loop (validity, conditional statements, re-weighting, high potentials,
    band vs performance, attrition), the development plans and the nightly run."""

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
        model = risk_model(mature, limits)
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
