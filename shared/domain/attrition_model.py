"""The attrition-risk model: a transparent L2-regularised logistic regression, fitted with numpy.

Why this model and library: a handful of features (the interview dimension scores, how many fall
below the requisition's bar) and a few thousand labelled hires call for a linear model whose
coefficients HR can read; logistic regression by iteratively re-weighted least squares is twenty
lines of numpy. numpy 2.2.6 (55.7 MiB unzipped in the package, with its OpenBLAS) fits the 250 MB Lambda limit
beside the existing dependencies, whereas scikit-learn + scipy would add ≈ 150 MB more for the
same model (see docs/benchmarks.md for the measured package).

* Features are standardised (mean 0, SD 1 on the training set; a missing score takes the mean), so
  a coefficient is the change in log-odds per standard deviation.
* Validation on held-out hires (a deterministic split by a hash of the employee id): AUC (the
  Mann–Whitney probability that a leaver scores above a stayer) with DeLong's 95 % interval, Brier
  score and a calibration table (mean predicted vs observed rate, with its Wilson interval, per fifth
  of predicted risk). The
  service gives per-person risks only when the interval's lower end clears a floor.
* Explanation per person: each feature's contribution to the log-odds (coefficient × standardised
  value), the largest first; positive contributions push the risk up.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from shared.domain.statistics import auc_interval, rankdata, wilson

RIDGE = 1.0
MAX_ITER = 50
HOLDOUT_SHARE = 0.3
MIN_TRAIN = 30


def holdout(employee_id: str, share: float = HOLDOUT_SHARE) -> bool:
    return int(hashlib.sha256(employee_id.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF < share


def features(hire: Mapping[str, Any], dimensions: Sequence[str]) -> dict[str, float | None]:
    scores: Mapping[str, float] = hire.get("scores") or {}
    bar: Mapping[str, float] = hire.get("bar") or {}
    out: dict[str, float | None] = {f"score:{d}": scores.get(d) for d in dimensions}
    out["dimensions_below_bar"] = float(sum(1 for d, b in bar.items() if d in scores and scores[d] < b))
    return out


def fit_logistic(x: np.ndarray, y: np.ndarray, ridge: float = RIDGE) -> np.ndarray:
    """Newton–Raphson (IRLS) for L2-penalised logistic regression; column 0 is the unpenalised intercept."""
    beta = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], ridge)
    penalty[0] = 0.0
    for _ in range(MAX_ITER):
        p = 1 / (1 + np.exp(-(x @ beta)))
        w = p * (1 - p)
        gradient = x.T @ (y - p) - penalty * beta
        hessian = (x.T * w) @ x + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        beta = beta + step
        if float(np.abs(step).max()) < 1e-8:
            break
    return beta


def auc(scores: np.ndarray, labels: np.ndarray) -> float | None:
    pos, neg = int(labels.sum()), int(len(labels) - labels.sum())
    if pos == 0 or neg == 0:
        return None
    ranks = rankdata(scores)
    return float((ranks[labels == 1].sum() - pos * (pos + 1) / 2) / (pos * neg))


def calibration(pred: np.ndarray, labels: np.ndarray, bins: int = 5) -> list[dict[str, float]]:
    """Mean predicted vs observed rate (with its Wilson interval) per fifth of predicted risk."""
    order = np.argsort(pred, kind="mergesort")
    out = []
    for chunk in np.array_split(order, bins):
        if len(chunk):
            low, high = wilson(int(labels[chunk].sum()), len(chunk)) or (0.0, 1.0)
            out.append(
                {
                    "n": len(chunk),
                    "mean_predicted": round(float(pred[chunk].mean()), 4),
                    "observed_rate": round(float(labels[chunk].mean()), 4),
                    "observed_low": round(low, 4),
                    "observed_high": round(high, 4),
                }
            )
    return out


@dataclass
class RiskModel:
    names: list[str]
    means: np.ndarray
    sds: np.ndarray
    beta: np.ndarray
    metrics: dict[str, Any] = field(default_factory=dict)

    def _matrix(self, rows: Sequence[Mapping[str, float | None]]) -> np.ndarray:
        raw = np.array([[r.get(n) if r.get(n) is not None else np.nan for n in self.names] for r in rows], dtype=float)
        raw = np.where(np.isnan(raw), self.means, raw)
        z = (raw - self.means) / self.sds
        return np.column_stack([np.ones(len(rows)), z])

    def predict(self, rows: Sequence[Mapping[str, float | None]]) -> np.ndarray:
        if not rows:
            return np.zeros(0)
        return 1 / (1 + np.exp(-(self._matrix(rows) @ self.beta)))

    def explain(self, row: Mapping[str, float | None], top: int = 3) -> list[dict[str, Any]]:
        z = self._matrix([row])[0, 1:]
        parts: list[dict[str, Any]] = [
            {"factor": n, "value": row.get(n), "contribution": round(float(b * v), 4)}
            for n, b, v in zip(self.names, self.beta[1:], z, strict=True)
        ]
        parts.sort(key=lambda p: -abs(float(p["contribution"])))
        return parts[:top]

    def coefficients(self) -> dict[str, float]:
        return {"intercept": round(float(self.beta[0]), 4)} | {
            n: round(float(b), 4) for n, b in zip(self.names, self.beta[1:], strict=True)
        }


def train(hires: Sequence[Mapping[str, Any]], dimensions: Sequence[str]) -> RiskModel | None:
    """``hires``: mature hires {"employee_id", "scores", "bar", "left_within_window"}; None when too few
    or only one outcome in the training set."""
    train_rows = [h for h in hires if not holdout(h["employee_id"])]
    test_rows = [h for h in hires if holdout(h["employee_id"])]
    y_train = np.array([1.0 if h["left_within_window"] else 0.0 for h in train_rows])
    if len(train_rows) < MIN_TRAIN or y_train.sum() in (0, len(y_train)):
        return None
    feats = [features(h, dimensions) for h in train_rows]
    names = list(feats[0])
    raw = np.array([[f[n] if f[n] is not None else np.nan for n in names] for f in feats], dtype=float)
    means = np.nanmean(np.where(np.isnan(raw).all(axis=0), 0.0, raw), axis=0)
    means = np.where(np.isnan(means), 0.0, means)
    filled = np.where(np.isnan(raw), means, raw)
    sds = filled.std(axis=0)
    sds = np.where(sds > 0, sds, 1.0)
    model = RiskModel(names, means, sds, np.zeros(len(names) + 1))
    model.beta = fit_logistic(model._matrix(feats), y_train)
    y_test = np.array([1.0 if h["left_within_window"] else 0.0 for h in test_rows])
    pred = model.predict([features(h, dimensions) for h in test_rows])
    brier = float(((pred - y_test) ** 2).mean()) if len(test_rows) else math.nan
    interval = auc_interval(pred, y_test)
    model.metrics = {
        "train_n": len(train_rows),
        "holdout_n": len(test_rows),
        "holdout_leavers": int(y_test.sum()),
        "holdout_auc": None if (a := auc(pred, y_test)) is None else round(a, 4),
        "holdout_auc_low": round(interval[1], 4) if interval else None,
        "holdout_auc_high": round(interval[2], 4) if interval else None,
        "holdout_brier": None if math.isnan(brier) else round(brier, 4),
        "holdout_base_rate": round(float(y_test.mean()), 4) if len(test_rows) else None,
        "calibration": calibration(pred, y_test) if len(test_rows) else [],
        "coefficients": model.coefficients(),
    }
    return model
