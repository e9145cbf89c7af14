"""The analytics against reference computations on generated data with planted effects: a dimension
that truly predicts performance must be found, noise must not be; the guards (minimum populations,
Holm, shrinkage, bounded steps, out-of-sample gain) must hold."""

from __future__ import annotations

import io
import math
import random
import statistics
import xml.etree.ElementTree as ET
from typing import Any

import numpy as np
import pytest
from scipy import optimize
from scipy import stats as sp

from shared.domain import analytics as stats
from shared.domain import attrition_model, charts, reweighting
from shared.domain import performance as rules
from shared.domain import statistics as st
from shared.domain.exports import to_csv, to_xlsx
from shared.models.common import Dimension
from shared.models.performance import Kpi, ScoringRule, TargetRule
from shared.services.analytics import compute_snapshot
from shared.services.analytics_inputs import DIMENSIONS, Minimums, hiring_score, row_of

TRUE, WEAK = "logic", "customer_orientation"  # logic predicts performance strongly, customer orientation weakly
HIRING_WEIGHTS = {
    "logic": 0.2,
    "customer_orientation": 0.3,
    "expression": 0.1,
    "risk_awareness": 0.1,
    "innovation": 0.1,
    "teamwork": 0.1,
    "stress_tolerance": 0.05,
    "data_analysis": 0.05,
}
UNIFORM = {d: 1 / 8 for d in DIMENSIONS}
LIMITS = Minimums(conditional=30, high_potential=50, band=20, risk_hires=200, risk_auc_floor=0.6)


def planted(n: int = 800, seed: int = 7, strength: float = 0.6, weak: float = 0.0) -> list[dict[str, Any]]:
    """Hires with eight interview dimensions; performance follows ``TRUE`` (and ``WEAK`` a little)."""
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        scores = {d: round(rnd.gauss(75, 10), 1) for d in DIMENSIONS}
        perf = 80 + strength * (scores[TRUE] - 75) + weak * (scores[WEAK] - 75) + rnd.gauss(0, 8)
        rows.append(
            {
                "employee_id": f"e{seed}-{i:04d}",
                "role_family": "customer_manager" if i % 2 else "risk_manager",
                "department": "零售金融部",
                "cohort": f"2027-0{1 + i % 3}",
                "scores": scores,
                "weights": HIRING_WEIGHTS,
                "hiring_score": hiring_score(scores, HIRING_WEIGHTS),
                "performance": round(max(0.0, min(100.0, perf)), 2),
            }
        )
    return rows


# -- the two definitions -----------------------------------------------------------------------------
def test_the_hiring_score_is_the_requisitions_weighted_score() -> None:
    # Given a hire with three of the requisition's weighted dimensions scored
    scores = {"logic": 80.0, "customer_orientation": 70.0, "innovation": 90.0}
    # Then the hiring score is Σ w·s / Σ w over those three (what the shortlist ranked by)
    expected = (0.2 * 80 + 0.3 * 70 + 0.1 * 90) / 0.6
    assert hiring_score(scores, HIRING_WEIGHTS) == pytest.approx(expected, abs=1e-4)
    assert hiring_score({"logic": 80.0}, {"innovation": 1.0}) is None


def kpi(adjust: float = 0.5) -> Kpi:
    return Kpi(
        kpi_id="cm.co.satisfaction",
        role_family="customer_manager",
        dimension=Dimension.customer_orientation,
        name_zh="客户满意度评分",
        name_en="Client satisfaction",
        unit="score",
        direction="higher",
        baseline_target=85,
        adjust_per_point=adjust,
        origin="seed",
    )


def test_the_criterion_scores_results_against_the_baseline_target() -> None:
    # Given a hire whose interview (85) raised the target from the baseline 85 to 90, and an actual of 88
    (target,) = rules.build_targets([kpi()], {Dimension.customer_orientation: 85}, TargetRule())
    scored = target.model_copy(update={"actual": 88.0, "score": rules.score_kpi(target.scoring_rule, "higher", 90, 88)})
    # Then the cycle score (against 90) is below target, the criterion (against 85) above it
    assert target.target == 90
    assert rules.overall([scored]) == pytest.approx(80 * 88 / 90, abs=0.01)
    assert rules.baseline_overall([scored]) == pytest.approx(80 * 88 / 85, abs=0.01)
    # And a record with a KPI still missing has neither
    missing = scored.model_copy(update={"kpi_id": "other", "actual": None, "score": None})
    assert rules.overall([scored, missing]) is None and rules.baseline_overall([scored, missing]) is None
    assert rules.status([scored, missing]) == "partial" and rules.status([missing]) == "targets_set"
    # Unless HR excluded it on closing the record
    closed = [scored, missing.model_copy(update={"excluded": True})]
    assert rules.status(closed) == "scored" and rules.overall(closed) == rules.overall([scored])


