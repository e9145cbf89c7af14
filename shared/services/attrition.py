"""Attrition: the share of each cohort that left within the 90-day window, attrition by hiring-score
band, and the risk model with its guard (per-person risks only from a model whose held-out AUC
interval lies wholly above the floor; docs/analytics.md)."""

from __future__ import annotations

from datetime import date
from types import ModuleType
from typing import Any

from shared.services.analytics_inputs import DIMENSIONS, WINDOW_DAYS, AnalyticsInputs, Minimums, _stats, minimums


def _model() -> ModuleType:
    from shared.domain import attrition_model

    return attrition_model


class AttritionAnalytics(AnalyticsInputs):
    """Attrition of the hires of a range of cohorts (``since``…``until``, start months)."""

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
        model = risk_model(mature, limits)
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


def risk_model(mature: list[dict[str, Any]], limits: Minimums) -> Any:
    """The risk model trained on the mature hires, or None below the minimum."""
    return _model().train(mature, DIMENSIONS) if len(mature) >= limits.risk_hires else None


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
