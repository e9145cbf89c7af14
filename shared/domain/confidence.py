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
  discrepancy −0.05 (at most −0.15, flag ``discrepancy``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from shared.models.background import BackgroundResultPayload, EmploymentRecord, PerformanceRank
from shared.models.common import Dimension, RoleFamily

BASE = 0.7
RULE = (
    "base 0.7 per dimension; verified past roles raise the dimension they exercise by performance rank "
    "(top 10 % +0.15, top 20 % +0.10, other +0.05, bottom half −0.05); adverse credit −0.10 on risk_awareness; "
    "education discrepancy −0.20, unverifiable education −0.05, unverifiable employment −0.05 each (≤ −0.15), "
    "employment discrepancy −0.10 each (≤ −0.20), other discrepancies −0.05 each (≤ −0.15) on every dimension; "
    "clamped to [0, 1]"
)


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
    flags: tuple[str, ...]
    dimensions: tuple[DimensionConfidence, ...]


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


def adjustments(result: BackgroundResultPayload) -> tuple[list[Adjustment], list[str]]:
    """Every adjustment the verified facts of one result call for, and the flags they raise."""
    found: list[Adjustment] = []
    flags: list[str] = []
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


NO_FACTS = Adjustment(
    "no_verified_facts",
    0.0,
    "尚无已完成的背景调查，可信度为基准值",
    "No completed background check yet: base confidence",
)


def _clamp(value: float) -> float:
    return round(min(1.0, max(0.0, value)), 2)


def assess(
    scores: Mapping[Dimension, float], result: BackgroundResultPayload | None, dimensions: list[Dimension] | None = None
) -> ConfidenceReport:
    """The confidence in each scored dimension (and ``dimensions``, if given) from one result's facts."""
    found, flags = adjustments(result) if result is not None else ([], [])
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
