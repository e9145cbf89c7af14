"""Probation goals from the interview competency profile, their progress in words, and lagging.

Pure rules, no I/O. A role family's template has three slots:

* **strength** — a goal that puts the hire's strongest dimension to work (largest score − bar);
* **development** — a goal that exercises the weakest dimension (smallest score − bar);
* **baseline** — the role's standing goal (for a risk manager: role training, aimed at the weak
  dimension like the onboarding training plan).

Each slot has a weight; the weights of a template sum to 100. A dimension without a bar is compared
with ``DEFAULT_BAR``. The source document's two examples are reproduced exactly:

* customer manager, strong in data analysis, weak in communication (``expression``):
  3 client data reports (40 %) + 5 client visits (30 %) + client satisfaction ≥ 80 (30 %);
* risk manager, strong in risk awareness, weak in innovation:
  identify 2 business risk points (50 %) + 1 process-improvement proposal (20 %) + complete role
  training (30 %).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from shared.models.common import Dimension, RoleFamily
from shared.vocabulary import DIMENSION_ORDER, DIMENSIONS

DEFAULT_BAR = 60.0
Measure = Literal["count", "score"]
Slot = Literal["strength", "development", "baseline"]


@dataclass(frozen=True)
class GoalSpec:
    """A goal of a template; ``{target}`` in the titles is replaced with the target."""

    title_zh: str
    title_en: str
    label_zh: str  # what is counted, for the progress words: 客户拜访完成3次，还差2次
    label_en: str
    target: float
    unit_zh: str
    unit_en: str
    measure: Measure = "count"  # count: achievements add up; score: the latest value counts


@dataclass(frozen=True)
class RoleTemplate:
    weights: Mapping[Slot, int]
    strength: Mapping[Dimension, GoalSpec]
    development: Mapping[Dimension, GoalSpec]
    baseline: GoalSpec
    baseline_dimension: Dimension | None  # None: the development (weakest) dimension
    preference: tuple[Dimension, ...] = ()  # ties and missing scores: the role's core dimensions first


def _generic_strength(dim: Dimension) -> GoalSpec:
    zh, en = DIMENSIONS[dim].zh, DIMENSIONS[dim].en_text
    return GoalSpec(
        f"完成{{target}}项发挥{zh}优势的重点任务",
        f"{{target}} key task drawing on {en}",
        f"{zh}重点任务",
        f"key tasks drawing on {en}",
        1,
        "项",
        "tasks",
    )


def _generic_development(dim: Dimension) -> GoalSpec:
    zh, en = DIMENSIONS[dim].zh, DIMENSIONS[dim].en_text
    return GoalSpec(
        f"完成{{target}}次{zh}专项练习",
        f"{{target}} {en} practice exercises",
        f"{zh}专项练习",
        f"{en} practice exercises",
        2,
        "次",
        "exercises",
    )


ROLE_TRAINING = GoalSpec("完成岗位培训", "complete role training", "岗位培训", "role training", 1, "项", "courses")

TEMPLATES: dict[RoleFamily, RoleTemplate] = {
    RoleFamily.customer_manager: RoleTemplate(
        weights={"strength": 40, "development": 30, "baseline": 30},
        strength={
            Dimension.data_analysis: GoalSpec(
                "完成{target}个客户数据报告",
                "{target} client data reports",
                "客户数据报告",
                "client data reports",
                3,
                "个",
                "reports",
            ),
            Dimension.customer_orientation: GoalSpec(
                "新开发客户{target}户", "{target} new clients", "新客户开发", "new clients", 10, "户", "clients"
            ),
            Dimension.logic: GoalSpec(
                "完成{target}份客户综合金融方案",
                "{target} client financial plans",
                "客户综合金融方案",
                "client financial plans",
                2,
                "份",
                "plans",
            ),
        },
        development={
            Dimension.expression: GoalSpec(
                "参与{target}次客户拜访", "{target} client visits", "客户拜访", "client visits", 5, "次", "visits"
            ),
            Dimension.customer_orientation: GoalSpec(
                "跟进处理{target}件客户诉求",
                "{target} client requests followed up",
                "客户诉求处理",
                "client requests followed up",
                5,
                "件",
                "requests",
            ),
            Dimension.data_analysis: GoalSpec(
                "完成{target}个客户数据分析练习",
                "{target} client data analysis exercises",
                "客户数据分析练习",
                "client data analysis exercises",
                2,
                "个",
                "exercises",
            ),
        },
        baseline=GoalSpec(
            "客户满意度评分达{target}分",
            "client satisfaction ≥ {target}",
            "客户满意度评分",
            "client satisfaction",
            80,
            "分",
            "points",
            "score",
        ),
        baseline_dimension=Dimension.customer_orientation,
        preference=(Dimension.customer_orientation, Dimension.data_analysis, Dimension.expression),
    ),
    RoleFamily.risk_manager: RoleTemplate(
        weights={"strength": 50, "development": 20, "baseline": 30},
        strength={
            Dimension.risk_awareness: GoalSpec(
                "识别{target}个业务风险点",
                "identify {target} business risk points",
                "业务风险点识别",
                "business risk points identified",
                2,
                "个",
                "risk points",
            ),
            Dimension.data_analysis: GoalSpec(
                "完成{target}份风险数据分析报告",
                "{target} risk data analysis reports",
                "风险数据分析报告",
                "risk data analysis reports",
                2,
                "份",
                "reports",
            ),
            Dimension.logic: GoalSpec(
                "完成{target}份风险案例分析",
                "{target} risk case analyses",
                "风险案例分析",
                "risk case analyses",
                2,
                "份",
                "analyses",
            ),
        },
        development={
            Dimension.innovation: GoalSpec(
                "提出{target}个流程优化建议",
                "{target} process-improvement proposal",
                "流程优化建议",
                "process-improvement proposals",
                1,
                "个",
                "proposals",
            ),
            Dimension.expression: GoalSpec(
                "开展{target}次风险提示宣讲",
                "{target} risk briefings given",
                "风险提示宣讲",
                "risk briefings",
                1,
                "次",
                "briefings",
            ),
            Dimension.risk_awareness: GoalSpec(
                "完成{target}个风险案例复盘",
                "{target} risk case reviews",
                "风险案例复盘",
                "risk case reviews",
                2,
                "个",
                "reviews",
            ),
        },
        baseline=ROLE_TRAINING,
        baseline_dimension=None,
        preference=(Dimension.risk_awareness, Dimension.logic, Dimension.data_analysis),
    ),
}

GENERIC = RoleTemplate(
    weights={"strength": 40, "development": 30, "baseline": 30},
    strength={},
    development={},
    baseline=ROLE_TRAINING,
    baseline_dimension=None,
)


def template_for(role_family: RoleFamily | str) -> RoleTemplate:
    return TEMPLATES.get(RoleFamily(role_family), GENERIC)


@dataclass(frozen=True)
class ProposedGoal:
    id: str
    slot: Slot
    dimension: str
    title_zh: str
    title_en: str
    label_zh: str
    label_en: str
    target: float
    unit_zh: str
    unit_en: str
    measure: Measure
    weight: int


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _goal(goal_id: str, slot: Slot, dim: Dimension, spec: GoalSpec, weight: int) -> ProposedGoal:
    target = _number(spec.target)
    return ProposedGoal(
        id=goal_id,
        slot=slot,
        dimension=dim.value,
        title_zh=spec.title_zh.format(target=target),
        title_en=spec.title_en.format(target=target),
        label_zh=spec.label_zh,
        label_en=spec.label_en,
        target=spec.target,
        unit_zh=spec.unit_zh,
        unit_en=spec.unit_en,
        measure=spec.measure,
        weight=weight,
    )


def margins(scores: Mapping[Any, float], bar: Mapping[Any, float]) -> dict[Dimension, float]:
    """score − bar for every scored dimension (``DEFAULT_BAR`` where the requisition sets none)."""
    return {Dimension(d): float(s) - float(bar.get(d, DEFAULT_BAR)) for d, s in scores.items() if d in DIMENSION_ORDER}


def strongest_and_weakest(
    scores: Mapping[Any, float], bar: Mapping[Any, float], template: RoleTemplate
) -> tuple[Dimension, Dimension]:
    """The dimension furthest above its bar and the one furthest below (or least above), distinct.

    Ties go to the role's core dimensions first (``preference``), then the fixed dimension order.
    Without two scored dimensions the role's first preferences fill in."""
    rank = {d: i for i, d in enumerate(template.preference)}

    def order(d: Dimension) -> tuple[int, int]:
        return (rank.get(d, len(rank)), DIMENSION_ORDER[d])

    m = margins(scores, bar)
    fallback = list(template.preference) + [d for d in Dimension if d not in template.preference]
    candidates = sorted(m, key=order)
    strongest = max(candidates, key=lambda d: m[d]) if candidates else fallback[0]
    rest = [d for d in candidates if d != strongest]
    spare = next(d for d in fallback if d != strongest)
    weakest = min(rest, key=lambda d: m[d]) if rest else spare
    return strongest, weakest


