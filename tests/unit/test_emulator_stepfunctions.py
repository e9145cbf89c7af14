"""The local stack's Step Functions fix for moto: a definition is parsed once, every execution still
runs on its own evaluation components, with the results moto itself gives."""

from __future__ import annotations

import json
import time
from typing import Any

import boto3
import pytest
from moto import mock_aws

from infra.local.emulator import stepfunctions as fix
from tests.support.emulator import offline, plain_and_fixed

REGION = "us-east-1"
DEFINITION = {
    "StartAt": "Shape",
    "States": {
        "Shape": {"Type": "Pass", "Parameters": {"n.$": "$.n", "twice.$": "States.MathAdd($.n, $.n)"}, "Next": "Big"},
        "Big": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.twice", "NumericGreaterThan": 10, "Next": "Large"}],
            "Default": "Small",
        },
        "Large": {"Type": "Pass", "Result": "large", "ResultPath": "$.size", "End": True},
        "Small": {"Type": "Pass", "Result": "small", "ResultPath": "$.size", "End": True},
    },
}


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> None:
    offline(monkeypatch)


def _outputs(inputs: list[int]) -> list[Any]:
    """Start one execution per input side by side; each one's status and output, in input order."""
    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        sfn = boto3.client("stepfunctions", region_name=REGION)
        arn = sfn.create_state_machine(
            name="m", definition=json.dumps(DEFINITION), roleArn="arn:aws:iam::123456789012:role/r"
        )["stateMachineArn"]
        runs = [
            sfn.start_execution(stateMachineArn=arn, name=f"run-{i}", input=json.dumps({"n": n}))["executionArn"]
            for i, n in enumerate(inputs)
        ]
        deadline = time.monotonic() + 30
        while True:  # a bounded wait for the interpreter's threads to finish
            described = [sfn.describe_execution(executionArn=run) for run in runs]
            if all(d["status"] != "RUNNING" for d in described) or time.monotonic() > deadline:
                return [(d["status"], json.loads(d.get("output", "null"))) for d in described]
            time.sleep(0.05)


def test_executions_end_as_they_do_on_moto_alone(aws: None) -> None:
    inputs = [1, 7, 3, 9]
    plain, fixed = plain_and_fixed(fix, lambda: _outputs(inputs))
    assert fixed == plain
    assert [o["size"] for _, o in plain] == ["small", "large", "small", "large"]
    assert all(status == "SUCCEEDED" for status, _ in plain)


def test_a_definition_is_parsed_once_for_many_executions(aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from moto.stepfunctions.parser.asl.antlr.runtime.ASLParser import ASLParser

    parses: list[int] = []
    state_machine = ASLParser.state_machine

    def counted(self: Any) -> Any:
        parses.append(1)
        return state_machine(self)

    monkeypatch.setattr(ASLParser, "state_machine", counted)
    fix.apply()
    try:
        outputs = _outputs([2, 8, 4, 6, 12])
    finally:
        fix.revert()
    # Then five executions (and the creation's own check) read the grammar once
    assert [o["size"] for _, o in outputs] == ["small", "large", "small", "large", "large"]
    assert len(parses) == 1
