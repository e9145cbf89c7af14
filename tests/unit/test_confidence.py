"""Confidence rules: verified facts raise or lower the confidence in AI dimension scores, with reasons."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from shared.domain.background import outcome
from shared.domain.confidence import BASE, assess
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