def test_validity_against_adjusted_targets_understates_the_predictor() -> None:
    # Given 800 hires whose true performance follows their customer-orientation interview score, with
    # targets raised 0.5 per interview point above 75 (the product's target rule)
    rnd = random.Random(3)
    interview, adjusted, baseline = [], [], []
    for _ in range(800):
        score = rnd.gauss(75, 10)
        (target,) = rules.build_targets([kpi()], {Dimension.customer_orientation: score}, TargetRule())
        actual = max(1.0, 85 + 0.6 * (score - 75) + rnd.gauss(0, 6))
        t = target.model_copy(
            update={
                "actual": actual,
                "score": rules.score_kpi(ScoringRule.proportional, "higher", target.target, actual),
            }
        )
        interview.append(score)
        adjusted.append(rules.overall([t]) or 0.0)
        baseline.append(rules.baseline_overall([t]) or 0.0)
    # Then the interview's validity against the baseline criterion is higher than against adjusted targets
    assert statistics.correlation(interview, baseline) > statistics.correlation(interview, adjusted) + 0.1


# -- validity ----------------------------------------------------------------------------------------
def test_validity_matches_the_references_and_finds_the_planted_effect_only() -> None:
    # Given 800 hires whose performance depends on logic only
    rows = planted()
    x = [r["scores"][TRUE] for r in rows]
    y = [r["performance"] for r in rows]
    # When validity is computed
    result = stats.validity(rows, DIMENSIONS)
    overall = {c.dimension: c for c in result.rows if c.role_family == "all"}
    logic = overall[TRUE]
    # Then Pearson and Spearman equal scipy's, with Fisher's interval for r and Fieller's for ρ
    assert logic.n == 800
    assert logic.pearson == pytest.approx(sp.pearsonr(x, y).statistic, abs=1e-4)
    rho = float(sp.spearmanr(x, y).statistic)
    assert logic.spearman == pytest.approx(rho, abs=1e-4)
    r = statistics.correlation(x, y)
    assert logic.pearson_low == pytest.approx(math.tanh(math.atanh(r) - 1.959963984540054 / math.sqrt(797)), abs=1e-4)
    fieller = math.sqrt(1.06 / 797)
    assert logic.spearman_high == pytest.approx(math.tanh(math.atanh(rho) + 1.959963984540054 * fieller), abs=1e-4)
    # And only logic (and the hiring score, which contains it) is significant after Holm's adjustment
    assert {d for d, c in overall.items() if c.significant} == {TRUE, stats.HIRING_SCORE}
    assert overall[stats.HIRING_SCORE].pearson == pytest.approx(
        statistics.correlation([r["hiring_score"] for r in rows], y), abs=1e-4
    )


def test_the_holm_family_is_every_overall_and_family_row_and_months_are_exploratory() -> None:
    rows = planted(600, seed=2)
    result = stats.validity(rows, DIMENSIONS)
    confirmatory = [c for c in result.rows if c.cohort == "all"]
    months = [c for c in result.rows if c.cohort != "all"]
    # Then (3 groups × 9 predictors) are adjusted together, and the month rows as a family of their own
    assert len(confirmatory) == 27 and len(months) == 2 * 3 * 9
    for family in (confirmatory, months):
        expected = st.holm([c.p_value for c in family])
        assert [c.p_adjusted for c in family] == [pytest.approx(p, abs=1e-6) for p in expected]
        assert all(c.significant == (c.p_adjusted is not None and c.p_adjusted < 0.05) for c in family)
    assert all(c.exploratory for c in months) and not any(c.exploratory for c in confirmatory)


