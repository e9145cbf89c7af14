"""The closed loop's statistics: how well interviews predicted later performance (docs/analytics.md).

Pure computation (numpy, no I/O) over plain rows, one per rated hire in a performance cycle::

    {"employee_id", "role_family", "department", "cohort" (YYYY-MM of the start date),
     "scores": {dimension: interview score}, "weights": {dimension: the requisition's weight},
     "hiring_score": the requisition's weighted interview score, "performance": the criterion}

The two definitions every result uses:

* **hiring score** (the predictor) = Σ wᵢ·sᵢ / Σ wᵢ over the dimensions the hire has a score for, with
  the weights of the requisition the hire was selected through: the score the shortlist ranked by.
* **performance** (the criterion) = the cycle's KPI results scored against each KPI's role
  *baseline* target (``shared/domain/performance.baseline_overall``), not against the
  interview-adjusted target.

Results:

* **Validity**: Pearson's r and Spearman's ρ of each predictor (the hiring score and each dimension)
  with performance, n, Fisher-z 95 % intervals (SE √(1/(n−3)) for r, Fieller's √(1.06/(n−3)) for ρ),
  the p-value of r and its Holm adjustment. The family of tests is every overall and per-role-family
  row of the result; the per-(family, hiring month) rows are a second family, marked exploratory.
  *Significant* = Holm-adjusted p < 0.05. Hires only: range restriction applies (see the service).
* **Conditional statements**: P(performance ≥ p | dimension ≥ d) with its Wilson interval and the
  base rate with its own; withheld below a minimum n.
* **High potential**: hiring score in the top 20 % AND performance in the top 10 % of the same
  population (ties at a cut included); none below a minimum population.
* **Bands**: mean performance per hiring-score band (normal interval), attrition per band (Wilson
  interval); a band below the minimum size shows its n and no figure.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from shared.domain import statistics as st

HIRING_SCORE = "hiring_score"
BANDS: tuple[tuple[str, float, float], ...] = (
    ("<60", 0, 60),
    ("60-70", 60, 70),
    ("70-80", 70, 80),
    ("80-90", 80, 90),
    ("≥90", 90, 101),
)
RANGE_RESTRICTION = (
    "hired people only: interview scores were restricted by selection, so these coefficients understate "
    "the validity among all applicants"
)


def not_enough(n: int, needed: int) -> dict[str, Any]:
    """The answer in place of a finding: "not enough data (n = 12, needed 50)"."""
    return {"n": n, "needed": needed, "message": f"not enough data (n = {n}, needed {needed})"}


def _r(v: float | None, digits: int = 4) -> float | None:
    return None if v is None or math.isnan(v) else round(v, digits)


def pearson(x: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray) -> float:
    a = np.asarray(x, dtype=float)
    b = np.asarray(y, dtype=float)
    if len(a) < 2:
        return math.nan
    da, db = a - a.mean(), b - b.mean()
    denom = math.sqrt(float((da * da).sum()) * float((db * db).sum()))
    return float((da * db).sum() / denom) if denom > 0 else math.nan


def spearman(x: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray) -> float:
    return pearson(st.rankdata(x), st.rankdata(y))


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
    p_value: float | None
    p_adjusted: float | None
    significant: bool
    exploratory: bool
    pearson_corrected: float | None = None

    def as_row(self) -> dict[str, Any]:
        return asdict(self)


def correlate(predictor: str, family: str, cohort: str, x: np.ndarray, y: np.ndarray) -> Correlation:
    n = len(x)
    p = pearson(x, y)
    s = spearman(x, y) if n >= 2 else math.nan
    pci = st.correlation_interval(p, n)
    sci = st.correlation_interval(s, n, st.SPEARMAN_VARIANCE)
    return Correlation(
        dimension=predictor,
        role_family=family,
        cohort=cohort,
        n=n,
        pearson=_r(p),
        pearson_low=_r(pci[0]) if pci else None,
        pearson_high=_r(pci[1]) if pci else None,
        spearman=_r(s),
        spearman_low=_r(sci[0]) if sci else None,
        spearman_high=_r(sci[1]) if sci else None,
        p_value=st.correlation_p(p, n),
        p_adjusted=None,
        significant=False,
        exploratory=cohort != "all",
    )


def predictor_value(row: Mapping[str, Any], predictor: str) -> float | None:
    value = row.get(HIRING_SCORE) if predictor == HIRING_SCORE else row["scores"].get(predictor)
    return None if value is None else float(value)


def pairs(rows: Iterable[Mapping[str, Any]], predictor: str) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = [], []
    for row in rows:
        x = predictor_value(row, predictor)
        if x is not None and row.get("performance") is not None:
            xs.append(x)
            ys.append(row["performance"])
    return np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)


def with_holm(rows: list[Correlation]) -> list[Correlation]:
    """The rows with Holm-adjusted p-values over the whole list (one family) and the flag they give."""
    adjusted = st.holm([c.p_value for c in rows])
    out = []
    for c, p in zip(rows, adjusted, strict=True):
        significant = p is not None and p < st.ALPHA
        out.append(Correlation(**{**asdict(c), "p_adjusted": _r(p, 6), "significant": significant}))
    return out


@dataclass(frozen=True)
class Validity:
    rows: list[Correlation]
    small_groups: int  # (group, predictor) pairs left out for having fewer than min_n pairs


def validity(
    rows: Sequence[Mapping[str, Any]],
    dimensions: Iterable[str],
    by_cohort: bool = True,
    min_n: int = 10,
    applicant_sd: Mapping[str, float] | None = None,
) -> Validity:
    """Per predictor (the hiring score, then each dimension): overall (family ``all``), per family and,
    exploratory, per (family, hiring month). ``applicant_sd``: the predictors' SD among all
    applicants, for the optional Thorndike case II correction of the overall and per-family rows."""
    predictors = [HIRING_SCORE, *dimensions]
    groups: dict[tuple[str, str], list[Mapping[str, Any]]] = {("all", "all"): list(rows)}
    for row in rows:
        groups.setdefault((row["role_family"], "all"), []).append(row)
        if by_cohort:
            groups.setdefault((row["role_family"], row["cohort"]), []).append(row)
    confirmatory: list[Correlation] = []
    exploratory: list[Correlation] = []
    small = 0
    for (family, cohort), members in sorted(groups.items(), key=lambda kv: (kv[0][0] != "all", kv[0])):
        for predictor in predictors:
            x, y = pairs(members, predictor)
            if len(x) < max(min_n, st.MIN_CORRELATION_N):
                small += 1
                continue
            c = correlate(predictor, family, cohort, x, y)
            if cohort == "all" and applicant_sd and predictor in applicant_sd and c.pearson is not None:
                hired_sd = float(x.std(ddof=1))
                if hired_sd > 0:
                    u = applicant_sd[predictor] / hired_sd
                    c = Correlation(**{**asdict(c), "pearson_corrected": _r(st.thorndike_ii(c.pearson, u))})
            (confirmatory if cohort == "all" else exploratory).append(c)
    return Validity(with_holm(confirmatory) + with_holm(exploratory), small)


@dataclass(frozen=True)
class Conditional:
    dimension: str
    dimension_threshold: float
    performance_threshold: float
    n: int
    hits: int
    probability: float | None
    probability_low: float | None
    probability_high: float | None
    base_n: int
    base_rate: float | None
    base_rate_low: float | None
    base_rate_high: float | None
    minimum_n: int
    enough_data: bool
    statement: str


def conditional(
    rows: Sequence[Mapping[str, Any]],
    dimension: str,
    dimension_threshold: float,
    performance_threshold: float,
    min_n: int,
) -> Conditional:
    """P(performance ≥ p | dimension ≥ d) with Wilson intervals; withheld when fewer than ``min_n`` reach d."""
    x, y = pairs(rows, dimension)
    given = x >= dimension_threshold
    n = int(given.sum())
    hits = int((y[given] >= performance_threshold).sum())
    base_hits = int((y >= performance_threshold).sum())
    enough = n >= min_n
    p_ci = st.wilson(hits, n) if enough else None
    b_ci = st.wilson(base_hits, len(y))
    head = f"P(performance ≥ {performance_threshold:g} | {dimension} ≥ {dimension_threshold:g})"
    if enough and p_ci:
        statement = f"{head} = {hits / n:.0%} (95 % interval {p_ci[0]:.0%}–{p_ci[1]:.0%}), n = {n}"
    else:
        statement = f"{head}: {not_enough(n, min_n)['message']}"
    return Conditional(
        dimension=dimension,
        dimension_threshold=dimension_threshold,
        performance_threshold=performance_threshold,
        n=n,
        hits=hits,
        probability=round(hits / n, 4) if enough else None,
        probability_low=_r(p_ci[0]) if p_ci else None,
        probability_high=_r(p_ci[1]) if p_ci else None,
        base_n=len(y),
        base_rate=round(base_hits / len(y), 4) if len(y) else None,
        base_rate_low=_r(b_ci[0]) if b_ci else None,
        base_rate_high=_r(b_ci[1]) if b_ci else None,
        minimum_n=min_n,
        enough_data=enough,
        statement=statement,
    )


def top_share(values: np.ndarray, share: float) -> float:
    """The cut value: the top ``share`` are those at or above it."""
    k = max(1, math.ceil(len(values) * share))
    return float(np.sort(values)[::-1][k - 1])


def rated(rows: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The rows with both a hiring score and a performance criterion."""
    return [r for r in rows if r.get(HIRING_SCORE) is not None and r.get("performance") is not None]


