"""The product's vocabulary, defined once: every enumerated term, its canonical order and its Chinese
and English label.

The order of each enum is the order everything shows it in (radar axes, tables, mails, the
console's lists). The labels are the ones the mails, documents, charts and the console use:
``GET /vocabulary`` serves this module to the console, so nothing else keeps a copy.

The Chinese labels follow the source document: 逻辑思维 and 语言表达 as in "逻辑思维得分85分，语言表达
得分78分" (the reports HR hands to interviewers), 客户导向, 风险意识, 创新能力, 团队协作. The
English labels translate them (``expression`` is 语言表达, verbal expression; "communication" would
be 沟通能力, which the document uses for something else). In running English text a label is
written in lower case (``Term.en_text``).

Dependency-free like ``shared.errors`` and ``shared.settings``: every layer may import it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """The people's roles: the Cognito groups a token's ``cognito:groups`` claim may carry."""

    hr = "hr"
    manager = "manager"  # a business department's manager
    interviewer = "interviewer"
    it = "it"


class Dimension(StrEnum):
    """The AI interview's competency dimensions, in canonical order."""

    logic = "logic"
    expression = "expression"
    customer_orientation = "customer_orientation"
    risk_awareness = "risk_awareness"
    innovation = "innovation"
    teamwork = "teamwork"
    stress_tolerance = "stress_tolerance"
    data_analysis = "data_analysis"


class RoleFamily(StrEnum):
    """A requisition's role family (the competency indicator library and goal templates are per family)."""

    customer_manager = "customer_manager"
    risk_manager = "risk_manager"
    teller_operations = "teller_operations"
    it_data = "it_data"


class BankFamily(StrEnum):
    """The question bank's families: every requisition role family, plus ``general`` questions that any
    family's kit falls back on when its own bank has too few for a dimension."""

    customer_manager = "customer_manager"
    risk_manager = "risk_manager"
    teller_operations = "teller_operations"
    it_data = "it_data"
    general = "general"


class Stage(StrEnum):
    """An application's stage (the transitions between them: ``shared/domain/stages.py``)."""

    applied = "applied"
    screened = "screened"
    ai_interviewed = "ai_interviewed"
    shortlisted = "shortlisted"
    second_interview = "second_interview"
    supplementary_assessment = "supplementary_assessment"
    evaluated = "evaluated"
    background_check = "background_check"
    offer = "offer"
    offer_signed = "offer_signed"
    hired = "hired"
    rejected = "rejected"
    withdrawn = "withdrawn"


class Recommendation(StrEnum):
    """An evaluator's overall recommendation after the second interview."""

    strong_hire = "strong_hire"
    hire = "hire"
    no_hire = "no_hire"
    strong_no_hire = "strong_no_hire"


@dataclass(frozen=True)
class Term:
    zh: str
    en: str

    @property
    def en_text(self) -> str:
        """The English label inside a sentence ("2 expression practice exercises")."""
        return self.en[:1].lower() + self.en[1:] if self.en[1:2].islower() else self.en


# The labels, keyed by the enums' members (a plain string finds its member's entry: StrEnum).
ROLES: dict[str, Term] = {
    Role.hr: Term("HR", "HR"),
    Role.manager: Term("部门经理", "Department manager"),
    Role.interviewer: Term("面试官", "Interviewer"),
    Role.it: Term("IT部门", "IT"),
}
DIMENSIONS: dict[str, Term] = {
    Dimension.logic: Term("逻辑思维", "Logical thinking"),
    Dimension.expression: Term("语言表达", "Expression"),
    Dimension.customer_orientation: Term("客户导向", "Customer orientation"),
    Dimension.risk_awareness: Term("风险意识", "Risk awareness"),
    Dimension.innovation: Term("创新能力", "Innovation"),
    Dimension.teamwork: Term("团队协作", "Teamwork"),
    Dimension.stress_tolerance: Term("抗压能力", "Stress tolerance"),
    Dimension.data_analysis: Term("数据分析", "Data analysis"),
}
FAMILIES: dict[str, Term] = {
    BankFamily.customer_manager: Term("客户经理", "Customer manager"),
    BankFamily.risk_manager: Term("风险经理", "Risk manager"),
    BankFamily.teller_operations: Term("柜员/运营", "Teller / operations"),
    BankFamily.it_data: Term("信息科技/数据", "IT / data"),
    BankFamily.general: Term("通用", "General"),
}
STAGES: dict[str, Term] = {
    Stage.applied: Term("已投递", "Applied"),
    Stage.screened: Term("初筛通过", "Screened"),
    Stage.ai_interviewed: Term("AI已面试", "AI interviewed"),
    Stage.shortlisted: Term("入围复试", "Shortlisted"),
    Stage.second_interview: Term("复试中", "Second interview"),
    Stage.supplementary_assessment: Term("补充测评", "Supplementary assessment"),
    Stage.evaluated: Term("已评价", "Evaluated"),
    Stage.background_check: Term("背景调查", "Background check"),
    Stage.offer: Term("录用通知", "Offer"),
    Stage.offer_signed: Term("已签约", "Offer signed"),
    Stage.hired: Term("已入职", "Hired"),
    Stage.rejected: Term("未通过", "Rejected"),
    Stage.withdrawn: Term("已撤回", "Withdrawn"),
}
RECOMMENDATIONS: dict[str, Term] = {
    Recommendation.strong_hire: Term("强烈推荐录用", "Strong hire"),
    Recommendation.hire: Term("推荐录用", "Hire"),
    Recommendation.no_hire: Term("不推荐录用", "No hire"),
    Recommendation.strong_no_hire: Term("强烈不推荐录用", "Strong no hire"),
}

# A dimension's place in the canonical order.
DIMENSION_ORDER: dict[str, int] = {d.value: i for i, d in enumerate(Dimension)}


def dimension_zh(dimension: str) -> str:
    """The Chinese label of a dimension; an unknown key is returned as it is."""
    term = DIMENSIONS.get(dimension)
    return term.zh if term else dimension


def dimension_en(dimension: str) -> str:
    term = DIMENSIONS.get(dimension)
    return term.en if term else dimension