def test_small_groups_are_left_out_and_counted() -> None:
    rows = planted(60, seed=4)
    result = stats.validity(rows, DIMENSIONS, min_n=25)
    # 60 rows: the overall group and each family (30) have enough pairs, no month (10 each) does
    assert {(c.role_family, c.cohort) for c in result.rows} == {
        ("all", "all"),
        ("customer_manager", "all"),
        ("risk_manager", "all"),
    }
    assert result.small_groups == 2 * 3 * 9


def test_the_range_correction_is_thorndike_case_ii_with_the_applicant_sd() -> None:
    rows = planted(400, seed=6)
    plain = {c.dimension: c for c in stats.validity(rows, DIMENSIONS, by_cohort=False).rows if c.role_family == "all"}
    corrected = stats.validity(rows, DIMENSIONS, by_cohort=False, applicant_sd={TRUE: 15.0}).rows
    logic = next(c for c in corrected if c.dimension == TRUE and c.role_family == "all")
    u = 15.0 / statistics.stdev([r["scores"][TRUE] for r in rows])
    r = plain[TRUE].pearson or 0.0
    assert logic.pearson_corrected == pytest.approx(r * u / math.sqrt(1 - r * r + r * r * u * u), abs=1e-4)
    assert all(c.pearson_corrected is None for c in corrected if c.dimension != TRUE)


# -- conditional statements ----------------------------------------------------------------------------
def test_conditional_statements_carry_wilson_intervals() -> None:
    rows = planted()
    c = stats.conditional(rows, TRUE, 80, 85, min_n=30)
    given = [r for r in rows if r["scores"][TRUE] >= 80]
    hits = [r for r in given if r["performance"] >= 85]
    assert (c.n, c.hits) == (len(given), len(hits)) and c.enough_data
    ref = sp.binomtest(len(hits), len(given)).proportion_ci(method="wilson")
    assert (c.probability_low, c.probability_high) == (
        pytest.approx(ref.low, abs=1e-4),
        pytest.approx(ref.high, abs=1e-4),
    )
    base = sp.binomtest(sum(r["performance"] >= 85 for r in rows), len(rows)).proportion_ci(method="wilson")
    assert c.base_rate_low == pytest.approx(base.low, abs=1e-4)
    assert f"n = {len(given)}" in c.statement and "95 % interval" in c.statement
    assert c.probability is not None and c.base_rate is not None and c.probability > c.base_rate


def test_a_conditional_statement_on_too_few_people_is_not_made() -> None:
    # Given a cycle with one hire at logic ≥ 80 who reached 90 ("P = 100 %, n = 1")
    rows = planted(40, seed=5)
    c = stats.conditional(rows, TRUE, 95, 0, min_n=30)
    # Then no probability is given, only "not enough data"
    assert c.probability is None and not c.enough_data
    assert c.statement.endswith(f"not enough data (n = {c.n}, needed 30)")


# -- high potential --------------------------------------------------------------------------------------
def test_high_potential_is_the_intersection_of_the_two_tops_by_the_hiring_score() -> None:
    rows = planted(200)
    found, short = stats.high_potential(rows, min_n=50)
    interview = sorted((r["hiring_score"] for r in rows), reverse=True)
    perf = sorted((r["performance"] for r in rows), reverse=True)
    i_cut, p_cut = interview[39], perf[19]
    expected = {r["employee_id"] for r in rows if r["hiring_score"] >= i_cut and r["performance"] >= p_cut}
    assert short is None and {h["employee_id"] for h in found} == expected and expected
    assert all(h["population"] == 200 for h in found)


def test_one_enrolled_employee_is_not_a_high_potential() -> None:
    # Given a cycle with one rated hire (top 20 % and top 10 % of one person)
    found, short = stats.high_potential(planted(1), min_n=50)
    # Then nobody is named, and the answer says why
    assert found == [] and short == {"n": 1, "needed": 50, "message": "not enough data (n = 1, needed 50)"}


# -- bands -----------------------------------------------------------------------------------------------
def test_band_performance_has_intervals_and_withholds_small_bands() -> None:
    rows = planted(300, seed=9)
    out = {b["band"]: b for b in stats.band_performance(rows, min_n=60)}
    for band, cell in out.items():
        values = [r["performance"] for r in rows if stats.band_of(r["hiring_score"]) == band]
        assert cell["n"] == len(values)
        if len(values) >= 60:
            half = 1.959963984540054 * statistics.stdev(values) / math.sqrt(len(values))
            assert cell["mean_performance"] == pytest.approx(statistics.fmean(values), abs=0.01)
            assert cell["mean_high"] - cell["mean_low"] == pytest.approx(2 * half, abs=0.02)
        else:
            assert (
                cell["mean_performance"] is None and cell["note"] == f"not enough data (n = {len(values)}, needed 60)"
            )
    assert any(c["mean_performance"] is None for c in out.values()) and any(c["mean_performance"] for c in out.values())