def propose(role_family: RoleFamily | str, scores: Mapping[Any, float], bar: Mapping[Any, float]) -> list[ProposedGoal]:
    """The proposed goals of a hire: strength, development, baseline; weights sum to 100."""
    template = template_for(role_family)
    strongest, weakest = strongest_and_weakest(scores, bar, template)
    strength = template.strength.get(strongest) or _generic_strength(strongest)
    development = template.development.get(weakest) or _generic_development(weakest)
    baseline_dim = template.baseline_dimension or weakest
    w = template.weights
    return [
        _goal("g1", "strength", strongest, strength, w["strength"]),
        _goal("g2", "development", weakest, development, w["development"]),
        _goal("g3", "baseline", baseline_dim, template.baseline, w["baseline"]),
    ]


# --------------------------------------------------------------------------- summaries and progress


@dataclass(frozen=True)
class GoalLike:
    """What progress needs of a goal (a stored goal or a proposal)."""

    title_zh: str
    title_en: str
    label_zh: str
    label_en: str
    target: float
    unit_zh: str
    unit_en: str
    measure: Measure
    weight: int


def summary_zh(goals: Sequence[GoalLike | ProposedGoal]) -> str:
    return " + ".join(f"{g.title_zh}（占比{g.weight}%）" for g in goals)


