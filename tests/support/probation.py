"""The probation cycle in tests: the real state machine in moto's interpreter, its NotificationQueue
delivered to the consumer as SQS would, and bounded waits on what the API shows."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import Any

import boto3
from chalice.test import Client

from infra.local.cognito import RETAIL_BANKING
from shared.models.employee import Employee
from tests.support.api import Api
from tests.support.bodies import FAST_PROBATION as FAST
from tests.support.employees import employee, store
from tests.support.events import deliver_notifications as pump
from tests.support.stack import REGION

__all__ = ["FAST", "awaiting", "execution_status", "finished", "hire", "pump", "until"]


def hire(
    employee_id: str,
    department: str = RETAIL_BANKING,
    role_family: str = "customer_manager",
    scores: dict[str, float] | None = None,
    start: date | None = None,
    **fields: Any,
) -> Employee:
    """A hire starting today, strong in data analysis, with a bar of 70 on three dimensions (``fields``
    override any other attribute, e.g. the offer it was hired on)."""
    hired = employee(
        employee_id,
        department=department,
        role_family=role_family,
        start_date=start or date.today(),
        dimension_scores=scores or {"data_analysis": 90, "expression": 75, "logic": 80},
        competency_bar={"data_analysis": 70, "expression": 70, "logic": 70},
        **fields,
    )
    assert store(hired)
    return hired


def until(condition: Callable[[], Any], client: Client, stack: Any, seconds: float = 30) -> Any:
    """Pump messages and poll ``condition`` until it holds (bounded: fails after ``seconds``)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        pump(client, stack)
        result = condition()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError("condition not reached in time")


def execution_status(arn: str) -> str:
    return str(boto3.client("stepfunctions", region_name=REGION).describe_execution(executionArn=arn)["status"])


def awaiting(api: Api, employee_id: str) -> Callable[[], Any]:
    """A condition: the probation's final review waits for the manager's decision."""

    def check() -> Any:
        data = api.call("GET", f"/employees/{employee_id}/probation").data
        return data if data["awaiting_decision"] else None

    return check


def finished(api: Api, employee_id: str, arn: str) -> Callable[[], Any]:
    """A condition: the execution ended (the probation as the API shows it then)."""

    def check() -> Any:
        if execution_status(arn) == "RUNNING":
            return None
        return api.call("GET", f"/employees/{employee_id}/probation").data

    return check
