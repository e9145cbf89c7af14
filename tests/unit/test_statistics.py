"""Each statistical method of ``shared/domain/statistics.py`` against an independent computation:
scipy (a development dependency only), the standard library, or the method's definition written out
the slow way, on planted data."""

from __future__ import annotations

import math
import random
import statistics as py_stats
import subprocess
import sys

import numpy as np
import pytest
from scipy import stats as sp

from shared.domain import statistics as st


@pytest.mark.parametrize(("hits", "n"), [(7, 21), (0, 12), (12, 12), (230, 400), (1, 1)])
def test_wilson_matches_scipy(hits: int, n: int) -> None:
    # Given a count of hits out of n
    # When the Wilson interval is computed
    low, high = st.wilson(hits, n) or (math.nan, math.nan)
    # Then it equals scipy's Wilson interval for the binomial proportion
    ref = sp.binomtest(hits, n).proportion_ci(confidence_level=0.95, method="wilson")
    assert (low, high) == (pytest.approx(ref.low, abs=1e-9), pytest.approx(ref.high, abs=1e-9))


def test_wilson_of_the_reported_example() -> None:
    # "33 %, n = 21" has a Wilson 95 % interval of about 17–55 %
    low, high = st.wilson(7, 21) or (0, 0)
    assert round(low * 100) == 17 and round(high * 100) == 55
    assert st.wilson(0, 0) is None


def planted_pairs(n: int, rho: float, seed: int) -> tuple[list[float], list[float]]:
    rnd = random.Random(seed)
    xs, ys = [], []
    for _ in range(n):
        x = rnd.gauss(0, 1)
        xs.append(x)
        ys.append(rho * x + math.sqrt(1 - rho * rho) * rnd.gauss(0, 1))
    return xs, ys


def test_pearson_interval_and_p_value_follow_fisher() -> None:
    # Given 150 pairs with a planted correlation of 0.4
    xs, ys = planted_pairs(150, 0.4, 3)
    r = float(sp.pearsonr(xs, ys).statistic)
    # When the interval and p-value are computed
    low, high = st.correlation_interval(r, 150) or (0, 0)
    p = st.correlation_p(r, 150)
    # Then they are Fisher's: tanh(atanh r ± 1.96 / √(n − 3)), and the normal p-value of atanh r · √(n − 3)
    z = py_stats.NormalDist()
    se = 1 / math.sqrt(147)
    assert low == pytest.approx(math.tanh(math.atanh(r) - z.inv_cdf(0.975) * se), abs=1e-12)
    assert high == pytest.approx(math.tanh(math.atanh(r) + z.inv_cdf(0.975) * se), abs=1e-12)
    assert p == pytest.approx(2 * (1 - z.cdf(abs(math.atanh(r)) / se)), rel=1e-9)
    # And the p-value agrees with scipy's exact t-test to the first digits
    assert p == pytest.approx(sp.pearsonr(xs, ys).pvalue, rel=0.15)


def test_spearman_interval_uses_fiellers_standard_error() -> None:
    # Given 80 pairs and scipy's Spearman ρ
    xs, ys = planted_pairs(80, 0.5, 9)
    rho = float(sp.spearmanr(xs, ys).statistic)
    # When the Spearman interval is computed
    low, high = st.correlation_interval(rho, 80, st.SPEARMAN_VARIANCE) or (0, 0)
    # Then its half-width on the z scale is 1.96 · √(1.06 / 77), wider than Pearson's by √1.06
    se = math.sqrt(1.06 / 77)
    assert math.atanh(high) - math.atanh(rho) == pytest.approx(1.959963984540054 * se, rel=1e-9)
    assert math.atanh(rho) - math.atanh(low) == pytest.approx(1.959963984540054 * se, rel=1e-9)
    pearson_low, _ = st.correlation_interval(rho, 80) or (0, 0)
    assert low < pearson_low


def test_ranks_match_scipy() -> None:
    values = [3.0, 1.0, 3.0, 2.0, 3.0, 1.0, 7.5]
    assert list(st.rankdata(values)) == list(sp.rankdata(values))


