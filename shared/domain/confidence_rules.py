"""The confidence rules (``shared.domain.confidence`` applies them): each verified fact, each
comparison of a declaration with the facts and HR's review of the check gives a signed adjustment
with its reason in Chinese and English (pure logic):

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
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal, get_args

from shared.models.background import BackgroundResultPayload, EmploymentRecord, PerformanceRank
from shared.models.common import Dimension, RoleFamily

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
