"""Step Functions: starting a named execution, answering and heartbeating a task token."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from shared.errors import Conflict, ServiceUnavailable
from shared.store import aws

GONE = {"TaskTimedOut", "InvalidToken", "TaskDoesNotExist"}


def execution_arn(state_machine_arn: str, name: str) -> str:
    """``arn:…:stateMachine:<machine>`` → ``arn:…:execution:<machine>:<name>``."""
    return state_machine_arn.replace(":stateMachine:", ":execution:", 1) + f":{name}"


def start(state_machine_arn: str, name: str, payload: dict[str, Any]) -> tuple[str, bool]:
    """Start the execution ``name``; (arn, False) when an execution of that name exists already
    (a repeated start is harmless: executions are named by business key)."""
    try:
        out = aws.client("stepfunctions").start_execution(
            stateMachineArn=state_machine_arn, name=name, input=json.dumps(payload)
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ExecutionAlreadyExists":
            return execution_arn(state_machine_arn, name), False
        raise ServiceUnavailable("the workflow service did not start the cycle; retry", retry_after=5) from exc
    return str(out["executionArn"]), True


def send_success(task_token: str, output: dict[str, Any]) -> None:
    """Answer a waiting task; ``Conflict`` when it no longer waits (timed out, answered)."""
    try:
        aws.client("stepfunctions").send_task_success(taskToken=task_token, output=json.dumps(output))
    except ClientError as exc:
        if exc.response["Error"]["Code"] in GONE:
            raise Conflict("the final review no longer waits for a decision (it timed out or was answered)") from exc
        raise ServiceUnavailable("the workflow service did not take the decision; retry", retry_after=5) from exc


def heartbeat(task_token: str) -> bool:
    """Tell a waiting task that someone is working on it; False when it no longer waits."""
    try:
        aws.client("stepfunctions").send_task_heartbeat(taskToken=task_token)
    except ClientError:
        return False
    return True
