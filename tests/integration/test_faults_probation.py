"""Step Functions faults in the probation cycle, injected into the product's own client by botocore
``before-send`` hooks (the state machine itself runs in moto's interpreter): ``StartExecution``
throttled or failing when a probation is confirmed, ``SendTaskSuccess`` failing when the manager's
decision is recorded. Bounded retries, then 503 + ``Retry-After``; afterwards exactly one execution
exists and the decision is taken once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from chalice.test import Client

from shared.store.repository import Repository
from tests.support.api import Api
from tests.support.faults import Faults, installed
from tests.support.probation import FAST, awaiting, finished, hire, until
from tests.support.stack import REGION

SLOW_REVIEW = {**FAST, "decision_timeout": 120, "heartbeat": 120}


@pytest.fixture
def faults(stack: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Faults]:
    f = installed(monkeypatch)
    yield f
    f.clear()


def executions(stack: Any) -> list[dict[str, Any]]:
    sfn = boto3.client("stepfunctions", region_name=REGION)
    return list(sfn.list_executions(stateMachineArn=stack.env["PROBATION_STATE_MACHINE_ARN"])["executions"])


def audit_actions(employee_id: str) -> list[str]:
    items = Repository().query(f"AUDIT#employee:{employee_id}", limit=100).items
    return [str(i["action"]) for i in items]


@pytest.mark.parametrize("kind", ["throttling", "5xx"])
def test_a_failing_start_is_503_and_the_retry_starts_exactly_one_execution(
    api: Api, stack: Any, faults: Faults, kind: str
) -> None:
    # Given a hire, and Step Functions refusing every StartExecution
    hire(f"sf-{kind}")
    faults.inject("stepfunctions", "StartExecution", kind)
    path = f"/employees/sf-{kind}/probation/confirm"
    headers = {"Idempotency-Key": f"confirm-sf-{kind}"}
    body = {"durations": SLOW_REVIEW}
    # When HR confirms the probation
    refused = api.call("POST", path, body=body, headers=headers)
    # Then after bounded retries with backoff the answer is 503 with Retry-After and the error body
    assert refused.status_code == 503, refused.data
    assert int(refused.headers["Retry-After"]) > 0
    assert refused.data["error"]["code"] == "service_unavailable"
    assert faults.calls["stepfunctions.StartExecution"] == 5 and len(faults.backoffs) == 4  # 1 + 4 retries
    assert executions(stack) == []
    # When the workflow service recovers and HR retries with the same key
    faults.clear()
    retried = api.call("POST", path, body=body, headers=headers)
    # Then the cycle starts (the confirmation was stored by the first call, so this answers 200 with the
    # execution) and exactly one execution exists, running
    assert retried.status_code == 200, retried.data
    assert retried.data["execution_name"] == f"probation-sf-{kind}"
    assert [e["name"] for e in executions(stack)] == [f"probation-sf-{kind}"]
    # And a further confirmation (another key, or none) never starts a second one
    again = api.call("POST", path, body=body)
    assert again.status_code == 200 and again.data["started"] is False
    assert [e["status"] for e in executions(stack)] == ["RUNNING"]
    assert audit_actions(f"sf-{kind}").count("probation:confirm") == 1


def test_a_throttled_start_is_retried_invisibly(api: Api, stack: Any, faults: Faults) -> None:
    # Given Step Functions throttles the next two StartExecution calls, then recovers
    hire("sf-t")
    faults.inject("stepfunctions", "StartExecution", "throttling", times=2)
    # When HR confirms
    r = api.call("POST", "/employees/sf-t/probation/confirm", body={"durations": SLOW_REVIEW})
    # Then the client's retries absorb it: 201, one execution, two backoffs
    assert r.status_code == 201, r.data
    assert len(executions(stack)) == 1
    assert faults.injected["stepfunctions.StartExecution.throttling"] == 2 and len(faults.backoffs) == 2


def test_a_failing_send_task_success_is_503_and_the_decision_is_taken_once_on_retry(
    api: Api, client: Client, stack: Any, faults: Faults
) -> None:
    # Given a probation whose final review waits for the manager
    hire("sf-d")
    arn = api.call("POST", "/employees/sf-d/probation/confirm", body={"durations": SLOW_REVIEW}).data["execution_arn"]
    until(awaiting(api, "sf-d"), client, stack)
    # And Step Functions failing every SendTaskSuccess
    faults.inject("stepfunctions", "SendTaskSuccess", "5xx")
    decision = {"decision": "confirm"}
    # When the manager decides
    refused = api.call("POST", "/employees/sf-d/probation/decision", role="manager", body=decision)
    # Then 503 with Retry-After after bounded retries, and the review still waits for them
    assert refused.status_code == 503, refused.data
    assert int(refused.headers["Retry-After"]) > 0
    assert faults.calls["stepfunctions.SendTaskSuccess"] == 5
    view = api.call("GET", "/employees/sf-d/probation").data
    assert view["awaiting_decision"] is True and view["status"] == "running"
    # When the service recovers and the manager retries
    faults.clear()
    taken = api.call("POST", "/employees/sf-d/probation/decision", role="manager", body=decision)
    # Then the decision is taken and the cycle ends confirmed, in its one execution
    assert taken.status_code == 200, taken.data
    done = until(finished(api, "sf-d", arn), client, stack)
    assert (done["status"], done["outcome"]) == ("completed", "confirmed")
    assert len(executions(stack)) == 1
    # And a repeated decision is a conflict: the decision is recorded once
    late = api.call("POST", "/employees/sf-d/probation/decision", role="manager", body=decision)
    assert late.status_code == 409
    actions = audit_actions("sf-d")
    assert actions.count("probation:decision_undelivered") == 1
    assert actions.count("probation:decision") == 2  # the undelivered attempt and the one taken
    assert [h["event"] for h in done["history"]].count("final_review") == 1
