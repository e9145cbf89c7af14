"""The vocabulary: one label table per enum, complete, in the enum's order, in both languages."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import pytest

from shared import vocabulary as v
from shared.domain import radar
from shared.domain.explanation import dimensions
from shared.domain.onboarding_mail import training_plan
from shared.models.training import PlanDimension, TrainingPlan
from shared.security.tokens import ROLES

TABLES: list[tuple[type[StrEnum], dict[str, v.Term]]] = [
    (v.Role, v.ROLES),
    (v.Dimension, v.DIMENSIONS),
    (v.BankFamily, v.FAMILIES),
    (v.Stage, v.STAGES),
    (v.Recommendation, v.RECOMMENDATIONS),
]


@pytest.mark.parametrize(("enum", "table"), TABLES, ids=lambda x: getattr(x, "__name__", ""))
def test_every_term_has_a_chinese_and_an_english_label_in_the_enums_order(
    enum: type[StrEnum], table: dict[str, v.Term]
) -> None:
    # Given an enum of the vocabulary and its label table
    # Then the table has exactly its members, in the enum's order
    assert list(table) == list(enum)
    # And each label is there in both languages, none used twice
    assert all(t.zh.strip() and t.en.strip() for t in table.values())
    assert len({t.zh for t in table.values()}) == len({t.en for t in table.values()}) == len(table)


def test_roles_of_tokens_are_the_vocabularys_roles() -> None:
    # Given the groups a token may carry / Then they are the vocabulary's roles, in its order
    assert ROLES == ("hr", "manager", "interviewer", "it") == tuple(v.ROLES)


def test_english_labels_read_in_lower_case_inside_a_sentence_but_acronyms_stay() -> None:
    # Given labels that start a table cell / When written inside a sentence / Then lower case, acronyms kept
    assert v.DIMENSIONS[v.Dimension.logic].en_text == "logical thinking"
    assert v.DIMENSIONS[v.Dimension.expression].en_text == "expression"
    assert v.ROLES[v.Role.hr].en_text == "HR"
    assert v.STAGES[v.Stage.ai_interviewed].en_text == "AI interviewed"


def test_unknown_dimensions_keep_their_key_and_known_ones_sort_canonically() -> None:
    # Given a key outside the vocabulary / When labelled / Then the key itself is shown
    assert v.dimension_zh("leadership") == "leadership" and v.dimension_en("leadership") == "leadership"
    # And known keys, plain or enum, sort in the canonical order
    keys = ["data_analysis", v.Dimension.logic, "expression"]
    assert sorted(keys, key=v.DIMENSION_ORDER.__getitem__) == ["logic", "expression", "data_analysis"]


def test_radar_explanation_and_training_mail_use_the_same_labels() -> None:
    # Given the expression dimension scored below its bar
    axis = radar.build({v.Dimension.expression: 1.0}, {v.Dimension.expression: 60}, {v.Dimension.expression: 75})
    row = dimensions({"expression": 60}, {"expression": 75}, {"expression": 1.0})[0]
    plan = TrainingPlan(
        employee_id="e1",
        name="张伟",
        title="客户经理",
        department="零售金融部",
        start_date=date(2026, 3, 2),
        dimensions=[PlanDimension(dimension="expression", score=60, bar=75, reassess_due=date(2026, 4, 2), courses=[])],
        created_at="2026-03-01T00:00:00Z",
    )
    # When the radar, the explanation and the training-plan mail label it
    _, text, _ = training_plan(plan)
    # Then all use the vocabulary's labels
    assert axis.axes[0].label == row["label_zh"] == "语言表达"
    assert row["label_en"] == "Expression"
    assert "· 语言表达：面试 60 分，要求 75 分" in text and "- Expression: interview 60, bar 75" in text