def test_attrition_by_band_counts_leavers_with_wilson_intervals() -> None:
    hires = [{"cohort": "2027-01", "hiring_score": 55.0, "left_within_window": i < 6} for i in range(24)]
    hires += [{"cohort": "2027-02", "hiring_score": 92.0, "left_within_window": False} for _ in range(3)]
    rows = stats.attrition_by_band(hires, min_n=20)
    low_band = next(r for r in rows if r["cohort"] == "all" and r["band"] == "<60")
    ref = sp.binomtest(6, 24).proportion_ci(method="wilson")
    assert (low_band["hires"], low_band["left"], low_band["rate"]) == (24, 6, 0.25)
    assert (low_band["rate_low"], low_band["rate_high"]) == (
        pytest.approx(ref.low, abs=1e-4),
        pytest.approx(ref.high, abs=1e-4),
    )
    top = next(r for r in rows if r["cohort"] == "2027-02" and r["band"] == "≥90")
    assert top["rate"] is None and top["note"] == "not enough data (n = 3, needed 20)"


# -- re-weighting --------------------------------------------------------------------------------------------
GUARDS = reweighting.Guards(min_rated_hires=100, step=0.10, floor=0.05, shrinkage_n=100, folds=5)


def test_one_approval_moves_each_weight_at_most_one_step_and_drops_none() -> None:
    # Given 114 rated hires with one truly predictive dimension, hired with uniform weights
    rows = [{**r, "weights": UNIFORM, "hiring_score": hiring_score(r["scores"], UNIFORM)} for r in planted(114, seed=1)]
    # When the proposal is computed
    proposal = reweighting.reweight(rows, DIMENSIONS, UNIFORM, GUARDS)
    weights = proposal["proposed_weights"]
    # Then weight moves toward logic, but no weight moves more than the step and none falls below the floor
    assert weights is not None and proposal["approvable"]
    assert sum(weights.values()) == pytest.approx(1.0, abs=1e-9)
    assert weights[TRUE] == pytest.approx(1 / 8 + 0.10, abs=1e-4)
    assert all(abs(w - 1 / 8) <= 0.10 + 1e-4 and w >= 0.05 - 1e-9 for w in weights.values())
    assert proposal["guards"]["shrinkage"] == pytest.approx(114 / 214, abs=1e-4)


def test_the_proposal_is_the_nearest_point_within_the_bounds() -> None:
    # Given a shrunk target and the bounds of one approval
    rows = planted(400, seed=11, strength=0.5, weak=0.25)
    data = reweighting.data_of(rows, DIMENSIONS)
    current = np.array([HIRING_WEIGHTS[d] for d in DIMENSIONS])
    fitted = reweighting.fit(data, current, GUARDS)
    assert fitted.weights is not None and fitted.target is not None
    desired = (1 - fitted.shrinkage) * fitted.baseline + fitted.shrinkage * fitted.target
    low, high = reweighting.bounds(current, GUARDS.step, GUARDS.floor)
    # Then the projection equals scipy's constrained least squares
    ref = optimize.minimize(
        lambda w: float(((w - desired) ** 2).sum()),
        current,
        method="SLSQP",
        bounds=list(zip(low, high, strict=True)),
        constraints=[{"type": "eq", "fun": lambda w: float(w.sum() - 1)}],
        options={"ftol": 1e-12, "maxiter": 500},
    )
    assert ref.success
    assert fitted.weights == pytest.approx(ref.x, abs=1e-5)
    # And the validity target puts weight on logic and customer orientation only (both planted)
    assert {d for d, t in zip(DIMENSIONS, fitted.target, strict=True) if t > 0} == {TRUE, WEAK}


