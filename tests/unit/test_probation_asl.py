"""A lint of the probation state machine (infra/statemachines/probation.asl.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from infra.outputs import inline_definitions, load_template

ASL_PATH = Path(__file__).resolve().parents[2] / "infra" / "statemachines" / "probation.asl.json"


@pytest.fixture(scope="module")
def asl() -> dict[str, Any]:
    # Given the file: it is valid JSON
    data: dict[str, Any] = json.loads(ASL_PATH.read_text(encoding="utf-8"))
    return data


def _next(state: dict[str, Any]) -> set[str]:
    targets = {state["Next"]} if "Next" in state else set()
    targets |= {c["Next"] for c in state.get("Catch", [])}
    targets |= {c["Next"] for c in state.get("Choices", [])}
    if "Default" in state:
        targets.add(state["Default"])
    return targets


def test_every_task_has_a_timeout_retry_and_catch(asl: dict[str, Any]) -> None:
    tasks = {name: s for name, s in asl["States"].items() if s["Type"] == "Task"}
    assert tasks
    for name, state in tasks.items():
        timeouts = {"TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath"}
        assert timeouts & set(state), f"{name} has no timeout"
        assert state.get("Retry"), f"{name} has no Retry"
        assert state.get("Catch"), f"{name} has no Catch"
        assert all(c["Next"] in asl["States"] for c in state["Catch"]), name


def test_the_token_wait_has_a_timeout_and_heartbeat_from_the_input_and_escalates(asl: dict[str, Any]) -> None:
    waits = {n: s for n, s in asl["States"].items() if s.get("Resource", "").endswith(".waitForTaskToken")}
    assert list(waits) == ["AwaitDecision"]
    state = waits["AwaitDecision"]
    assert state["TimeoutSecondsPath"] == "$.durations.decision_timeout"
    assert state["HeartbeatSecondsPath"] == "$.durations.heartbeat"
    assert "$$.Task.Token" in json.dumps(state["Parameters"])
    timeout_catch = next(c for c in state["Catch"] if "States.Timeout" in c["ErrorEquals"])
    assert "States.HeartbeatTimeout" in timeout_catch["ErrorEquals"]
    assert timeout_catch["Next"] == "RecordEscalated"


def test_every_wait_takes_its_seconds_from_the_input(asl: dict[str, Any]) -> None:
    waits = {n: s for n, s in asl["States"].items() if s["Type"] == "Wait"}
    assert len(waits) == 4
    for name, state in waits.items():
        assert "SecondsPath" in state and state["SecondsPath"].startswith("$."), name
        assert not {"Seconds", "Timestamp"} & set(state), name


def test_every_state_is_reachable_and_every_target_exists(asl: dict[str, Any]) -> None:
    states = asl["States"]
    seen, todo = set(), [asl["StartAt"]]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        assert name in states, f"{name} is a target but not a state"
        todo.extend(_next(states[name]))
    assert seen == set(states)
    terminal = {n for n, s in states.items() if s["Type"] in {"Succeed", "Fail"} or s.get("End")}
    assert terminal


def test_only_in_process_service_integrations(asl: dict[str, Any]) -> None:
    # moto runs SDK integrations in process; Lambda tasks would need Docker
    resources = {s["Resource"] for s in asl["States"].values() if s["Type"] == "Task"}
    assert resources == {
        "arn:aws:states:::dynamodb:updateItem",
        "arn:aws:states:::sqs:sendMessage",
        "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    }


def test_the_template_inlines_the_file_with_its_substitutions() -> None:
    # Given the template's state machine / When it is made deployable
    machine = inline_definitions(load_template())["Resources"]["ProbationStateMachine"]
    text = machine["Properties"]["DefinitionString"]["Fn::Sub"]
    # Then the definition is the file's, its variables the template's own resources
    assert isinstance(text, str) and "${TalentTable}" in text and "${NotificationQueue}" in text
    assert "${TableName}" not in text and "$$.Task.Token" in text
