"""A lint of the probation state machine (infra/statemachines/probation.asl.json)."""

from __future__ import annotations

import json
from datetime import date
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


# -- the items and messages the machine shares with the code ---------------------------------------------
def _resolve(attribute: dict[str, str], execution_input: dict[str, Any]) -> str:
    """A DynamoDB attribute of a task's parameters: a literal (``S``) or a path into the input (``S.$``)."""
    if "S" in attribute:
        return attribute["S"]
    path = attribute["S.$"]
    assert path.startswith("$.") and "." not in path[2:], path  # the machine keeps its input (ResultPath null)
    return str(execution_input[path[2:]])


def _dynamodb_tasks(asl: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {n: s for n, s in asl["States"].items() if s.get("Resource", "").startswith("arn:aws:states:::dynamodb:")}


def test_every_item_the_machine_writes_is_the_probation_item_by_the_store_s_key(asl: dict[str, Any]) -> None:
    from shared.models.probation import Probation
    from shared.services.probation import ProbationService
    from shared.store.probation import probation_key

    # Given the input the service starts an execution with
    prob = Probation(
        employee_id="emp-7",
        department="零售金融部",
        role_family="retail_banking",
        goals=[],
        start_date=date(2026, 1, 5),
        updated_at="2026-01-05T00:00:00Z",
        durations={"check_in": 1},
    )
    execution_input = ProbationService.execution_input(prob)
    # When the key of every DynamoDB task is resolved against it
    tasks = _dynamodb_tasks(asl)
    assert len(tasks) >= 8
    for name, state in tasks.items():
        key = {attr: _resolve(value, execution_input) for attr, value in state["Parameters"]["Key"].items()}
        # Then it is the store's key of that employee's probation item, in the talent table
        assert key == probation_key("emp-7"), name
        assert state["Parameters"]["TableName"] == "${TableName}", name
    table = load_template()["Resources"]["TalentTable"]["Properties"]
    assert [k["AttributeName"] for k in table["KeySchema"]] == list(probation_key("emp-7"))


def test_an_ended_probation_leaves_the_store_s_active_index(asl: dict[str, Any]) -> None:
    from shared.store.probation import ACTIVE_INDEX

    # Given the key attributes of the index the daily digest reads the running probations from
    table = load_template()["Resources"]["TalentTable"]["Properties"]
    index = next(i for i in table["GlobalSecondaryIndexes"] if i["IndexName"] == ACTIVE_INDEX)
    index_keys = [k["AttributeName"] for k in index["KeySchema"]]
    # Then every state that completes the probation removes them, and no other state does
    for name, state in _dynamodb_tasks(asl).items():
        expression = state["Parameters"]["UpdateExpression"]
        completes = ":completed" in expression
        removed = set(expression.partition(" REMOVE ")[2].replace(" ", "").split(",")) - {""}
        assert (set(index_keys) <= removed) is completes, name


def test_every_message_the_machine_sends_has_a_handler_on_its_queue(asl: dict[str, Any]) -> None:
    from functions.consumers.notification_queue import KINDS

    # Given the messages of the machine's SQS tasks
    sends = {n: s for n, s in asl["States"].items() if ":::sqs:sendMessage" in s.get("Resource", "")}
    assert len(sends) == 6
    for name, state in sends.items():
        # Then they go to the notification queue, and its consumer dispatches their kind
        assert state["Parameters"]["QueueUrl"] == "${NotificationQueueUrl}", name
        assert state["Parameters"]["MessageBody"]["kind"] in KINDS, name