def test_a_null_dimension_rarely_gains_weight() -> None:
    # Given 200 cohorts of 114 rated hires each with one predictive dimension and seven null ones
    gained = 0
    for seed in range(200):
        rows = [
            {**r, "weights": UNIFORM, "hiring_score": hiring_score(r["scores"], UNIFORM)}
            for r in planted(114, seed=1000 + seed, strength=0.3)
        ]
        data = reweighting.data_of(rows, DIMENSIONS)
        fitted = reweighting.fit(data, np.full(8, 1 / 8), GUARDS)
        if fitted.target is not None:
            gained += any(t > 0 for d, t in zip(DIMENSIONS, fitted.target, strict=True) if d != TRUE)
    # Then with Holm's adjustment a null dimension gets validity weight in about 5 % of cohorts at most
    # (uncorrected, about one in six)
    assert gained / 200 <= 0.08


def test_the_expected_gain_is_out_of_sample_with_an_interval() -> None:
    # Given 800 hires selected with the hiring weights, where logic predicts and everything else is noise
    rows = planted(800, seed=13)
    proposal = reweighting.reweight(rows, DIMENSIONS, HIRING_WEIGHTS, GUARDS)
    # Then current validity is measured with the hires' own weights
    hiring = [r["hiring_score"] for r in rows]
    perf = [r["performance"] for r in rows]
    assert proposal["current_validity"] == pytest.approx(statistics.correlation(hiring, perf), abs=1e-4)
    assert proposal["baseline_weights"] == pytest.approx(HIRING_WEIGHTS, abs=1e-4)
    # And the gain is the cross-validated composite's validity minus that, inside Zou's interval
    assert proposal["expected_gain"] == pytest.approx(
        proposal["expected_validity"] - proposal["current_validity"], abs=2e-4
    )
    assert proposal["gain_low"] < proposal["expected_gain"] < proposal["gain_high"]
    assert proposal["expected_gain"] > 0 and len(proposal["fold_gains"]) == 5
    # And the held-out composites come from weights fitted without the person: recomputing fold 0 by
    # hand (fit on folds 1–4) gives the same scores
    data = reweighting.data_of(rows, DIMENSIONS)
    predicted, _ = reweighting.cross_validated(data, np.array([HIRING_WEIGHTS[d] for d in DIMENSIONS]), GUARDS)
    folds = np.array([st.fold_of(i, 5) for i in data.ids])
    trained = reweighting.fit(data.subset(folds != 0), np.array([HIRING_WEIGHTS[d] for d in DIMENSIONS]), GUARDS)
    assert trained.weights is not None
    assert predicted[folds == 0] == pytest.approx(reweighting.composite(data.scores[folds == 0], trained.weights))


def test_a_proposal_below_the_minimum_is_shown_but_not_approvable() -> None:
    rows = planted(60, seed=13, strength=1.0)
    proposal = reweighting.reweight(rows, DIMENSIONS, HIRING_WEIGHTS, GUARDS)
    assert proposal["proposed_weights"] is not None and not proposal["approvable"]
    assert proposal["blocked_because"] == ["not enough data (n = 60, needed 100)"]


def test_no_proposal_from_noise() -> None:
    rows = planted(300, seed=17, strength=0.0)
    proposal = reweighting.reweight(rows, DIMENSIONS, HIRING_WEIGHTS, GUARDS)
    assert proposal["proposed_weights"] is None and not proposal["approvable"]
    assert proposal["expected_gain"] is None


# -- attrition risk ------------------------------------------------------------------------------------------
def test_the_risk_model_validates_on_held_out_data_with_an_auc_interval() -> None:
    # Given hires who leave more often when stress tolerance is low (and logic is noise)
    rnd = random.Random(11)
    hires = []
    for i in range(1500):
        stress, logic = rnd.gauss(72, 10), rnd.gauss(72, 10)
        p = 1 / (1 + math.exp(-(-2.0 - 0.15 * (stress - 72))))
        hires.append(
            {
                "employee_id": f"h{i}",
                "scores": {"stress_tolerance": stress, "logic": logic},
                "bar": {"stress_tolerance": 70},
                "left_within_window": rnd.random() < p,
            }
        )
    model = attrition_model.train(hires, ["stress_tolerance", "logic"])
    assert model is not None
    m = model.metrics
    # Then the held-out AUC is good, with DeLong's interval around it, and calibration follows
    assert m["holdout_auc"] > 0.75 and 300 < m["holdout_n"] < 600
    assert m["holdout_auc_low"] < m["holdout_auc"] < m["holdout_auc_high"] and m["holdout_auc_low"] > 0.6
    calib = m["calibration"]
    assert calib[0]["observed_rate"] < calib[-1]["observed_rate"]
    assert all(b["observed_low"] <= b["observed_rate"] <= b["observed_high"] for b in calib)
    assert all(abs(b["mean_predicted"] - b["observed_rate"]) < 0.12 for b in calib)
    person = attrition_model.features(
        {"scores": {"stress_tolerance": 50, "logic": 72}, "bar": {}}, ["stress_tolerance", "logic"]
    )
    top = model.explain(person)[0]
    assert top["factor"] == "score:stress_tolerance" and top["contribution"] > 0


