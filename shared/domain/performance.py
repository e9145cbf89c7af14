"""Performance rules: targets moved by interview scores, KPI and cycle scoring, the feedback loop.

Targets (the explainable, configurable rule; the cycle carries its parameters)::

    shift  = clamp(interview score − pivot, −max_shift_points, +max_shift_points)
    target = baseline + adjust_per_point × shift      (higher is better)
    target = baseline − adjust_per_point × shift      (lower is better; never below 0)

rounded half up to the KPI's decimals. The source's example with the seed library and the default rule
(pivot 75): customer_orientation 85 → client satisfaction 85 + 0.5 × 10 = 90. Every target
carries the sentence that explains it.

KPI scores are 0–100 with the target met exactly = 80 (``ScoringRule``); the cycle score is the
weighted mean of the KPI scores (weights normalised to 1), given only when every KPI has a result
(or HR closed the record, excluding the KPIs without one). A KPI under 80 is below target and
opens a development item; a KPI at or above the cycle's talent threshold proposes the employee for
the talent pool of the KPI's dimension once the record is scored.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from shared.models.common import Dimension
from shared.models.performance import Direction, Kpi, RecordStatus, ScoringRule, Target, TargetRule

MET = 80.0  # the score of a KPI whose target is met exactly


@dataclass(frozen=True)
class Pool:
    name: str
    name_zh: str
    description: str


POOLS: dict[str, Pool] = {
    "innovation": Pool("innovation", "创新人才库", "well above target on innovation KPIs: cross-department projects"),
    "client_service": Pool("client_service", "客户服务人才库", "well above target on client KPIs"),
    "risk_expert": Pool("risk_expert", "风控专家人才库", "well above target on risk KPIs"),
    "data_talent": Pool("data_talent", "数据人才库", "well above target on data-analysis KPIs"),
    "collaboration": Pool("collaboration", "协作骨干人才库", "well above target on teamwork KPIs"),
    "professional": Pool("professional", "专业骨干人才库", "well above target on logic, expression, resilience KPIs"),
    "management_trainee": Pool(
        "management_trainee", "管理培训生人才库", "high potential: interview top 20 % and performance top 10 %"
    ),
}

DIMENSION_POOL: dict[Dimension, str] = {
    Dimension.innovation: "innovation",
    Dimension.customer_orientation: "client_service",
    Dimension.risk_awareness: "risk_expert",
    Dimension.data_analysis: "data_talent",
    Dimension.teamwork: "collaboration",
    Dimension.logic: "professional",
    Dimension.expression: "professional",
    Dimension.stress_tolerance: "professional",
}


def round_half_up(x: float, decimals: int) -> float:
    """Commercial rounding (82.5 → 83), not Python's round-half-to-even."""
    step = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(x)).quantize(step, rounding=ROUND_HALF_UP))


def _fmt(x: float, decimals: int) -> str:
    return f"{x:.{decimals}f}"


def derive_target(kpi: Kpi, interview_score: float | None, rule: TargetRule) -> tuple[float, str]:
    """The employee's target for ``kpi`` and the sentence explaining it."""
    base = kpi.baseline_target
    sign = "≥" if kpi.direction == "higher" else "≤"
    if interview_score is None:
        target = round_half_up(base, kpi.decimals)
        return target, (
            f"no interview score for {kpi.dimension.value}: the role baseline applies, "
            f"target {sign} {_fmt(target, kpi.decimals)} {kpi.unit}"
        )
    raw_shift = interview_score - rule.pivot
    shift = max(-rule.max_shift_points, min(rule.max_shift_points, raw_shift))
    move = kpi.adjust_per_point * shift
    target = base + move if kpi.direction == "higher" else max(0.0, base - move)
    target = round_half_up(target, kpi.decimals)
    capped = f" (counted at most {rule.max_shift_points:g})" if shift != raw_shift else ""
    where = "above" if raw_shift >= 0 else "below"
    return target, (
        f"interview {kpi.dimension.value} {interview_score:g} is {abs(raw_shift):g} points {where} the pivot "
        f"{rule.pivot:g}{capped}; {kpi.adjust_per_point:g} {kpi.unit} per point "
        f"{'raises' if (move >= 0) == (kpi.direction == 'higher') else 'lowers'} the bar on the role "
        f"baseline {_fmt(base, kpi.decimals)} → target {sign} {_fmt(target, kpi.decimals)} {kpi.unit}"
    )


_FROM_KPI = {"kpi_id", "dimension", "name_zh", "name_en", "unit", "direction", "scoring_rule", "baseline_target"}
"""What a target repeats of its KPI (the record keeps the KPI as it was when the target was set)."""


def build_targets(kpis: Iterable[Kpi], scores: Mapping[Dimension, float], rule: TargetRule) -> list[Target]:
    active = [k for k in kpis if k.status == "active"]
    total = sum(k.weight for k in active) or 1.0
    targets = []
    for k in active:
        score = scores.get(k.dimension)
        target, reason = derive_target(k, score, rule)
        targets.append(
            Target(
                **k.model_dump(include=_FROM_KPI),
                weight=round(k.weight / total, 6),
                interview_score=score,
                target=target,
                reason=reason,
            )
        )
    return targets