def holm_reference(pvalues: list[float], alpha: float) -> set[int]:
    """Holm's procedure as a sequence of decisions: reject the i-th smallest while p ≤ α / (m − i)."""
    order = sorted(range(len(pvalues)), key=lambda i: pvalues[i])
    rejected = set()
    for step, i in enumerate(order):
        if pvalues[i] > alpha / (len(pvalues) - step):
            break
        rejected.add(i)
    return rejected


def test_holm_rejects_what_the_step_down_procedure_rejects() -> None:
    rnd = random.Random(4)
    for _ in range(200):
        # Given a family of p-values: a few true effects among nulls
        ps = [rnd.random() ** (6 if rnd.random() < 0.2 else 1) for _ in range(rnd.randint(1, 48))]
        # When they are Holm-adjusted
        adjusted = st.holm(ps)
        # Then "adjusted p < α" rejects exactly what Holm's sequential procedure rejects
        for alpha in (0.05, 0.01):
            assert {i for i, p in enumerate(adjusted) if p is not None and p <= alpha} == holm_reference(ps, alpha)
        # And adjustment never lowers a p-value
        assert all(a is not None and a >= p for a, p in zip(adjusted, ps, strict=True))


def test_holm_keeps_order_and_skips_missing_tests() -> None:
    assert st.holm([0.04, None, 0.01, 0.03]) == [pytest.approx(0.06), None, pytest.approx(0.03), pytest.approx(0.06)]


def test_holm_controls_false_flags_among_null_dimensions() -> None:
    # Given 2,000 simulated views of 48 null correlations (n = 114 each)
    rnd = random.Random(8)
    raw_any = holm_any = 0
    for _ in range(2000):
        ps = [st.correlation_p(math.tanh(rnd.gauss(0, 1 / math.sqrt(111))), 114) for _ in range(48)]
        raw_any += any(p is not None and p < 0.05 for p in ps)
        holm_any += any(p is not None and p < 0.05 for p in st.holm(ps))
    # Then uncorrected, almost every view flags something; Holm keeps it near 5 %
    assert raw_any / 2000 > 0.85
    assert holm_any / 2000 < 0.075


def test_thorndike_case_ii_recovers_the_applicant_correlation() -> None:
    # Given 40,000 applicants with r = 0.5 between the interview score and performance, of whom the top
    # 30 % by the interview score are hired (direct selection)
    xs, ys = planted_pairs(40_000, 0.5, 12)
    cut = sorted(xs, reverse=True)[12_000]
    hired = [(x, y) for x, y in zip(xs, ys, strict=True) if x > cut]
    r_hired = py_stats.correlation([x for x, _ in hired], [y for _, y in hired])
    u = py_stats.stdev(xs) / py_stats.stdev([x for x, _ in hired])
    # When the hires' correlation is corrected
    corrected = st.thorndike_ii(r_hired, u)
    # Then it is (near) the applicants' correlation, which the hires' one understates
    assert r_hired < 0.4
    assert corrected == pytest.approx(py_stats.correlation(xs, ys), abs=0.02)


def test_zou_interval_agrees_with_a_paired_bootstrap() -> None:
    # Given 800 people, a criterion y and two predictors a (r ≈ .5) and b (r ≈ .35) correlated with each other
    rnd = np.random.default_rng(5)
    n = 800
    common = rnd.normal(size=n)
    a = common + rnd.normal(size=n)
    b = common + rnd.normal(size=n) * 1.4
    y = 0.6 * a + 0.1 * b + rnd.normal(size=n) * 1.5
    r_a, r_b, r_ab = (float(np.corrcoef(u, v)[0, 1]) for u, v in ((a, y), (b, y), (a, b)))
    # When Zou's interval for r_a − r_b is computed
    low, high = st.overlapping_difference_interval(r_a, r_b, r_ab, n) or (0, 0)

    # Then it is close to scipy's paired percentile bootstrap of the same difference
    def diff(i: np.ndarray, j: np.ndarray, k: np.ndarray, axis: int = -1) -> np.ndarray:
        def corr(u: np.ndarray, v: np.ndarray) -> np.ndarray:
            du = u - u.mean(axis=axis, keepdims=True)
            dv = v - v.mean(axis=axis, keepdims=True)
            return (du * dv).sum(axis=axis) / np.sqrt((du * du).sum(axis=axis) * (dv * dv).sum(axis=axis))

        return corr(i, k) - corr(j, k)

    ref = sp.bootstrap(
        (a, b, y), diff, paired=True, vectorized=True, n_resamples=4000, method="percentile", rng=rnd
    ).confidence_interval
    assert low < r_a - r_b < high
    assert low == pytest.approx(ref.low, abs=0.02) and high == pytest.approx(ref.high, abs=0.02)