def test_auc_equals_the_pairwise_definition() -> None:
    scores = np.array([0.1, 0.4, 0.35, 0.8, 0.4])
    labels = np.array([0, 0, 1, 1, 1])
    pairs = [(p, n) for p in scores[labels == 1] for n in scores[labels == 0]]
    expected = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p, n in pairs) / len(pairs)
    assert attrition_model.auc(scores, labels) == pytest.approx(expected)


# -- rows, exports, charts, the snapshot ------------------------------------------------------------------
def record(**overrides: Any) -> dict[str, Any]:
    base = {
        "employee_id": "e1",
        "role_family": "customer_manager",
        "department": "零售金融部",
        "start_date": "2027-01-04",
        "dimension_scores": {"logic": 80.0, "customer_orientation": 70.0},
        "dimension_weights": {"logic": 0.5, "customer_orientation": 0.5},
        "status": "scored",
        "overall_score": 78.0,
        "baseline_score": 83.0,
        "targets": [],
    }
    return {**base, **overrides}


def test_only_scored_records_become_rows_with_the_baseline_criterion() -> None:
    row = row_of(record())
    assert row is not None and row["performance"] == 83.0 and row["hiring_score"] == 75.0
    assert row_of(record(status="partial", overall_score=None, targets=[{"score": 100}])) is None
    assert row_of(record(status="targets_set", overall_score=None)) is None
    assert row_of(record(dimension_scores={})) is None


def test_exports_neutralise_formula_injection_and_open_in_a_spreadsheet() -> None:
    from openpyxl import load_workbook

    rows = [{"name": '=HYPERLINK("http://x")', "note": "+1", "who": "@me", "minus": "-2", "n": -3, "ok": "张伟"}]
    text = to_csv(rows).decode("utf-8")
    assert text.startswith("\ufeff") and "'=HYPERLINK" in text and ",'+1,'@me,'-2,-3,张伟" in text
    sheet = load_workbook(io.BytesIO(to_xlsx(rows, "validity"))).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["name", "note", "who", "minus", "n", "ok"]
    assert values[1] == ['\'=HYPERLINK("http://x")', "'+1", "'@me", "'-2", -3, "张伟"]


def test_charts_are_well_formed_svg_with_escaped_text() -> None:
    rows = [c.as_row() for c in stats.validity(planted(), DIMENSIONS).rows if c.role_family == "all"]
    for svg in (
        charts.validity_chart(rows, "效度 <validity> & more"),
        charts.trend_chart([("2027-01", 0.15, 100), ("2027-02", 0.08, 120)], "趋势"),
        charts.band_chart(stats.band_performance(planted(), 20), "分段"),
        charts.validity_chart([], "empty"),
    ):
        root = ET.fromstring(svg.encode("utf-8"))  # noqa: S314 - our own output, under test
        assert root.tag.endswith("svg")
    svg = charts.validity_chart(rows, "t")
    bars = ET.fromstring(svg.encode()).findall(".//{http://www.w3.org/2000/svg}rect")  # noqa: S314
    assert len([b for b in bars if b.get("class") == "bar"]) == len(DIMENSIONS) + 1


def test_the_nightly_snapshot_holds_every_result() -> None:
    snap = compute_snapshot(planted(300), {}, GUARDS, LIMITS)
    assert snap["n"] == 300 and snap["validity"] and snap["high_potential"] and snap["band_performance"]
    assert set(snap["reweighting"]) == {"customer_manager", "risk_manager"}
    small = compute_snapshot(planted(20), {}, GUARDS, LIMITS)
    assert small["high_potential"] == [] and small["high_potential_not_enough_data"]["needed"] == 50
