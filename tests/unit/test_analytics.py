"""The analytics statistics against reference computations on generated data with a planted effect:
a dimension that truly predicts performance must be found, a noise dimension must not."""

from __future__ import annotations

import io
import math
import random
import statistics
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from shared.domain import analytics as stats
from shared.domain import attrition_model, charts
from shared.domain.exports import to_csv, to_xlsx
from shared.services.analytics import compute_snapshot

DIMS = ["logic", "innovation"]  # logic predicts performance; innovation is noise


def planted(n: int = 600, seed: int = 7) -> list[dict[str, Any]]:
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        logic = rnd.gauss(75, 10)
        noise = rnd.gauss(75, 10)
        perf = max(0.0, min(100.0, 80 + 0.6 * (logic - 75) + rnd.gauss(0, 8)))
        rows.append(
            {
                "employee_id": f"e{i:04d}",
                "role_family": "customer_manager" if i % 2 else "risk_manager",
                "department": "零售金融部",
                "cohort": f"2027-0{1 + i % 3}",
                "scores": {"logic": round(logic, 1), "innovation": round(noise, 1)},
                "performance": round(perf, 2),
            }
        )
    return rows


def ref_ranks(values: list[float]) -> list[float]:
    """Average ranks, the textbook way (O(n²), for reference only)."""
    return [sum(1 for w in values if w < v) + (sum(1 for w in values if w == v) + 1) / 2 for v in values]


def ref_ci(r: float, n: int) -> tuple[float, float]:
    z, se = 0.5 * math.log((1 + r) / (1 - r)), 1 / math.sqrt(n - 3)
    return math.tanh(z - 1.959963984540054 * se), math.tanh(z + 1.959963984540054 * se)


def test_validity_matches_the_reference_and_finds_the_planted_effect_only() -> None:
    # Given 600 employees whose performance depends on logic and not on innovation
    rows = planted()
    x = [r["scores"]["logic"] for r in rows]
    y = [r["performance"] for r in rows]
    # When validity is computed
    overall = {c.dimension: c for c in stats.validity(rows, DIMS) if c.role_family == "all"}
    logic, noise = overall["logic"], overall["innovation"]
    # Then Pearson and Spearman equal the reference computations, with the Fisher-z interval
    assert logic.n == 600
    assert logic.pearson == pytest.approx(statistics.correlation(x, y), abs=1e-4)
    assert logic.spearman == pytest.approx(statistics.correlation(ref_ranks(x), ref_ranks(y)), abs=1e-4)
    low, high = ref_ci(statistics.correlation(x, y), 600)
    assert (logic.pearson_low, logic.pearson_high) == (pytest.approx(low, abs=1e-4), pytest.approx(high, abs=1e-4))
    # And the predicting dimension is significant and strong, the noise dimension is not
    assert logic.pearson is not None and noise.pearson_low is not None and noise.pearson_high is not None
    assert logic.significant and logic.pearson > 0.5
    assert not noise.significant and noise.pearson_low < 0 < noise.pearson_high
    # And groups per family and per (family, cohort) are reported with their own n
    groups = {(c.role_family, c.cohort) for c in stats.validity(rows, DIMS)}
    assert ("customer_manager", "all") in groups and ("risk_manager", "2027-02") in groups


def test_ranks_share_ties_like_the_reference() -> None:
    values = [3.0, 1.0, 3.0, 2.0, 3.0, 1.0]
    assert list(stats.rankdata(values)) == ref_ranks(values)


def test_conditional_statements_count_from_the_data() -> None:
    rows = planted()
    c = stats.conditional(rows, "logic", 80, 85)
    given = [r for r in rows if r["scores"]["logic"] >= 80]
    hits = [r for r in given if r["performance"] >= 85]
    assert (c.n, c.hits) == (len(given), len(hits))
    assert c.probability == pytest.approx(len(hits) / len(given), abs=1e-4)
    assert c.statement == f"P(performance ≥ 85 | logic ≥ 80) = {len(hits) / len(given) * 100:.0f} %, n = {len(given)}"
    # the planted effect: high logic makes high performance likelier than the base rate
    assert c.probability is not None and c.base_rate is not None and c.probability > c.base_rate


