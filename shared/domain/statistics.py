"""The statistical methods the analytics rest on, each as its textbook formula (docs/analytics.md).

Pure functions. The proportion, correlation and multiple-comparison helpers are plain Python; the
rank-based ones (midranks, DeLong's AUC interval) import numpy when called, so importing this
module never loads numpy.

* **Wilson score interval** for a proportion k / n (Wilson 1927)::

      centre = (p + z²/2n) / (1 + z²/n),  half = z·√(p(1−p)/n + z²/4n²) / (1 + z²/n)

* **Fisher's z interval** for a correlation: tanh(atanh r ± z·SE) with SE = √(1/(n−3)) for Pearson's
  r and Fieller's SE = √(1.06/(n−3)) for Spearman's ρ (Fieller, Hartley & Pearson 1957). The
  matching two-sided p-value of "no correlation" is erfc(|atanh r| / SE / √2).
* **Holm's step-down adjustment** (Holm 1979) of a family of p-values, controlling the chance of any
  false "significant" flag in the family (family-wise error rate) at α::

      p̃_(i) = max_{j ≤ i} min(1, (m − j + 1)·p_(j))     (p-values sorted ascending)

* **Zou's interval** (Zou 2007) for the difference of two correlations that share a variable
  (r_a = r(A, Y), r_b = r(B, Y), with r_ab = r(A, B)), from the two Fisher intervals.
* **Thorndike's case II** correction for direct range restriction: r_c = r·u / √(1 − r² + r²u²),
  u = SD among applicants / SD among hires.
* **DeLong's interval** for the AUC (DeLong, DeLong & Clarke-Pearson 1988), by the midrank algorithm
  of Sun & Xu (2014).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

Z95 = 1.959963984540054
ALPHA = 0.05
PEARSON_VARIANCE = 1.0
SPEARMAN_VARIANCE = 1.06  # Fieller, Hartley & Pearson (1957)
MIN_CORRELATION_N = 4  # Fisher's transform needs n > 3
R_LIMIT = 0.999999  # |r| = 1 has no Fisher transform


def wilson(hits: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval of hits / n; None for n = 0."""
    if n <= 0:
        return None
    p = hits / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def _clamp(r: float) -> float:
    return max(-R_LIMIT, min(R_LIMIT, r))


def correlation_interval(
    r: float, n: int, variance: float = PEARSON_VARIANCE, z: float = Z95
) -> tuple[float, float] | None:
    """Fisher's z interval; ``variance`` 1 for Pearson, 1.06 for Spearman (Fieller). None for n ≤ 3."""
    if n < MIN_CORRELATION_N or math.isnan(r):
        return None
    se = math.sqrt(variance / (n - 3))
    centre = math.atanh(_clamp(r))
    return math.tanh(centre - z * se), math.tanh(centre + z * se)


def correlation_p(r: float, n: int, variance: float = PEARSON_VARIANCE) -> float | None:
    """Two-sided p-value of "no correlation" on Fisher's z scale (the test matching the interval)."""
    if n < MIN_CORRELATION_N or math.isnan(r):
        return None
    z = math.atanh(_clamp(r)) / math.sqrt(variance / (n - 3))
    return math.erfc(abs(z) / math.sqrt(2))


def holm(pvalues: Sequence[float | None]) -> list[float | None]:
    """Holm-adjusted p-values in the given order; None entries are not tests and stay None."""
    tested = sorted((p, i) for i, p in enumerate(pvalues) if p is not None)
    m = len(tested)
    out: list[float | None] = [None] * len(pvalues)
    running = 0.0
    for rank, (p, i) in enumerate(tested):
        running = max(running, min(1.0, (m - rank) * p))
        out[i] = running
    return out


def thorndike_ii(r: float, u: float) -> float:
    """Thorndike's case II: the correlation among applicants from the one among hires, selected
    directly on the predictor; ``u`` = SD of the predictor among applicants / among hires."""
    return r * u / math.sqrt(1 - r * r + r * r * u * u)


def overlapping_difference_interval(
    r_a: float, r_b: float, r_ab: float, n: int, z: float = Z95
) -> tuple[float, float] | None:
    """Zou's (2007) interval for r(A, Y) − r(B, Y) measured on the same n people."""
    ci_a, ci_b = correlation_interval(r_a, n, z=z), correlation_interval(r_b, n, z=z)
    if ci_a is None or ci_b is None or math.isnan(r_ab):
        return None
    (l1, u1), (l2, u2) = ci_a, ci_b
    c = ((r_ab - 0.5 * r_a * r_b) * (1 - r_a**2 - r_b**2 - r_ab**2) + r_ab**3) / ((1 - r_a**2) * (1 - r_b**2))
    diff = r_a - r_b
    low = diff - math.sqrt(max(0.0, (r_a - l1) ** 2 + (u2 - r_b) ** 2 - 2 * c * (r_a - l1) * (u2 - r_b)))
    high = diff + math.sqrt(max(0.0, (u1 - r_a) ** 2 + (r_b - l2) ** 2 - 2 * c * (u1 - r_a) * (r_b - l2)))
    return low, high


def mean_interval(values: Sequence[float], z: float = Z95) -> tuple[float, float, float] | None:
    """Mean with its normal-approximation interval mean ± z·s/√n; None for fewer than 2 values."""
    n = len(values)
    if n < 2:
        return None
    mean = math.fsum(values) / n
    sd = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (n - 1))
    half = z * sd / math.sqrt(n)
    return mean, mean - half, mean + half


def fold_of(key: str, folds: int) -> int:
    """A stable fold (0 … folds−1) for cross-validation, from a hash of the person's id."""
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % folds


def rankdata(values: Any) -> np.ndarray:
    """Average ranks (1-based), ties sharing the mean of their ranks."""
    import numpy as np

    a = np.asarray(values, dtype=float)
    order = np.argsort(a, kind="mergesort")
    sorted_a = a[order]
    ranks = np.empty(len(a), dtype=float)
    boundaries = np.flatnonzero(np.diff(sorted_a)) + 1
    starts = np.concatenate(([0], boundaries))
    ends = np.concatenate((boundaries, [len(a)]))
    ranks[order] = np.repeat((starts + ends + 1) / 2.0, ends - starts)
    return ranks


def delong(scores: Any, labels: Any) -> tuple[float, float] | None:
    """The AUC (probability that a positive scores above a negative, ties ½) and DeLong's standard
    error; None without at least two positives and two negatives."""
    import numpy as np

    s = np.asarray(scores, dtype=float)
    y = np.asarray(labels, dtype=float) > 0.5
    pos, neg = s[y], s[~y]
    m, k = len(pos), len(neg)
    if m < 2 or k < 2:
        return None
    combined = rankdata(np.concatenate([pos, neg]))
    within_pos, within_neg = rankdata(pos), rankdata(neg)
    v10 = (combined[:m] - within_pos) / k  # per positive: share of negatives it outscores
    v01 = 1 - (combined[m:] - within_neg) / m  # per negative: share of positives that outscore it
    auc = float(v10.mean())
    variance = float(v10.var(ddof=1)) / m + float(v01.var(ddof=1)) / k
    return auc, math.sqrt(max(0.0, variance))


def auc_interval(scores: Any, labels: Any, z: float = Z95) -> tuple[float, float, float] | None:
    """AUC with its DeLong 95 % interval, clipped to [0, 1]."""
    out = delong(scores, labels)
    if out is None:
        return None
    auc, se = out
    return auc, max(0.0, auc - z * se), min(1.0, auc + z * se)
