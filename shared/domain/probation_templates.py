"""Probation goal templates per role family: which goal puts the hire's strongest dimension to work,
which exercises the weakest, and the role's standing goal, with the weight of each slot (they sum
to 100). The source document's two examples are reproduced exactly:

* customer manager, strong in data analysis, weak in communication (``expression``):
  3 client data reports (40 %) + 5 client visits (30 %) + client satisfaction ≥ 80 (30 %);
* risk manager, strong in risk awareness, weak in innovation:
  identify 2 business risk points (50 %) + 1 process-improvement proposal (20 %) + complete role
  training (30 %).

A dimension a template does not name gets a generic goal worded with the dimension's label
(``shared/vocabulary.py``). Pure data and lookups, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from shared.models.common import Dimension, RoleFamily
from shared.vocabulary import DIMENSIONS

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

    def strength_goal(self, dim: Dimension) -> GoalSpec:
        """The goal for the strongest dimension: the template's own, or a generic one."""
        return self.strength.get(dim) or _generic(dim, GENERIC_STRENGTH, 1, "项", "tasks")

    def development_goal(self, dim: Dimension) -> GoalSpec:
        """The goal for the weakest dimension: the template's own, or a generic one."""
        return self.development.get(dim) or _generic(dim, GENERIC_DEVELOPMENT, 2, "次", "exercises")


# The generic goals' titles and labels (Chinese, English), worded with the dimension's label.
GENERIC_STRENGTH = (
    "完成{{target}}项发挥{zh}优势的重点任务",
    "{{target}} key task drawing on {en}",
    "{zh}重点任务",
    "key tasks drawing on {en}",
)
GENERIC_DEVELOPMENT = (
    "完成{{target}}次{zh}专项练习",
    "{{target}} {en} practice exercises",
    "{zh}专项练习",
    "{en} practice exercises",
)


def _generic(dim: Dimension, words: tuple[str, str, str, str], target: float, unit_zh: str, unit_en: str) -> GoalSpec:
    title_zh, title_en, label_zh, label_en = (
        w.format(zh=DIMENSIONS[dim].zh, en=DIMENSIONS[dim].en_text) for w in words
    )
    return GoalSpec(title_zh, title_en, label_zh, label_en, target, unit_zh, unit_en)


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