def achievement(direction: Direction, target: float, actual: float) -> float:
    """actual / target (higher is better) or target / actual (lower is better); a zero target
    met exactly counts as 1, and a lower-is-better actual of 0 as far above target."""
    if direction == "higher":
        return actual / target if target > 0 else (1.0 if actual >= 0 else 0.0)
    if actual <= 0:
        return 2.0
    return target / actual


def score_kpi(rule: ScoringRule, direction: Direction, target: float, actual: float) -> float:
    ratio = achievement(direction, target, actual)
    if rule is ScoringRule.proportional:
        return round(min(100.0, MET * ratio), 2)
    pct = (ratio - 1) * 100
    if pct >= 0:
        return round(min(100.0, MET + 5 * math.floor(pct + 1e-9)), 2)
    return round(max(0.0, MET - 10 * math.ceil(-pct - 1e-9)), 2)


def counted(targets: Iterable[Target]) -> list[Target]:
    """The KPIs that count: all but those HR excluded when closing the record."""
    return [t for t in targets if not t.excluded]


def complete(targets: Iterable[Target]) -> bool:
    """Every counted KPI has a result (and at least one counts)."""
    kept = counted(targets)
    return bool(kept) and all(t.score is not None for t in kept)


def status(targets: Iterable[Target]) -> RecordStatus:
    """``scored`` when complete, ``partial`` with some results, else ``targets_set``."""
    listed = list(targets)
    if complete(listed):
        return "scored"
    return "partial" if any(t.score is not None for t in counted(listed)) else "targets_set"


def _weighted(pairs: list[tuple[float, float]]) -> float:
    total = sum(w for w, _ in pairs) or 1.0
    return round(sum(w * s for w, s in pairs) / total, 2)


def overall(targets: Iterable[Target]) -> float | None:
    """The cycle score: the weighted mean of the KPI scores against the employee's own targets (weights
    renormalised over the counted KPIs); None until every counted KPI has a result."""
    listed = list(targets)
    if not complete(listed):
        return None
    return _weighted([(t.weight, t.score or 0.0) for t in counted(listed)])


def baseline_overall(targets: Iterable[Target]) -> float | None:
    """The criterion analytics measures interviews against: the same results scored against each KPI's
    role baseline target instead of the interview-adjusted one (the adjusted target already contains
    the interview score, which would hide part of what the interview predicted)::

        baseline score = Σ w_k · score_k(actual_k vs baseline_target_k) / Σ w_k   over the counted KPIs
    """
    listed = list(targets)
    if not complete(listed):
        return None
    return _weighted(
        [
            (t.weight, score_kpi(t.scoring_rule, t.direction, t.baseline_target, t.actual or 0.0))
            for t in counted(listed)
        ]
    )


def below_target(t: Target) -> bool:
    return t.score is not None and t.score < MET


def pool_for(t: Target, threshold: float) -> str | None:
    return DIMENSION_POOL[t.dimension] if t.score is not None and t.score >= threshold else None


ASSIGNMENTS: dict[Dimension, tuple[str, str]] = {
    Dimension.logic: (
        "独立完成一份授信/业务方案的论证报告并接受评审",
        "Write and defend a structured business or credit proposal",
    ),
    Dimension.expression: (
        "在部门例会上做两次业务分享并收集反馈",
        "Give two briefings at the department meeting and collect feedback",
    ),
    Dimension.customer_orientation: (
        "跟随资深客户经理完成10户重点客户拜访",
        "Join a senior relationship manager on ten key-client visits",
    ),
    Dimension.risk_awareness: (
        "参与一次贷后检查并撰写风险提示",
        "Take part in a post-loan inspection and write the risk notice",
    ),
    Dimension.innovation: ("牵头一个流程或服务改进小课题", "Lead a small process or service improvement project"),
    Dimension.teamwork: ("参与一个跨部门联合项目", "Work on one cross-department project"),
    Dimension.stress_tolerance: (
        "在季末高峰期承担一个限时任务并复盘",
        "Own a time-boxed task in the quarter-end peak and review it",
    ),
    Dimension.data_analysis: ("完成一份客户或业务数据分析报告", "Produce a client or business data analysis report"),
}
WEAK_WITHOUT_BAR = 70.0
"""An interview score under this counts as weak where the requisition set no bar for the dimension."""


def weak_dimensions(
    scores: Mapping[Dimension, float], bar: Mapping[Dimension, int], below_target: Iterable[Dimension] = ()
) -> list[tuple[Dimension, str]]:
    """Weak dimensions with why: under the bar (or under 70 without one), or a KPI below target."""
    out: dict[Dimension, str] = {}
    for d, s in scores.items():
        limit = bar.get(d, WEAK_WITHOUT_BAR)
        if s < limit:
            out[d] = f"interview {s:g} < {'bar' if d in bar else 'threshold'} {limit:g}"
    for d in below_target:
        out[d] = f"{out[d]}; KPI below target" if d in out else "KPI below target"
    return sorted(out.items(), key=lambda kv: list(Dimension).index(kv[0]))
