"""Confidence (可信度): how far verified background facts support each AI interview dimension score.

Explainable rules, pure logic. Every dimension starts at ``BASE``; each rule that fires adds a signed
adjustment with its reason in Chinese and English, and the result is clamped to [0, 1]:

* a verified past role of a family that exercises a dimension moves that dimension by its performance
  rank — customer manager → ``customer_orientation``, risk role → ``risk_awareness``, IT/data role →
  ``data_analysis``: top 10 % +0.15, top 20 % +0.10, other or unknown rank +0.05, bottom half −0.05
  (the best verified role per dimension counts, roles do not stack);
* an adverse credit record → ``risk_awareness`` −0.10 and the flag ``adverse_credit``;
* overall adjustments apply to every dimension and to the overall confidence: an education
  discrepancy −0.20 (flag ``education_discrepancy``), education not verifiable −0.05, each
  unverifiable employment −0.05 (at most −0.15, flag ``employment_unverified``), each employment
  discrepancy −0.10 (at most −0.20, flag ``employment_discrepancy``), each other reported
  discrepancy −0.05 (at most −0.15, flag ``discrepancy``);
* what the applicant declared, compared with the vendor's verified facts (``declared``): a verified
  degree and school found in the declared education +0.05, a different degree level or school −0.15
  (flag ``declared_education_mismatch``); each verified employer named in the declared experience
  +0.05 (at most +0.10); declared years of experience beyond the verified tenure by more than a year
  −0.10 (flag ``declared_employment_mismatch``);
* HR's review of the check (``review``): reviewed ``clear`` over the vendor's ``consider`` takes back
  the vendor's deductions with HR's reason; reviewed ``consider`` over a ``clear`` −0.10 with it.

The confidence then weighs the scores the decisions use (``weigh``): a dimension's
confidence-weighted score is ``AI score + (confidence − 0.7) × 50`` within 0…100, so base
confidence leaves the score as it is, each 0.1 of confidence moves it 5 points.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, cast, get_args

from shared import clock
from shared.domain.shortlist import weighted_score
from shared.models.background import BackgroundResultPayload, EmploymentRecord, PerformanceRank
from shared.models.common import Dimension, RoleFamily
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
# The flags a report may raise (the console labels each one: messages.json's enum.confidence_flag.*).
Flag = Literal[
    "adverse_credit",
    "education_discrepancy",
    "employment_unverified",
    "employment_discrepancy",
    "discrepancy",
    "declared_education_mismatch",
    "declared_employment_mismatch",
]
FLAGS: tuple[Flag, ...] = get_args(Flag)
WEIGHING_ZH = "可信度加权得分 = AI得分 + (可信度 − 0.7) × 50，限于0–100"


@dataclass(frozen=True)
class Declared:
    """What the applicant declared: education and experience (free text), years of experience."""

    education: str = ""
    experience: str = ""
    years: float | None = None


@dataclass(frozen=True)
class Review:
    """HR's review of the check the facts come from: the outcome HR set over the vendor's, and why."""

    outcome: str
    vendor_outcome: str | None
    reason: str
    by: str = ""


@dataclass(frozen=True)
class Adjustment:
    code: str
    delta: float
    reason_zh: str
    reason_en: str
    dimension: Dimension | None = None  # None: applies to every dimension and the overall confidence


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


@dataclass(frozen=True)
class RoleRule:
    family: RoleFamily
    keywords: tuple[str, ...]  # matched in the role title when the vendor gives no family
    dimension: Dimension
    zh: str
    en: str


ROLE_RULES = (
    RoleRule(
        RoleFamily.customer_manager,
        ("客户经理", "customer manager", "relationship manager"),
        Dimension.customer_orientation,
        "曾任客户经理",
        "former customer manager",
    ),
    RoleRule(
        RoleFamily.risk_manager,
        ("风险", "风控", "risk"),
        Dimension.risk_awareness,
        "曾任风险管理岗位",
        "former risk role",
    ),
    RoleRule(
        RoleFamily.it_data,
        ("数据", "信息科技", "data", "engineer"),
        Dimension.data_analysis,
        "曾任信息科技/数据岗位",
        "former IT/data role",
    ),
)
RANK_DELTA: dict[PerformanceRank, tuple[float, str, str]] = {
    PerformanceRank.top_10_percent: (0.15, "绩效前10%", "performance in the top 10 %"),
    PerformanceRank.top_20_percent: (0.10, "绩效前20%", "performance in the top 20 %"),
    PerformanceRank.top_50_percent: (0.05, "绩效前50%", "performance in the top half"),
    PerformanceRank.unknown: (0.05, "绩效未知", "performance rank unknown"),
    PerformanceRank.bottom_50_percent: (-0.05, "绩效后50%", "performance in the bottom half"),
}


def _matches(rule: RoleRule, job: EmploymentRecord) -> bool:
    if job.role_family is not None:
        return job.role_family is rule.family
    title = job.role.lower()
    return any(k in title for k in rule.keywords)


def _capped(count: int, each: float, cap: float) -> float:
    return round(max(cap, count * each), 2)


def adjustments(result: BackgroundResultPayload) -> tuple[list[Adjustment], list[Flag]]:
    """Every adjustment the verified facts of one result call for, and the flags they raise."""
    found: list[Adjustment] = []
    flags: list[Flag] = []
    for rule in ROLE_RULES:  # the best verified role per dimension
        candidates = [job for job in result.employment if job.verified and _matches(rule, job)]
        if not candidates:
            continue
        best = max(candidates, key=lambda job: RANK_DELTA[job.performance_rank][0])
        delta, rank_zh, rank_en = RANK_DELTA[best.performance_rank]
        found.append(
            Adjustment(
                f"verified_role_{rule.family.value}",
                delta,
                f"核实：{rule.zh}，{rank_zh}（{best.employer}）",
                f"Verified: {rule.en}, {rank_en} ({best.employer})",
                rule.dimension,
            )
        )
    if result.credit is not None and result.credit.status == "adverse":
        flags.append("adverse_credit")
        found.append(
            Adjustment(
                "adverse_credit",
                -0.10,
                "核实：征信存在不良记录",
                "Verified: adverse credit record",
                Dimension.risk_awareness,
            )
        )
    education = result.education
    if education is not None and education.discrepancy:
        flags.append("education_discrepancy")
        found.append(
            Adjustment(
                "education_discrepancy",
                -0.20,
                f"学历信息与申报不符：{education.discrepancy}",
                f"Education differs from the claim: {education.discrepancy}",
            )
        )
    elif education is not None and not education.verified:
        found.append(Adjustment("education_unverified", -0.05, "学历无法核实", "Education could not be verified"))
    unverified = sum(1 for job in result.employment if not job.verified)
    if unverified:
        flags.append("employment_unverified")
        found.append(
            Adjustment(
                "employment_unverified",
                _capped(unverified, -0.05, -0.15),
                f"{unverified}段工作经历无法核实",
                f"{unverified} employment record(s) could not be verified",
            )
        )
    mismatched = [job for job in result.employment if job.discrepancy]
    if mismatched:
        flags.append("employment_discrepancy")
        found.append(
            Adjustment(
                "employment_discrepancy",
                _capped(len(mismatched), -0.10, -0.20),
                "工作经历与申报不符：" + "；".join(f"{j.employer}：{j.discrepancy}" for j in mismatched),
                "Employment differs from the claim: " + "; ".join(f"{j.employer}: {j.discrepancy}" for j in mismatched),
            )
        )
    if result.discrepancies:
        flags.append("discrepancy")
        found.append(
            Adjustment(
                "discrepancy",
                _capped(len(result.discrepancies), -0.05, -0.15),
                "背景调查发现不符：" + "；".join(result.discrepancies),
                "Discrepancies reported: " + "; ".join(result.discrepancies),
            )
        )
    return found, flags


DEGREE_LEVELS = (
    ("doctorate", ("博士",)),
    ("master", ("硕士", "研究生")),
    ("bachelor", ("本科", "学士")),
    ("associate", ("大专", "专科")),
)
BRANCH_SUFFIX = re.compile(r"(郑州|北京|上海|[\u4e00-\u9fff]{2})?(分行|支行|分公司|营业部)$")


def degree_level(text: str) -> str | None:
    """The highest degree level a text names (本科 and 学士 are the same level)."""
    return next((level for level, words in DEGREE_LEVELS if any(w in text for w in words)), None)


def _employer_core(employer: str) -> str:
    """The employer without a branch suffix (某城市商业银行郑州分行 → 某城市商业银行)."""
    core = BRANCH_SUFFIX.sub("", employer).strip()
    return core or employer


def _years(job: EmploymentRecord, today: date) -> float:
    return max(0.0, ((job.end_date or today) - job.start_date).days / 365.25)


def declared_adjustments(declared: Declared, result: BackgroundResultPayload, today: date) -> list[Adjustment]:
    """The vendor's verified facts against what the applicant declared: a confirmation raises the
    confidence, a mismatch lowers it, each with its reason."""
    found: list[Adjustment] = []
    education = result.education
    # (a discrepancy the vendor reported itself is counted once, by its own rule)
    if education is not None and education.verified and not education.discrepancy and declared.education.strip():
        said, verified = degree_level(declared.education), degree_level(education.degree)
        school_ok = education.school in declared.education
        if (said is None or said == verified) and school_ok:
            found.append(
                Adjustment(
                    "declared_education_confirmed",
                    0.05,
                    f"核实：学历与申报一致（{education.school} {education.degree}）",
                    f"Verified: education as declared ({education.school}, {education.degree})",
                )
            )
        else:
            found.append(
                Adjustment(
                    "declared_education_mismatch",
                    -0.15,
                    f"学历与申报不符：申报「{declared.education}」，核实为{education.school} {education.degree}",
                    f"Education differs from the declaration: declared '{declared.education}', "
                    f"verified {education.school}, {education.degree}",
                )
            )
    verified_jobs = [job for job in result.employment if job.verified and not job.discrepancy]
    named = [job for job in verified_jobs if _employer_core(job.employer) in declared.experience]
    if named:
        found.append(
            Adjustment(
                "declared_employment_confirmed",
                round(min(0.10, 0.05 * len(named)), 2),
                "核实：工作经历与申报一致（" + "、".join(j.employer for j in named) + "）",
                "Verified: employment as declared (" + ", ".join(j.employer for j in named) + ")",
            )
        )
    if declared.years is not None and verified_jobs:
        tenure = round(sum(_years(job, today) for job in verified_jobs), 1)
        if declared.years > tenure + 1:
            found.append(
                Adjustment(
                    "declared_employment_mismatch",
                    -0.10,
                    f"工作年限与申报不符：申报{declared.years:g}年，核实{tenure:g}年",
                    f"Experience differs from the declaration: {declared.years:g} years declared, {tenure:g} verified",
                )
            )
    return found


def review_adjustments(found: list[Adjustment], review: Review) -> list[Adjustment]:
    """HR's review over the vendor's outcome: a ``clear`` over ``consider`` takes back the vendor's
    deductions (per dimension and overall), a ``consider`` over ``clear`` lowers every dimension."""
    if review.outcome == review.vendor_outcome:
        return []
    if review.outcome == "clear":
        vendor_codes = {"adverse_credit", "education_discrepancy", "employment_discrepancy", "discrepancy"}
        taken: list[Adjustment] = []
        for scope in {a.dimension for a in found if a.code in vendor_codes and a.delta < 0}:
            delta = -sum(a.delta for a in found if a.dimension is scope and a.code in vendor_codes and a.delta < 0)
            taken.append(
                Adjustment(
                    "hr_review_cleared",
                    round(delta, 2),
                    f"人力资源复核为无异常（{review.reason}），撤销供应商记录的扣减",
                    f"HR reviewed the check as clear ({review.reason}): the vendor's deductions are taken back",
                    scope,
                )
            )
        return taken
    return [
        Adjustment(
            "hr_review_consider",
            -0.10,
            f"人力资源复核认为需关注（{review.reason}）",
            f"HR reviewed the check as needing attention ({review.reason})",
        )
    ]


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
