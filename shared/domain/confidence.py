"""Confidence (可信度): how far verified background facts support each AI interview dimension score.

Explainable rules, pure logic. Every dimension starts at ``BASE``; each rule that fires adds a signed
adjustment with its reason in Chinese and English, and the result is clamped to [0, 1] (the rules and
their reasons: ``shared.domain.confidence_rules``).

The confidence then weighs the scores the decisions use (``weigh``): a dimension's
confidence-weighted score is ``AI score + (confidence − 0.7) × 50`` within 0…100, so base
confidence leaves the score as it is, each 0.1 of confidence moves it 5 points.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import cast

from shared import clock
from shared.domain.confidence_rules import (
    FLAGS,
    Adjustment,
    Declared,
    Flag,
    Review,
    adjustments,
    declared_adjustments,
    review_adjustments,
)
from shared.domain.shortlist import weighted_score
from shared.models.background import BackgroundResultPayload
from shared.models.common import Dimension
from shared.vocabulary import DIMENSIONS

BASE = 0.7
RULE = (
    "base 0.7 per dimension; verified past roles raise the dimension they exercise by performance rank "
    "(top 10 % +0.15, top 20 % +0.10, other +0.05, bottom half −0.05); adverse credit −0.10 on risk_awareness; "
    "education discrepancy −0.20, unverifiable education −0.05, unverifiable employment −0.05 each (≤ −0.15), "
    "employment discrepancy −0.10 each (≤ −0.20), other discrepancies −0.05 each (≤ −0.15) on every dimension; "
    "clamped to [0, 1]"
)


POINTS_PER_CONFIDENCE = 50.0  # score points per 1.0 of confidence away from BASE
WEIGHING = "confidence-weighted score = AI score + (confidence − 0.7) × 50, within 0…100"
WEIGHING_ZH = "可信度加权得分 = AI得分 + (可信度 − 0.7) × 50，限于0–100"


@dataclass(frozen=True)
class DimensionConfidence:
    dimension: Dimension
    score: float | None
    confidence: float
    reasons: tuple[Adjustment, ...]


@dataclass(frozen=True)
class ConfidenceReport:
    overall: float
    overall_reasons: tuple[Adjustment, ...]
    flags: tuple[Flag, ...]
    dimensions: tuple[DimensionConfidence, ...]


@dataclass(frozen=True)
class Weighed:
    """Scores weighed by confidence, with the explanation the decisions that use them show."""

    scores: dict[Dimension, float]
    weighted: float | None  # by the requisition's dimension weights (None: no scores)
    ai_weighted: float | None  # the same without confidence, for comparison
    explanation_zh: str
    explanation_en: str
    moved: dict[Dimension, float] = field(default_factory=dict)  # dimension → points moved (non-zero only)


NO_FACTS = Adjustment(
    "no_verified_facts",
    0.0,
    "尚无已完成的背景调查，可信度为基准值",
    "No completed background check yet: base confidence",
)


def _clamp(value: float) -> float:
    return round(min(1.0, max(0.0, value)), 2)


def assess(
    scores: Mapping[Dimension, float],
    result: BackgroundResultPayload | None,
    dimensions: list[Dimension] | None = None,
    declared: Declared | None = None,
    review: Review | None = None,
    today: date | None = None,
) -> ConfidenceReport:
    """The confidence in each scored dimension (and ``dimensions``, if given) from one result's facts,
    what the applicant declared compared with them, and HR's review of the check."""
    found, flags = adjustments(result) if result is not None else ([], [])
    if result is not None and declared is not None:
        compared = declared_adjustments(declared, result, today or clock.today())
        found += compared
        flags += [cast(Flag, a.code) for a in compared if a.code in FLAGS]
    if result is not None and review is not None:
        found += review_adjustments(found, review)
    overall_reasons = tuple(a for a in found if a.dimension is None) or ((NO_FACTS,) if result is None else ())
    overall = _clamp(BASE + sum(a.delta for a in overall_reasons))
    names = list(scores)
    names += [d for d in dimensions or [] if d not in scores]
    rows = []
    for dim in names:
        reasons = tuple(a for a in found if a.dimension is dim) + overall_reasons
        rows.append(
            DimensionConfidence(
                dimension=dim,
                score=scores.get(dim),
                confidence=_clamp(BASE + sum(a.delta for a in reasons)),
                reasons=reasons,
            )
        )
    return ConfidenceReport(overall, overall_reasons, tuple(flags), tuple(rows))


def weighted_mean(scores: Mapping[Dimension, float], weights: Mapping[Dimension, float]) -> float:
    """The hiring score's weighted mean (``shared.domain.shortlist.weighted_score``)."""
    return weighted_score(scores, weights)


def weigh(report: ConfidenceReport, weights: Mapping[Dimension, float]) -> Weighed:
    """Each scored dimension weighed by its confidence, and the requisition's weighted score of them."""
    ai = {row.dimension: row.score for row in report.dimensions if row.score is not None}
    weighed = {
        row.dimension: round(min(100.0, max(0.0, row.score + (row.confidence - BASE) * POINTS_PER_CONFIDENCE)), 1)
        for row in report.dimensions
        if row.score is not None
    }
    moved = {d: round(weighed[d] - ai[d], 1) for d in weighed if round(weighed[d] - ai[d], 1) != 0}
    overall = weighted_mean(weighed, weights) if weighed else None
    ai_overall = weighted_mean(ai, weights) if ai else None
    if overall is None or ai_overall is None:
        zh, en = "无AI得分，未加权", "no AI scores: nothing to weigh"
    else:
        # labels, never the keys: the console shows this text
        zh_moves = "；".join(f"{DIMENSIONS[d].zh} {ai[d]:g}→{weighed[d]:g}" for d in moved)
        en_moves = "; ".join(f"{DIMENSIONS[d].en} {ai[d]:g}→{weighed[d]:g}" for d in moved)
        zh_moves = zh_moves or "各维度可信度为基准值，得分不变"
        en_moves = en_moves or "base confidence: unchanged"
        zh = f"可信度加权得分 {overall:g}（AI加权得分 {ai_overall:g}）：{zh_moves}。规则：{WEIGHING_ZH}"
        en = f"confidence-weighted score {overall:g} (AI weighted score {ai_overall:g}): {en_moves}. Rule: {WEIGHING}"
    return Weighed(weighed, overall, ai_overall, zh, en, moved)
