"""The closed loop's statistics: how well each interview dimension predicted later performance.

Pure computation (numpy, no I/O) over plain rows::

    {"employee_id", "role_family", "department", "cohort" (YYYY-MM of the start date),
     "scores": {dimension: interview score}, "performance": cycle score 0–100}

* **Validity**: Pearson's r and Spearman's ρ (Pearson of average ranks, ties shared) between each
  dimension's interview score and the performance score, with n and a 95 % confidence interval by
  Fisher's z transform (z = atanh r, SE = 1 / √(n − 3), r = tanh(z ± 1.96·SE)); for ρ the same
  transform is the usual approximation. A coefficient is *significant* when its interval excludes 0.
  Computed overall, per role family and per (role family, hiring cohort).
* **Conditional statements**: P(performance ≥ p | dimension ≥ d) with its n, e.g.
  "P(performance ≥ 90 | logic ≥ 80) = 75 %, n = 412"; both thresholds are parameters.
* **Re-weighting** (a standard validity-weighting scheme): weights proportional to the *positive,
  significant* Pearson validities, normalised to sum to 1 (dimensions whose interval includes 0 or
  whose r ≤ 0 get 0). Expected gain: the Pearson r of the composite interview score with
  performance under the proposed weights minus that under the current weights, on the same rows
  (in-sample, so an optimistic estimate; the nightly run recomputes it as data accrue).
* **High potential**: interview composite (mean of the dimension scores) in the top 20 % AND
  performance in the top 10 % of the same population (ties at the cut included).
* **Attrition by score band**: share of hires gone within the window, by interview-composite band
  and hiring cohort.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

Z95 = 1.959963984540054
MIN_N = 4  # Fisher's interval needs n > 3
BANDS: tuple[tuple[str, float, float], ...] = (
    ("<60", 0, 60),
    ("60-70", 60, 70),
    ("70-80", 70, 80),
    ("80-90", 80, 90),
    ("≥90", 90, 101),
)


def pearson(x: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray) -> float:
    a = np.asarray(x, dtype=float)
    b = np.asarray(y, dtype=float)
    if len(a) < 2:
        return math.nan
    da, db = a - a.mean(), b - b.mean()
    denom = math.sqrt(float((da * da).sum()) * float((db * db).sum()))
    return float((da * db).sum() / denom) if denom > 0 else math.nan


def rankdata(values: Sequence[float] | np.ndarray) -> np.ndarray:
    """Average ranks (1-based), ties sharing the mean of their ranks."""
    a = np.asarray(values, dtype=float)
    order = np.argsort(a, kind="mergesort")
    sorted_a = a[order]
    ranks = np.empty(len(a), dtype=float)
    boundaries = np.flatnonzero(np.diff(sorted_a)) + 1
    starts = np.concatenate(([0], boundaries))
    ends = np.concatenate((boundaries, [len(a)]))
    avg = (starts + ends + 1) / 2.0  # mean of ranks start+1 .. end
    ranks[order] = np.repeat(avg, ends - starts)
    return ranks


def spearman(x: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray) -> float:
    return pearson(rankdata(x), rankdata(y))


def fisher_ci(r: float, n: int, z: float = Z95) -> tuple[float, float] | None:
    if n < MIN_N or math.isnan(r):
        return None
    r = max(-0.999999, min(0.999999, r))
    centre, se = math.atanh(r), 1 / math.sqrt(n - 3)
    return math.tanh(centre - z * se), math.tanh(centre + z * se)


@dataclass(frozen=True)
class Correlation:
    dimension: str
    role_family: str
    cohort: str
    n: int
    pearson: float | None
    pearson_low: float | None
    pearson_high: float | None
    spearman: float | None
    spearman_low: float | None
    spearman_high: float | None
    significant: bool

    def as_row(self) -> dict[str, Any]:
        return asdict(self)


def _r(v: float) -> float | None:
    return None if math.isnan(v) else round(v, 4)


def correlate(dimension: str, family: str, cohort: str, x: np.ndarray, y: np.ndarray) -> Correlation:
    n = len(x)
    p = pearson(x, y) if n >= 2 else math.nan
    s = spearman(x, y) if n >= 2 else math.nan
    pci, sci = fisher_ci(p, n), fisher_ci(s, n)
    return Correlation(
        dimension=dimension,
        role_family=family,
        cohort=cohort,
        n=n,
        pearson=_r(p),
        pearson_low=_r(pci[0]) if pci else None,
        pearson_high=_r(pci[1]) if pci else None,
        spearman=_r(s),
        spearman_low=_r(sci[0]) if sci else None,
        spearman_high=_r(sci[1]) if sci else None,
        significant=bool(pci and (pci[0] > 0 or pci[1] < 0)),
    )


def _pairs(rows: Iterable[Mapping[str, Any]], dimension: str) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = [], []
    for row in rows:
        score = row["scores"].get(dimension)
        if score is not None and row.get("performance") is not None:
            xs.append(score)
            ys.append(row["performance"])
    return np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)


def validity(
    rows: Sequence[Mapping[str, Any]], dimensions: Iterable[str], by_cohort: bool = True, min_n: int = MIN_N
) -> list[Correlation]:
    """Per dimension: overall (family ``all``, cohort ``all``), per family, per (family, cohort)."""
    groups: dict[tuple[str, str], list[Mapping[str, Any]]] = {("all", "all"): list(rows)}
    for row in rows:
        groups.setdefault((row["role_family"], "all"), []).append(row)
        if by_cohort:
            groups.setdefault((row["role_family"], row["cohort"]), []).append(row)
    out = []
    for (family, cohort), members in sorted(groups.items(), key=lambda kv: (kv[0][0] != "all", kv[0])):
        for dim in dimensions:
            x, y = _pairs(members, dim)
            if len(x) >= min_n:
                out.append(correlate(dim, family, cohort, x, y))
    return out


@dataclass(frozen=True)
class Conditional:
    dimension: str
    dimension_threshold: float
    performance_threshold: float
    n: int
    hits: int
    probability: float | None
    base_rate: float | None
    statement: str


def conditional(
    rows: Sequence[Mapping[str, Any]], dimension: str, dimension_threshold: float, performance_threshold: float
) -> Conditional:
    x, y = _pairs(rows, dimension)
    given = x >= dimension_threshold
    n = int(given.sum())
    hits = int((y[given] >= performance_threshold).sum())
    p = hits / n if n else None
    base = float((y >= performance_threshold).mean()) if len(y) else None
    shown = f"{p * 100:.0f} %" if p is not None else "undefined"
    return Conditional(
        dimension=dimension,
        dimension_threshold=dimension_threshold,
        performance_threshold=performance_threshold,
        n=n,
        hits=hits,
        probability=round(p, 4) if p is not None else None,
        base_rate=round(base, 4) if base is not None else None,
        statement=(
            f"P(performance ≥ {performance_threshold:g} | {dimension} ≥ {dimension_threshold:g}) = {shown}, n = {n}"
        ),
    )


def composite(scores: Mapping[str, float], weights: Mapping[str, float]) -> float | None:
    used = [(w, scores[d]) for d, w in weights.items() if d in scores and w > 0]
    total = sum(w for w, _ in used)
    return sum(w * s for w, s in used) / total if total > 0 else None


def composite_validity(rows: Sequence[Mapping[str, Any]], weights: Mapping[str, float]) -> tuple[float | None, int]:
    xs, ys = [], []
    for row in rows:
        c = composite(row["scores"], weights)
        if c is not None and row.get("performance") is not None:
            xs.append(c)
            ys.append(row["performance"])
    r = pearson(xs, ys) if len(xs) >= 2 else math.nan
    return _r(r), len(xs)


def reweight(
    rows: Sequence[Mapping[str, Any]], dimensions: Sequence[str], current: Mapping[str, float]
) -> dict[str, Any]:
    """Validity weights (see the module doc) and the expected gain over ``current``."""
    per_dim = {c.dimension: c for c in validity(rows, dimensions, by_cohort=False) if c.role_family == "all"}
    positive = {d: c.pearson for d, c in per_dim.items() if c.pearson is not None and c.pearson > 0 and c.significant}
    total = sum(positive.values())
    proposed = {d: round(positive.get(d, 0.0) / total, 4) if total else 0.0 for d in dimensions}
    if total:  # rounding residue onto the largest weight, so the weights sum to exactly 1
        top = max(proposed, key=lambda d: proposed[d])
        proposed[top] = round(proposed[top] + 1 - sum(proposed.values()), 4)
    r_now, n = composite_validity(rows, current)
    r_new, _ = composite_validity(rows, proposed) if total else (None, 0)
    gain = round(r_new - r_now, 4) if r_new is not None and r_now is not None else None
    return {
        "method": "validity weighting: w_i ∝ r_i for dimensions with a positive, significant Pearson r; normalised",
        "n": n,
        "validity": {d: per_dim[d].pearson if d in per_dim else None for d in dimensions},
        "current_weights": dict(current),
        "proposed_weights": proposed if total else None,
        "current_validity": r_now,
        "expected_validity": r_new,
        "expected_gain": gain,
    }


def top_share(values: np.ndarray, share: float) -> float:
    """The cut value: the top ``share`` are those at or above it."""
    k = max(1, math.ceil(len(values) * share))
    return float(np.sort(values)[::-1][k - 1])


def high_potential(
    rows: Sequence[Mapping[str, Any]], interview_share: float = 0.20, performance_share: float = 0.10
) -> list[dict[str, Any]]:
    usable = [r for r in rows if r["scores"] and r.get("performance") is not None]
    if not usable:
        return []
    interview = np.asarray([sum(r["scores"].values()) / len(r["scores"]) for r in usable])
    performance = np.asarray([r["performance"] for r in usable], dtype=float)
    i_cut, p_cut = top_share(interview, interview_share), top_share(performance, performance_share)
    out = []
    for row, i, p in zip(usable, interview, performance, strict=True):
        if i >= i_cut and p >= p_cut:
            out.append(
                {
                    "employee_id": row["employee_id"],
                    "role_family": row["role_family"],
                    "department": row["department"],
                    "interview_composite": round(float(i), 2),
                    "performance": round(float(p), 2),
                    "interview_cut": round(i_cut, 2),
                    "performance_cut": round(p_cut, 2),
                }
            )
    return out


def band_of(score: float) -> str:
    for name, low, high in BANDS:
        if low <= score < high:
            return name
    return BANDS[-1][0]


def attrition_by_band(hires: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """``hires``: {"cohort", "scores", "left_within_window": bool}; rows per (cohort, band) and per band."""
    cells: dict[tuple[str, str], list[bool]] = {}
    for h in hires:
        if not h["scores"]:
            continue
        band = band_of(sum(h["scores"].values()) / len(h["scores"]))
        cells.setdefault((h["cohort"], band), []).append(bool(h["left_within_window"]))
        cells.setdefault(("all", band), []).append(bool(h["left_within_window"]))
    order = {b[0]: i for i, b in enumerate(BANDS)}
    out = []
    for (cohort, band), gone in sorted(cells.items(), key=lambda kv: (kv[0][0] != "all", kv[0][0], order[kv[0][1]])):
        out.append(
            {
                "cohort": cohort,
                "band": band,
                "hires": len(gone),
                "left": sum(gone),
                "rate": round(sum(gone) / len(gone), 4),
            }
        )
    return out


def band_performance(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Mean performance per interview-composite band (the "score band vs performance" chart)."""
    cells: dict[str, list[float]] = {}
    for r in rows:
        if r["scores"] and r.get("performance") is not None:
            cells.setdefault(band_of(sum(r["scores"].values()) / len(r["scores"])), []).append(r["performance"])
    return [
        {"band": name, "n": len(cells[name]), "mean_performance": round(sum(cells[name]) / len(cells[name]), 2)}
        for name, _, _ in BANDS
        if name in cells
    ]
