"""The pure rules of supplementary assessments: names, stages, results."""

from __future__ import annotations

import pytest

from shared.domain.assessments import (
    check_requestable,
    name_key,
    result_problems,
    stage_after_approval,
    stage_after_result,
)
from shared.domain.stages import Stage
from shared.errors import Conflict


def test_names_compare_after_normalisation() -> None:
    # full-width spaces, surrounding blanks and case do not make another assessment
    assert name_key("　客户模拟谈判 ") == name_key("客户模拟谈判")
    assert name_key("Customer  Negotiation\tSimulation") == name_key("customer negotiation simulation")
    assert name_key("客户模拟谈判") != name_key("案例分析")


@pytest.mark.parametrize("stage", [Stage.second_interview, Stage.evaluated])
def test_requests_are_allowed_at_the_interview_stages(stage: Stage) -> None:
    check_requestable(stage)  # no exception


@pytest.mark.parametrize("stage", [s for s in Stage if s not in (Stage.second_interview, Stage.evaluated)])
def test_requests_elsewhere_are_a_conflict_naming_the_stage(stage: Stage) -> None:
    with pytest.raises(Conflict) as caught:
        check_requestable(stage)
    assert stage.value in caught.value.message
    assert caught.value.details[0]["current_stage"] == stage.value


def test_approval_inserts_the_stage_once() -> None:
    assert stage_after_approval(Stage.second_interview) is Stage.supplementary_assessment
    assert stage_after_approval(Stage.evaluated) is Stage.supplementary_assessment
    assert stage_after_approval(Stage.supplementary_assessment) is Stage.supplementary_assessment
    for stage in (Stage.background_check, Stage.offer, Stage.rejected, Stage.screened):
        with pytest.raises(Conflict, match=stage.value):
            stage_after_approval(stage)


def test_the_last_result_returns_to_evaluated() -> None:
    assert stage_after_result(Stage.supplementary_assessment, other_approved_open=False) is Stage.evaluated
    assert (
        stage_after_result(Stage.supplementary_assessment, other_approved_open=True) is Stage.supplementary_assessment
    )
    # an application that left the stage meanwhile stays where HR put it
    assert stage_after_result(Stage.rejected, other_approved_open=False) is Stage.rejected


def test_a_result_needs_a_score_or_a_verdict() -> None:
    assert result_problems(None, None)[0]["field"] == "score"
    assert result_problems(0, None) == []
    assert result_problems(None, False) == []
