"""Probation goals from the interview competency profile (pure rules)."""

from __future__ import annotations

import pytest

from shared.domain import probation as rules


def test_customer_manager_strong_in_data_analysis_weak_in_communication() -> None:
    # Given the source document's customer manager: data analysis 90, communication (expression) 75
    scores = {"data_analysis": 90, "expression": 75, "customer_orientation": 82}
    # When the goals are proposed
    bar = {"data_analysis": 75, "expression": 78, "customer_orientation": 80}
    goals = rules.propose("customer_manager", scores, bar)
    # Then they are exactly the document's, each stating the dimension it develops
    assert rules.summary_en(goals) == (
        "3 client data reports (40 %) + 5 client visits (30 %) + client satisfaction ≥ 80 (30 %)"
    )
    assert rules.summary_zh(goals) == (
        "完成3个客户数据报告（占比40%） + 参与5次客户拜访（占比30%） + 客户满意度评分达80分（占比30%）"
    )
    assert [(g.dimension, g.target, g.weight) for g in goals] == [
        ("data_analysis", 3, 40),
        ("expression", 5, 30),
        ("customer_orientation", 80, 30),
    ]
    assert goals[2].measure == "score"


def test_risk_manager_strong_in_risk_awareness_weak_in_innovation() -> None:
    # Given the document's risk manager: risk awareness 88, innovation 70
    goals = rules.propose("risk_manager", {"risk_awareness": 88, "innovation": 70, "logic": 80}, {})
    # Then: identify 2 risk points (50 %) + 1 process-improvement proposal (20 %) + role training (30 %)
    assert rules.summary_en(goals) == (
        "identify 2 business risk points (50 %) + 1 process-improvement proposal (20 %) + complete role training (30 %)"
    )
    assert [g.title_zh for g in goals] == ["识别2个业务风险点", "提出1个流程优化建议", "完成岗位培训"]
    # and the role training is aimed at the weak dimension
    assert [g.dimension for g in goals] == ["risk_awareness", "innovation", "innovation"]


@pytest.mark.parametrize("role", ["customer_manager", "risk_manager", "teller_operations", "it_data"])
@pytest.mark.parametrize(
    "scores",
    [{}, {"logic": 70}, {"teamwork": 95, "stress_tolerance": 40, "innovation": 66}, {"logic": 80, "expression": 80}],
)
def test_weights_always_sum_to_100_and_every_goal_has_a_dimension(role: str, scores: dict[str, float]) -> None:
    # Given any role family and any profile / When the goals are proposed
    goals = rules.propose(role, scores, {})
    # Then the weights sum to 100, every goal names a dimension, strongest and weakest differ
    assert sum(g.weight for g in goals) == 100
    assert all(g.dimension for g in goals)
    assert goals[0].dimension != goals[1].dimension


def test_generic_template_uses_the_strongest_and_weakest_dimension_against_the_bar() -> None:
    # Given a teller: teamwork far above its bar, stress tolerance below it
    goals = rules.propose(
        "teller_operations", {"teamwork": 85, "stress_tolerance": 72, "logic": 75}, {"stress_tolerance": 80}
    )
    # Then the strength goal uses teamwork and the development goal stress tolerance
    assert (goals[0].dimension, goals[1].dimension) == ("teamwork", "stress_tolerance")
    assert goals[1].title_zh == "完成2次抗压能力专项练习"


def test_progress_in_words_and_numbers() -> None:
    # Given the client visits goal (5) and the satisfaction score goal (80)
    visits, satisfaction = rules.propose("customer_manager", {"data_analysis": 90, "expression": 75}, {})[1:]
    # Then progress reads like the source document, in Chinese and English
    p = rules.progress(visits, 3)
    assert (p.words_zh, p.words_en, p.completion_pct) == (
        "客户拜访完成3次，还差2次",
        "client visits: 3 of 5 done, 2 to go",
        60.0,
    )
    assert rules.progress(visits, 6).words_zh == "客户拜访完成6次，已达成"
    assert rules.progress(satisfaction, 78).words_zh == "客户满意度评分当前78分，还差2分"
    # and the weighted completion is Σ weight × completion
    assert rules.weighted_completion([(40, 100.0), (30, 60.0), (30, 0.0)]) == 58.0


def test_lagging_means_completion_below_the_elapsed_share() -> None:
    # Given half the period gone
    share = rules.elapsed_share(0, 100, 50)
    # Then 40 % completion lags, 60 % does not; before the start nothing has elapsed
    assert (share, rules.is_lagging(40, share), rules.is_lagging(60, share)) == (50.0, True, False)
    assert rules.elapsed_share(100, 200, 50) == 0.0


def test_goal_checks_name_the_field() -> None:
    problems = rules.check_goals([40, 30], ["logic", None])
    assert [(p.field, p.message) for p in problems] == [
        ("goals.1.dimension", "every goal states which dimension it develops"),
        ("goals", "the weights sum to 70; they must sum to 100"),
    ]