def delong_reference(scores: list[float], labels: list[int]) -> tuple[float, float]:
    """DeLong's variance from its definition: the structural components over every pair."""
    pos = [s for s, y in zip(scores, labels, strict=True) if y]
    neg = [s for s, y in zip(scores, labels, strict=True) if not y]

    def psi(x: float, v: float) -> float:
        return 1.0 if x > v else 0.5 if x == v else 0.0

    v10 = [sum(psi(x, v) for v in neg) / len(neg) for x in pos]
    v01 = [sum(psi(x, v) for x in pos) / len(pos) for v in neg]
    auc = sum(v10) / len(v10)
    return auc, math.sqrt(py_stats.variance(v10) / len(pos) + py_stats.variance(v01) / len(neg))


def test_delong_matches_its_definition_and_scipy_auc() -> None:
    # Given 300 people whose risk score is higher among leavers (with ties from rounding)
    rnd = random.Random(21)
    labels = [1 if rnd.random() < 0.2 else 0 for _ in range(300)]
    scores = [round(rnd.gauss(0.6 if y else 0.0, 1.0), 1) for y in labels]
    # When the AUC and its DeLong interval are computed
    auc, low, high = st.auc_interval(scores, labels) or (0, 0, 0)
    # Then AUC and standard error equal the pairwise definition
    ref_auc, ref_se = delong_reference(scores, labels)
    assert auc == pytest.approx(ref_auc, abs=1e-12)
    assert (high - low) / 2 == pytest.approx(1.959963984540054 * ref_se, rel=1e-9)
    # And the AUC is the Mann–Whitney U statistic over (positives × negatives), as scipy computes it
    pos = [s for s, y in zip(scores, labels, strict=True) if y]
    neg = [s for s, y in zip(scores, labels, strict=True) if not y]
    assert auc == pytest.approx(sp.mannwhitneyu(pos, neg).statistic / (len(pos) * len(neg)), abs=1e-12)
    assert st.delong([0.1, 0.2, 0.3], [1, 0, 0]) is None


def test_mean_interval_matches_the_normal_approximation() -> None:
    values = [70.0, 82.5, 91.0, 64.0, 88.0, 79.5, 85.0]
    mean, low, high = st.mean_interval(values) or (0, 0, 0)
    half = 1.959963984540054 * py_stats.stdev(values) / math.sqrt(len(values))
    assert mean == pytest.approx(py_stats.fmean(values)) and (low, high) == (
        pytest.approx(mean - half),
        pytest.approx(mean + half),
    )
    assert st.mean_interval([80.0]) is None


def test_folds_are_stable_and_balanced() -> None:
    folds = [st.fold_of(f"e{i:05d}", 5) for i in range(10_000)]
    assert folds == [st.fold_of(f"e{i:05d}", 5) for i in range(10_000)]
    assert all(1_850 < folds.count(k) < 2_150 for k in range(5))


def test_importing_the_app_does_not_load_numpy() -> None:
    # Given a fresh interpreter
    # When it imports the Chalice app (what a cold start does)
    code = "import sys, app; print('numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # Then numpy is not loaded: the analytics paths import it when they run
    assert out.stdout.strip() == "False"
