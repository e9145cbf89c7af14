"""Confidence rules: verified facts raise or lower the confidence in AI dimension scores, with reasons."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from shared.domain.background import outcome
from shared.domain.confidence import BASE, Declared, Review, assess, weigh, weighted_mean
from shared.domain.confidence_rules import degree_level
from shared.models.background import BackgroundResultPayload
from shared.models.common import Dimension

EXAMPLE: dict[str, Any] = json.loads(Path("events/webhooks/background-check-result.json").read_text("utf-8"))
SCORES = {Dimension.customer_orientation: 88.0, Dimension.risk_awareness: 74.0, Dimension.logic: 85.0}
CUSTOMER_MANAGER_TOP10 = {
    "employer": "某城市商业银行",
    "role": "客户经理",
    "role_family": "customer_manager",
    "start_date": "2019-07-01",
    "end_date": "2024-06-30",
    "performance_rank": "top_10_percent",
    "verified": True,
}


def facts(**changes: Any) -> BackgroundResultPayload:
    body = copy.deepcopy(EXAMPLE) | {"employment": [], "education": None, "credit": None} | changes
    return BackgroundResultPayload.model_validate({k: v for k, v in body.items() if v is not None})


def row(report: Any, dim: Dimension) -> Any:
    return next(r for r in report.dimensions if r.dimension is dim)


def test_without_a_result_every_dimension_has_the_base_confidence_and_says_why() -> None:
    report = assess(SCORES, None)
    assert report.overall == BASE and report.flags == ()
    assert {r.confidence for r in report.dimensions} == {BASE}
    assert row(report, Dimension.logic).reasons[0].code == "no_verified_facts"


def test_verified_customer_manager_top_10_percent_raises_customer_orientation_only() -> None:
    # Given a verified past customer-manager role ranked in the top 10 %
    report = assess(SCORES, facts(employment=[CUSTOMER_MANAGER_TOP10]))
    # Then customer_orientation goes up by 0.15 with the reason in Chinese and English
    customer = row(report, Dimension.customer_orientation)
    assert customer.confidence == pytest.approx(0.85) and customer.score == 88.0
    [reason] = customer.reasons
    assert reason.delta == 0.15 and reason.reason_zh.startswith("核实：曾任客户经理，绩效前10%")
    assert "top 10 %" in reason.reason_en
    # And nothing else moves
    assert row(report, Dimension.logic).confidence == BASE and report.overall == BASE


@pytest.mark.parametrize(
    ("rank", "expected"),
    [("top_20_percent", 0.8), ("top_50_percent", 0.75), ("unknown", 0.75), ("bottom_50_percent", 0.65)],
)
def test_the_rank_of_the_verified_role_decides_the_adjustment(rank: str, expected: float) -> None:
    job = CUSTOMER_MANAGER_TOP10 | {"performance_rank": rank}
    assert row(assess(SCORES, facts(employment=[job])), Dimension.customer_orientation).confidence == pytest.approx(
        expected
    )


def test_a_role_counts_by_its_title_when_the_vendor_gives_no_family_and_only_the_best_role_counts() -> None:
    risk = {
        "employer": "某农商行",
        "role": "风控专员",
        "start_date": "2016-01-01",
        "performance_rank": "top_20_percent",
        "verified": True,
    }
    better = risk | {"employer": "某股份制银行", "performance_rank": "top_10_percent"}
    report = assess(SCORES, facts(employment=[risk, better]))
    assert row(report, Dimension.risk_awareness).confidence == pytest.approx(0.85)
    assert "某股份制银行" in row(report, Dimension.risk_awareness).reasons[0].reason_zh


def test_an_unverified_role_raises_nothing_and_lowers_everything() -> None:
    report = assess(SCORES, facts(employment=[CUSTOMER_MANAGER_TOP10 | {"verified": False}]))
    assert row(report, Dimension.customer_orientation).confidence == pytest.approx(0.65)
    assert report.overall == pytest.approx(0.65) and report.flags == ("employment_unverified",)


def test_an_education_discrepancy_flags_and_lowers_overall_confidence() -> None:
    education = {"school": "郑州大学", "degree": "大专", "verified": True, "discrepancy": "申报本科，核实为大专"}
    result = facts(education=education, employment=[CUSTOMER_MANAGER_TOP10])
    report = assess(SCORES, result)
    assert "education_discrepancy" in report.flags
    assert report.overall == pytest.approx(0.5)
    assert row(report, Dimension.logic).confidence == pytest.approx(0.5)
    assert row(report, Dimension.customer_orientation).confidence == pytest.approx(0.65)  # +0.15 − 0.20
    assert "申报本科，核实为大专" in report.overall_reasons[0].reason_zh
    assert outcome(result) == "consider"


def test_adverse_credit_lowers_risk_awareness_and_means_consider() -> None:
    result = facts(credit={"status": "adverse", "notes": "逾期"})
    report = assess(SCORES, result)
    assert row(report, Dimension.risk_awareness).confidence == pytest.approx(0.6)
    assert row(report, Dimension.logic).confidence == BASE
    assert report.flags == ("adverse_credit",) and outcome(result) == "consider"


def test_penalties_are_capped_and_confidence_stays_between_0_and_1() -> None:
    unverified = [CUSTOMER_MANAGER_TOP10 | {"verified": False, "employer": f"E{i}"} for i in range(6)]
    education = {"school": "x", "degree": "y", "verified": False, "discrepancy": "不符"}
    result = facts(employment=unverified, education=education, discrepancies=["a", "b", "c", "d", "e"])
    report = assess(SCORES, result)
    assert report.overall == pytest.approx(0.7 - 0.15 - 0.2 - 0.15)
    high = facts(employment=[CUSTOMER_MANAGER_TOP10])
    assert all(0 <= r.confidence <= 1 for r in assess(SCORES, high).dimensions)


def test_a_clean_result_is_clear_and_dimensions_without_a_score_can_be_listed() -> None:
    result = facts(employment=[CUSTOMER_MANAGER_TOP10], credit={"status": "clear"})
    assert outcome(result) == "clear"
    report = assess({}, result, [Dimension.customer_orientation])
    assert row(report, Dimension.customer_orientation).score is None


# -- what the applicant declared, HR's review, and the weighing --------------------------------------
EDUCATION = {"school": "郑州大学", "degree": "本科", "verified": True}
TODAY = date(2026, 12, 4)


def overall_codes(report: Any) -> dict[str, float]:
    return {a.code: a.delta for a in report.overall_reasons}


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        (Declared(education="郑州大学 学士 金融学"), {"declared_education_confirmed": 0.05}),  # 学士 = 本科
        (Declared(education="硕士 郑州大学"), {"declared_education_mismatch": -0.15}),
        (Declared(education="本科 河南大学"), {"declared_education_mismatch": -0.15}),
        (Declared(education=""), {}),
        (Declared(experience="曾在某城市商业银行任客户经理"), {"declared_employment_confirmed": 0.05}),
        (Declared(years=7.5), {"declared_employment_mismatch": -0.10}),
        (Declared(years=6), {}),  # within a year of the verified 5
    ],
)
def test_declared_facts_are_confirmed_or_contradicted(declared: Declared, expected: dict[str, float]) -> None:
    # Given the vendor verified a bachelor's at 郑州大学 and five years at 某城市商业银行
    result = facts(education=EDUCATION, employment=[CUSTOMER_MANAGER_TOP10])
    # When compared with what the applicant declared
    report = assess(SCORES, result, declared=declared, today=TODAY)
    # Then a confirmation raises, a mismatch lowers, each with its reason
    found = {k: v for k, v in overall_codes(report).items() if k.startswith("declared_")}
    assert found == pytest.approx(expected)
    assert all(a.reason_zh and a.reason_en for a in report.overall_reasons)


def test_a_discrepancy_the_vendor_reported_is_not_counted_twice() -> None:
    # Given the vendor itself reports the education differs
    education = EDUCATION | {"degree": "大专", "discrepancy": "申报本科，核实为大专"}
    report = assess(SCORES, facts(education=education), declared=Declared(education="本科 郑州大学"), today=TODAY)
    # Then only the vendor's rule counts
    assert overall_codes(report) == {"education_discrepancy": -0.20}


def test_hr_review_takes_back_the_vendor_deductions_or_lowers_with_its_reason() -> None:
    # Given an adverse credit record (risk awareness −0.10) and HR's review
    result = facts(credit={"status": "adverse", "notes": "逾期"})
    cleared = assess(SCORES, result, review=Review("clear", "consider", "供应商记录有误，已核实还清"))
    # Then a clear review over consider takes the deduction back, naming HR's reason
    risk = row(cleared, Dimension.risk_awareness)
    assert risk.confidence == pytest.approx(BASE)
    assert any(a.code == "hr_review_cleared" and "供应商记录有误" in a.reason_zh for a in risk.reasons)
    # And a consider review over clear lowers every dimension
    lowered = assess(SCORES, facts(), review=Review("consider", "clear", "推荐人反馈不一致"))
    assert lowered.overall == pytest.approx(BASE - 0.10)
    # And a review that agrees with the vendor changes nothing
    assert assess(SCORES, result, review=Review("consider", "consider", "同意")).overall == pytest.approx(BASE)


def test_scores_are_weighed_by_their_confidence_and_explained() -> None:
    # Given a verified top-10 % customer manager (customer orientation 0.85) and base confidence elsewhere
    report = assess(SCORES, facts(employment=[CUSTOMER_MANAGER_TOP10]))
    weights = {Dimension.customer_orientation: 0.5, Dimension.logic: 0.5}
    # When weighed
    weighed = weigh(report, weights)
    # Then each 0.1 of confidence above the base is 5 points, and the weighted score follows
    assert weighed.scores[Dimension.customer_orientation] == pytest.approx(95.5)
    assert weighed.scores[Dimension.logic] == pytest.approx(85.0)
    assert weighed.weighted == pytest.approx(90.25) and weighed.ai_weighted == pytest.approx(86.5)
    assert "Customer orientation 88→95.5" in weighed.explanation_en and "可信度加权得分 90.25" in weighed.explanation_zh
    # And without facts nothing moves
    assert weigh(assess(SCORES, None), weights).weighted == weighted_mean(SCORES, weights)


def test_degree_levels() -> None:
    assert [degree_level(t) for t in ("本科", "学士学位", "硕士研究生", "博士", "大专", "高中")] == [
        "bachelor",
        "bachelor",
        "master",
        "doctorate",
        "associate",
        None,
    ]
