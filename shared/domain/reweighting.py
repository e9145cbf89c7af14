"""Guarded re-weighting of the interview dimensions of one role family (docs/analytics.md).

Over the rated hires of the family (rows as in ``shared/domain/analytics.py``):

1. **Baseline** b: the weights hiring actually used, averaged over the hires (each hire keeps the
   weights of the requisition they were selected through). Current validity = r(hiring score,
   performance), each hire scored with their own requisition's weights.
2. **Evidence**: each dimension's Pearson r with performance, its p-value (Fisher z) and Holm's
   adjustment over the family's dimensions. Validity weights t ∝ r for the dimensions with r > 0
   and Holm-adjusted p < 0.05; none → no proposal.
3. **Shrinkage** toward the baseline: d = (1 − λ)·b + λ·t with λ = n / (n + n₀) (n₀ a setting).
4. **Bounded step**: the proposal is the point nearest d (least squares) whose weights sum to 1 and
   lie within ± ``step`` of the weights the approval replaces (the family's current default), never
   below ``floor`` for a dimension that is at or above it now: no dimension drops to 0 in one
   approval.
5. **Out-of-sample gain**: k-fold cross-validation (folds by a hash of the employee id). For each
   fold, steps 1–4 run on the other folds and the held-out hires are scored with the weights they
   produced (a fold without a proposal keeps the hiring score). Expected gain = r(cross-validated
   composite, performance) − r(hiring score, performance), with Zou's 95 % interval for the
   difference of two correlations sharing the criterion. The interval treats the fitted weights as
   given; the fold-to-fold spread is reported beside it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from shared.domain import statistics as st
from shared.domain.analytics import HIRING_SCORE, pearson, rated
from shared.settings import Settings

DIGITS = 4


def _default(setting: str) -> Any:
    """A setting's default (``shared/settings.py``, the one place it is written)."""
    return Settings.model_fields[setting].default


@dataclass(frozen=True)
class Guards:
    """The settings that bound a proposal (``shared/settings.py``; defaults justified in docs/analytics.md)."""

    min_rated_hires: int = _default("analytics_min_rated_hires")
    step: float = _default("analytics_weight_step")
    floor: float = _default("analytics_weight_floor")
    shrinkage_n: int = _default("analytics_shrinkage_n")
    folds: int = _default("analytics_cv_folds")


@dataclass(frozen=True)
class Data:
    ids: list[str]
    scores: np.ndarray  # n × D, NaN where a hire has no score for the dimension
    weights: np.ndarray  # n × D, the hiring weights (0 where none)
    hiring: np.ndarray  # n
    performance: np.ndarray  # n

    def subset(self, mask: np.ndarray) -> Data:
        ids = [i for i, keep in zip(self.ids, mask, strict=True) if keep]
        return Data(ids, self.scores[mask], self.weights[mask], self.hiring[mask], self.performance[mask])


def data_of(rows: Sequence[Mapping[str, Any]], dimensions: Sequence[str]) -> Data:
    usable = rated(rows)
    scores = np.array(
        [
            [r["scores"].get(d, math.nan) if r["scores"].get(d) is not None else math.nan for d in dimensions]
            for r in usable
        ],
        dtype=float,
    ).reshape(len(usable), len(dimensions))
    weights = np.array(
        [[float(r.get("weights", {}).get(d, 0.0) or 0.0) for d in dimensions] for r in usable], dtype=float
    ).reshape(len(usable), len(dimensions))
    return Data(
        ids=[str(r["employee_id"]) for r in usable],
        scores=scores,
        weights=weights,
        hiring=np.array([float(r[HIRING_SCORE]) for r in usable], dtype=float),
        performance=np.array([float(r["performance"]) for r in usable], dtype=float),
    )


def baseline(data: Data) -> np.ndarray:
    """The mean of the hires' (normalised) hiring weights."""
    if not len(data.ids):
        return np.zeros(data.weights.shape[1])
    totals = data.weights.sum(axis=1, keepdims=True)
    normalised = np.divide(data.weights, totals, out=np.zeros_like(data.weights), where=totals > 0)
    return np.asarray(normalised.mean(axis=0))