def high_potential(
    rows: Sequence[Mapping[str, Any]],
    min_n: int,
    interview_share: float = 0.20,
    performance_share: float = 0.10,
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """(the high potentials, None) or ([], "not enough data") when the population is under ``min_n``."""
    usable = rated(rows)
    if len(usable) < min_n:
        return [], not_enough(len(usable), min_n)
    interview = np.asarray([r[HIRING_SCORE] for r in usable], dtype=float)
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
                    "hiring_score": round(float(i), 2),
                    "performance": round(float(p), 2),
                    "interview_cut": round(i_cut, 2),
                    "performance_cut": round(p_cut, 2),
                    "population": len(usable),
                }
            )
    return out, None


def band_of(score: float) -> str:
    for name, low, high in BANDS:
        if low <= score < high:
            return name
    return BANDS[-1][0]


def band_performance(rows: Sequence[Mapping[str, Any]], min_n: int) -> list[dict[str, Any]]:
    """Mean performance per hiring-score band with its 95 % interval; below ``min_n`` only the n."""
    cells: dict[str, list[float]] = {}
    for r in rated(rows):
        cells.setdefault(band_of(float(r[HIRING_SCORE])), []).append(float(r["performance"]))
    out = []
    for name, _, _ in BANDS:
        values = cells.get(name)
        if not values:
            continue
        enough = len(values) >= min_n
        mean = st.mean_interval(values) if enough else None
        out.append(
            {
                "band": name,
                "n": len(values),
                "mean_performance": round(mean[0], 2) if mean else None,
                "mean_low": round(mean[1], 2) if mean else None,
                "mean_high": round(mean[2], 2) if mean else None,
                "note": None if enough else not_enough(len(values), min_n)["message"],
            }
        )
    return out