def summary_en(goals: Sequence[GoalLike | ProposedGoal]) -> str:
    return " + ".join(f"{g.title_en} ({g.weight} %)" for g in goals)


@dataclass(frozen=True)
class Progress:
    achieved: float
    remaining: float
    completion_pct: float  # of this goal, 0–100
    words_zh: str
    words_en: str


def progress(goal: GoalLike | ProposedGoal, achieved: float) -> Progress:
    """``achieved`` is the sum of counted achievements, or the latest score for a ``score`` goal."""
    target = float(goal.target)
    remaining = max(0.0, target - achieved)
    ratio = 1.0 if target <= 0 else min(1.0, max(0.0, achieved / target))
    a, r, t = _number(achieved), _number(remaining), _number(target)
    if goal.measure == "score":
        if remaining == 0:
            zh = f"{goal.label_zh}当前{a}{goal.unit_zh}，已达成（目标{t}{goal.unit_zh}）"
            en = f"{goal.label_en}: {a} now, target {t} reached"
        else:
            zh = f"{goal.label_zh}当前{a}{goal.unit_zh}，还差{r}{goal.unit_zh}"
            en = f"{goal.label_en}: {a} now, target {t}, {r} to go"
    elif remaining == 0:
        zh = f"{goal.label_zh}完成{a}{goal.unit_zh}，已达成"
        en = f"{goal.label_en}: {a} of {t} done, target reached"
    else:
        zh = f"{goal.label_zh}完成{a}{goal.unit_zh}，还差{r}{goal.unit_zh}"
        en = f"{goal.label_en}: {a} of {t} done, {r} to go"
    return Progress(achieved, remaining, round(ratio * 100, 1), zh, en)


def weighted_completion(parts: Sequence[tuple[int, float]]) -> float:
    """Σ weight × goal completion, in % (0–100): ``parts`` are (weight, completion %)."""
    return round(sum(w * pct for w, pct in parts) / 100, 1)


def elapsed_share(started: float, ends: float, now: float) -> float:
    """The share of the probation period gone by at ``now`` (epoch seconds), in % (0–100)."""
    if ends <= started:
        return 100.0
    return round(min(1.0, max(0.0, (now - started) / (ends - started))) * 100, 1)


LAGGING_RULE = "lagging: weighted completion (%) is below the share of the probation period already elapsed (%)"


def is_lagging(completion_pct: float, elapsed_pct: float) -> bool:
    return completion_pct < elapsed_pct


@dataclass(frozen=True)
class WeightProblem:
    field: str
    message: str


def check_goals(weights: Sequence[int], dimensions: Sequence[str | None]) -> list[WeightProblem]:
    """Weights sum to exactly 100; every goal names the dimension it develops."""
    problems = [
        WeightProblem(f"goals.{i}.dimension", "every goal states which dimension it develops")
        for i, d in enumerate(dimensions)
        if not d
    ]
    total = sum(weights)
    if total != 100:
        problems.append(WeightProblem("goals", f"the weights sum to {total}; they must sum to 100"))
    return problems