def test_reweighting_moves_weight_to_the_predicting_dimension_with_a_gain() -> None:
    rows = planted()
    proposal = stats.reweight(rows, DIMS, {"logic": 0.5, "innovation": 0.5})
    assert proposal["proposed_weights"] == {"logic": 1.0, "innovation": 0.0}
    assert proposal["expected_gain"] > 0
    assert proposal["expected_validity"] == pytest.approx(proposal["validity"]["logic"], abs=1e-4)


def test_high_potential_is_the_intersection_of_the_two_tops() -> None:
    rows = planted(200)
    found = {h["employee_id"] for h in stats.high_potential(rows)}
    composite = sorted((sum(r["scores"].values()) / 2 for r in rows), reverse=True)
    perf = sorted((r["performance"] for r in rows), reverse=True)
    i_cut, p_cut = composite[39], perf[19]
    expected = {r["employee_id"] for r in rows if sum(r["scores"].values()) / 2 >= i_cut and r["performance"] >= p_cut}
    assert found == expected and found


def test_attrition_by_band_counts_leavers_per_cohort_and_band() -> None:
    hires = [
        {"cohort": "2027-01", "scores": {"logic": 55}, "left_within_window": True},
        {"cohort": "2027-01", "scores": {"logic": 58}, "left_within_window": False},
        {"cohort": "2027-02", "scores": {"logic": 92}, "left_within_window": False},
    ]
    rows = stats.attrition_by_band(hires)
    assert {"cohort": "all", "band": "<60", "hires": 2, "left": 1, "rate": 0.5} in rows
    assert {"cohort": "2027-02", "band": "≥90", "hires": 1, "left": 0, "rate": 0.0} in rows


def test_the_risk_model_validates_on_held_out_data_and_explains_the_planted_factor() -> None:
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
    # Then the held-out AUC is good, the calibration follows the observed rates, and
    assert model.metrics["holdout_auc"] > 0.75 and 300 < model.metrics["holdout_n"] < 600
    calib = model.metrics["calibration"]
    assert calib[0]["observed_rate"] < calib[-1]["observed_rate"]
    assert all(abs(b["mean_predicted"] - b["observed_rate"]) < 0.12 for b in calib)
    # the explanation of a low-stress-tolerance person names stress tolerance as pushing the risk up
    person = attrition_model.features(
        {"scores": {"stress_tolerance": 50, "logic": 72}, "bar": {}}, ["stress_tolerance", "logic"]
    )
    top = model.explain(person)[0]
    assert top["factor"] == "score:stress_tolerance" and top["contribution"] > 0
    assert abs(model.coefficients()["score:logic"]) < abs(model.coefficients()["score:stress_tolerance"])


def test_auc_equals_the_pairwise_definition() -> None:
    import numpy as np

    scores = np.array([0.1, 0.4, 0.35, 0.8, 0.4])
    labels = np.array([0, 0, 1, 1, 1])
    pairs = [(p, n) for p in scores[labels == 1] for n in scores[labels == 0]]
    expected = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p, n in pairs) / len(pairs)
    assert attrition_model.auc(scores, labels) == pytest.approx(expected)


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
    rows = [c.as_row() for c in stats.validity(planted(), DIMS) if c.role_family == "all"]
    for svg in (
        charts.validity_chart(rows, "效度 <validity> & more"),
        charts.trend_chart([("2027-01", 0.15, 100), ("2027-02", 0.08, 120)], "趋势"),
        charts.band_chart(stats.band_performance(planted()), "分段"),
        charts.validity_chart([], "empty"),
    ):
        root = ET.fromstring(svg.encode("utf-8"))  # noqa: S314 - our own output, under test
        assert root.tag.endswith("svg")
    svg = charts.validity_chart(rows, "t")
    bars = ET.fromstring(svg.encode()).findall(".//{http://www.w3.org/2000/svg}rect")  # noqa: S314
    assert len([b for b in bars if b.get("class") == "bar"]) == 2


def test_the_nightly_snapshot_holds_every_result() -> None:
    snap = compute_snapshot(planted(300), {})
    assert snap["n"] == 300 and snap["validity"] and snap["high_potential"] and snap["band_performance"]
    assert set(snap["reweighting"]) == {"customer_manager", "risk_manager"}