def attrition_by_band(hires: Sequence[Mapping[str, Any]], min_n: int) -> list[dict[str, Any]]:
    """``hires``: {"cohort", "hiring_score", "left_within_window": bool}; rows per (cohort, band) and per
    band (cohort ``all``), each rate with its Wilson interval, withheld below ``min_n`` hires."""
    cells: dict[tuple[str, str], list[bool]] = {}
    for h in hires:
        if h.get(HIRING_SCORE) is None:
            continue
        band = band_of(float(h[HIRING_SCORE]))
        cells.setdefault((h["cohort"], band), []).append(bool(h["left_within_window"]))
        cells.setdefault(("all", band), []).append(bool(h["left_within_window"]))
    order = {b[0]: i for i, b in enumerate(BANDS)}
    out = []
    for (cohort, band), gone in sorted(cells.items(), key=lambda kv: (kv[0][0] != "all", kv[0][0], order[kv[0][1]])):
        n, left = len(gone), sum(gone)
        enough = n >= min_n
        ci = st.wilson(left, n) if enough else None
        out.append(
            {
                "cohort": cohort,
                "band": band,
                "hires": n,
                "left": left,
                "rate": round(left / n, 4) if enough else None,
                "rate_low": _r(ci[0]) if ci else None,
                "rate_high": _r(ci[1]) if ci else None,
                "note": None if enough else not_enough(n, min_n)["message"],
            }
        )
    return out