def evidence(data: Data) -> tuple[list[float], list[int], list[float | None], list[float | None]]:
    """Per dimension: Pearson r with performance, n, p-value, Holm-adjusted p-value."""
    rs, ns, ps = [], [], []
    for j in range(data.scores.shape[1]):
        mask = ~np.isnan(data.scores[:, j])
        n = int(mask.sum())
        r = pearson(data.scores[mask, j], data.performance[mask]) if n >= 2 else math.nan
        rs.append(r)
        ns.append(n)
        ps.append(st.correlation_p(r, n))
    return rs, ns, ps, st.holm(ps)


def bounds(current: np.ndarray, step: float, floor: float) -> tuple[np.ndarray, np.ndarray]:
    """Per dimension, how far one approval may move it: ± step from now, not below the floor (a weight
    already under the floor may not fall further), within [0, 1]."""
    low = np.minimum(current, np.maximum(floor, current - step))
    high = np.minimum(1.0, current + step)
    return low, high


def project(desired: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """The weights nearest ``desired`` (least squares) with low ≤ w ≤ high and Σ w = 1: w = clip(d − τ),
    τ found by bisection (Σ clip(d − τ) falls as τ grows). Needs Σ low ≤ 1 ≤ Σ high."""
    lo_tau, hi_tau = float((desired - high).min()), float((desired - low).max())
    for _ in range(200):
        tau = (lo_tau + hi_tau) / 2
        if float(np.clip(desired - tau, low, high).sum()) > 1:
            lo_tau = tau
        else:
            hi_tau = tau
    return np.asarray(np.clip(desired - (lo_tau + hi_tau) / 2, low, high))


def rounded(weights: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Rounded to 4 decimals, still summing to exactly 1 and within the bounds: the rounding residue
    goes in 0.0001 steps onto the largest weights with room for it."""
    unit = 10.0**-DIGITS
    out = np.round(weights, DIGITS)
    for _ in range(len(out)):
        residue = round((1 - float(out.sum())) / unit)
        if residue == 0:
            break
        sign = 1 if residue > 0 else -1
        room = [
            j for j in np.argsort(-out, kind="mergesort") if low[j] - 1e-9 <= out[j] + sign * unit <= high[j] + 1e-9
        ]
        for j in room[: abs(residue)]:
            out[j] += sign * unit
    return np.asarray(np.round(out, DIGITS))


@dataclass(frozen=True)
class Fit:
    weights: np.ndarray | None  # None: no dimension with positive, significant validity
    baseline: np.ndarray
    target: np.ndarray | None
    shrinkage: float
    validity: list[float]
    n_per_dimension: list[int]
    p_adjusted: list[float | None]


def fit(data: Data, current: np.ndarray, guards: Guards) -> Fit:
    """Steps 1–4 of the module doc on ``data``."""
    base = baseline(data)
    rs, ns, _p_values, adjusted = evidence(data)
    positive = np.array(
        [
            r if not math.isnan(r) and r > 0 and p is not None and p < st.ALPHA else 0.0
            for r, p in zip(rs, adjusted, strict=True)
        ]
    )
    n = len(data.ids)
    shrink = n / (n + guards.shrinkage_n) if n else 0.0
    if positive.sum() <= 0:
        return Fit(None, base, None, shrink, rs, ns, adjusted)
    target = positive / positive.sum()
    desired = (1 - shrink) * base + shrink * target
    low, high = bounds(current, guards.step, guards.floor)
    return Fit(project(desired, low, high), base, target, shrink, rs, ns, adjusted)


def composite(scores: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Σ wᵢ·sᵢ / Σ wᵢ over the dimensions each person has a score for (the hiring-score formula)."""
    present = ~np.isnan(scores)
    w = np.where(present, weights, 0.0)
    total = w.sum(axis=1)
    value = (np.where(present, scores, 0.0) * w).sum(axis=1)
    return np.divide(value, total, out=np.full(len(total), np.nan), where=total > 0)


def cross_validated(data: Data, current: np.ndarray, guards: Guards) -> tuple[np.ndarray, list[float]]:
    """Each hire scored with weights fitted on the other folds, and the gain within each fold."""
    folds = np.array([st.fold_of(i, guards.folds) for i in data.ids])
    predicted = data.hiring.copy()
    fold_gains = []
    for k in range(guards.folds):
        held = folds == k
        if not held.any():
            continue
        trained = fit(data.subset(~held), current, guards)
        if trained.weights is not None:
            scored = composite(data.scores[held], trained.weights)
            predicted[held] = np.where(np.isnan(scored), data.hiring[held], scored)
        gain = pearson(predicted[held], data.performance[held]) - pearson(data.hiring[held], data.performance[held])
        if not math.isnan(gain):
            fold_gains.append(gain)
    return predicted, fold_gains


def _weights(vector: np.ndarray | None, dimensions: Sequence[str]) -> dict[str, float] | None:
    return None if vector is None else {d: round(float(w), DIGITS) for d, w in zip(dimensions, vector, strict=True)}


def _round(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else round(value, DIGITS)


def reweight(
    rows: Sequence[Mapping[str, Any]], dimensions: Sequence[str], current: Mapping[str, float], guards: Guards
) -> dict[str, Any]:
    """The proposal for one family's rows, with its evidence, guards and out-of-sample gain."""
    data = data_of(rows, dimensions)
    n = len(data.ids)
    now = np.array([float(current.get(d, 0.0)) for d in dimensions])
    now = now / now.sum() if now.sum() > 0 else np.full(len(dimensions), 1 / len(dimensions))
    full = fit(data, now, guards)
    proposed = None
    if full.weights is not None:
        proposed = rounded(full.weights, *bounds(now, guards.step, guards.floor))
    r_now = pearson(data.hiring, data.performance) if n >= 2 else math.nan
    now_ci = st.correlation_interval(r_now, n)
    r_cv = gain = math.nan
    gain_ci = None
    fold_gains: list[float] = []
    if proposed is not None and n >= st.MIN_CORRELATION_N:
        predicted, fold_gains = cross_validated(data, now, guards)
        r_cv = pearson(predicted, data.performance)
        gain = r_cv - r_now
        gain_ci = st.overlapping_difference_interval(r_cv, r_now, pearson(predicted, data.hiring), n)
    blocked = []
    if proposed is None:
        blocked.append("no dimension has a positive validity that stays significant after Holm's adjustment")
    if n < guards.min_rated_hires:
        blocked.append(f"not enough data (n = {n}, needed {guards.min_rated_hires})")
    return {
        "method": (
            "validity weights (w ∝ r over the dimensions with r > 0 and Holm-adjusted p < 0.05), shrunk toward "
            "the weights hiring used by λ = n / (n + n₀), each weight moved at most ± step from the current "
            "weights and kept at or above the floor; the gain is out of sample (k-fold cross-validation)"
        ),
        "n": n,
        "minimum_n": guards.min_rated_hires,
        "approvable": not blocked,
        "blocked_because": blocked,
        "guards": {
            "step": guards.step,
            "floor": guards.floor,
            "shrinkage_n": guards.shrinkage_n,
            "shrinkage": _round(full.shrinkage),
            "folds": guards.folds,
            "multiple_comparisons": "Holm",
        },
        "validity": {d: _round(r) for d, r in zip(dimensions, full.validity, strict=True)},
        "validity_n": dict(zip(dimensions, full.n_per_dimension, strict=True)),
        "p_adjusted": {d: None if p is None else round(p, 6) for d, p in zip(dimensions, full.p_adjusted, strict=True)},
        "baseline_weights": _weights(full.baseline, dimensions),
        "current_weights": _weights(now, dimensions),
        "proposed_weights": _weights(proposed, dimensions),
        "current_validity": _round(r_now),
        "current_validity_low": _round(now_ci[0]) if now_ci else None,
        "current_validity_high": _round(now_ci[1]) if now_ci else None,
        "expected_validity": _round(r_cv),
        "expected_gain": _round(gain),
        "gain_low": _round(gain_ci[0]) if gain_ci else None,
        "gain_high": _round(gain_ci[1]) if gain_ci else None,
        "fold_gains": [round(g, DIGITS) for g in fold_gains],
    }
