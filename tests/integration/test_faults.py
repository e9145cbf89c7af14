"""Faults on write paths, injected by botocore ``before-send`` hooks over moto: bounded retries with
backoff; the caller gets 503 with ``Retry-After`` or the message stays durable; afterwards nothing is
lost and no side effect is doubled."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
from botocore.retries import standard
from chalice.test import Client

from shared.services.assessments import Assessments
from shared.store import queue as queue_module
from shared.store.assessments import OUTBOX_PK
from shared.store.repository import Repository
from tests.support.api import Api
from tests.support.assessments import assessment_requested, base, run_notification_worker
from tests.support.events import SCHEDULED
from tests.support.faults import Faults
from tests.support.hiring import SAMPLE, make
from tests.support.mail import mail_to, sent_mail
from tests.support.stack import REGION


@pytest.fixture
def faults(stack: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Faults]:
    f = Faults()

    def no_sleep_backoff(self: Any, context: Any) -> float:
        f.backoffs.append(1.0)
        return 0.0

    monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount", no_sleep_backoff)
    monkeypatch.setattr(queue_module.time, "sleep", lambda seconds: f.backoffs.append(seconds))
    yield f
    f.clear()


def requisition_count(api: Api) -> int:
    return len(api.call("GET", "/requisitions").data["items"])


@pytest.mark.parametrize("kind", ["throttle", "5xx", "unavailable"])
def test_a_persistent_dynamodb_fault_is_503_with_retry_after_and_changes_nothing(
    api: Api, faults: Faults, kind: str
) -> None:
    # Given DynamoDB refuses every write of a requisition
    faults.inject("dynamodb", "TransactWriteItems", kind)
    faults.inject("dynamodb", "PutItem", kind)
    # When HR creates a requisition with an Idempotency-Key
    response = api.call("POST", "/requisitions", body=SAMPLE, headers={"Idempotency-Key": f"k-{kind}"})
    # Then the answer is 503 with Retry-After and the error body, after bounded retries with backoff
    assert response.status_code == 503, response.data
    assert int(response.headers["Retry-After"]) > 0
    assert set(response.data) == {"error"} and response.data["error"]["code"] == "service_unavailable"
    writes = faults.calls["dynamodb.TransactWriteItems"] + faults.calls["dynamodb.PutItem"]
    assert 2 <= writes <= 8 and len(faults.backoffs) >= 1
    # When the fault clears and the caller retries with the same key
    faults.clear()
    assert requisition_count(api) == 0
    retried = api.call("POST", "/requisitions", body=SAMPLE, headers={"Idempotency-Key": f"k-{kind}"})
    # Then exactly one requisition exists: nothing lost, nothing doubled
    assert retried.status_code == 201, retried.data
    assert requisition_count(api) == 1


def test_a_transient_dynamodb_fault_is_retried_invisibly(api: Api, faults: Faults) -> None:
    # Given DynamoDB throttles the next two writes, then recovers
    faults.inject("dynamodb", "TransactWriteItems", "throttle", times=2)
    faults.inject("dynamodb", "PutItem", "throttle", times=2)
    # When HR creates a requisition
    response = make(api)
    # Then the client's bounded retries absorb it: 201, one requisition, backoff recorded
    assert response.status_code == 201, response.data
    assert requisition_count(api) == 1
    assert sum(faults.injected.values()) >= 2 and len(faults.backoffs) >= 2


def outbox(stack: Any) -> list[dict[str, Any]]:
    return list(Repository().query(OUTBOX_PK, limit=100).items)


def test_decision_email_survives_a_refusing_notification_queue(
    api: Api, client: Client, stack: Any, faults: Faults
) -> None:
    # Given a manager's request for a supplementary assessment of an application at second_interview
    app_id, request_id = assessment_requested(api)
    # And a notification queue that refuses every message
    faults.inject("sqs", "SendMessageBatch", "unavailable")
    faults.inject("sqs", "SendMessage", "unavailable")
    # When HR approves it
    decided = api.call(
        "POST", f"{base(app_id)}/{request_id}/decision", body={"decision": "approve", "reason": "同意，安排下周进行"}
    )
    # Then the decision is stored (200) and the e-mail's message is kept in the outbox, not dropped
    assert decided.status_code == 200, decided.data
    assert decided.data["status"] == "approved"
    assert [i["sk"] for i in outbox(stack)] == [f"{app_id}#{request_id}"]
    assert faults.injected and len(faults.backoffs) >= 1
    run_notification_worker(api, client)
    assert mail_to("manager.demo@example.com") == []  # (HR's notice of the request went before the fault)
    # When the queue is still down at the scheduled reconciliation, nothing is lost either
    assessments = Assessments(
        Repository(), lambda bodies: queue_module.send_all(stack.env["NOTIFICATION_QUEUE_URL"], bodies)
    )
    assert assessments.reconcile_notices(min_age_seconds=0) == {"resent": 0, "failed": 1, "young": 0}
    assert len(outbox(stack)) == 1
    # And the scheduled function leaves a record younger than a minute to the request that wrote it
    faults.clear()
    assert client.lambda_.invoke("reconcile_assessment_notices", SCHEDULED).payload == {
        "resent": 0,
        "failed": 0,
        "young": 1,
    }
    # When the queue is back and the reconciliation runs (twice: a retried schedule)
    assert assessments.reconcile_notices(min_age_seconds=0) == {"resent": 1, "failed": 0, "young": 0}
    assert assessments.reconcile_notices(min_age_seconds=0) == {"resent": 0, "failed": 0, "young": 0}
    # And the queue delivers a duplicate of the notice as well
    assessments.send([str(assessments.notice_for(assessments._require(app_id, request_id)[0]))])
    run_notification_worker(api, client)
    # Then the manager gets exactly one e-mail: nothing lost, nothing doubled
    mails = [m for m in sent_mail() if "manager.demo@example.com" in m.destinations["ToAddresses"]]
    assert len(mails) == 1 and "已批准" in mails[0].subject
    assert outbox(stack) == []


def test_a_transient_queue_refusal_is_retried_and_the_outbox_cleared(
    api: Api, client: Client, stack: Any, faults: Faults
) -> None:
    # Given a request, and a queue that refuses the next send only
    app_id, request_id = assessment_requested(api)
    faults.inject("sqs", "SendMessageBatch", "unavailable", times=1)
    # When HR declines it
    decided = api.call(
        "POST", f"{base(app_id)}/{request_id}/decision", body={"decision": "decline", "reason": "暂不需要"}
    )
    # Then the retry sent it at once: no outbox record left, one e-mail after the worker runs
    assert decided.status_code == 200
    assert outbox(stack) == []
    run_notification_worker(api, client)
    assert len(mail_to("manager.demo@example.com")) == 1


def test_queue_messages_the_worker_fails_on_return_to_the_queue(
    api: Api, client: Client, stack: Any, faults: Faults
) -> None:
    # Given a decided request whose notice is queued
    app_id, request_id = assessment_requested(api)
    api.call("POST", f"{base(app_id)}/{request_id}/decision", body={"decision": "decline", "reason": "暂不需要"})
    # And SES is down while the worker runs
    faults.inject("ses", "SendEmail", "unavailable")
    faults.inject("ses", "SendRawEmail", "unavailable")
    sqs = boto3.client("sqs", region_name=REGION)
    url = stack.env["NOTIFICATION_QUEUE_URL"]
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"])["Messages"]
    from tests.support.events import sqs_event

    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    # Then the worker fails the message (a batch of one failing whole: the invocation fails), so SQS
    # makes it visible again and redelivers it (no loss); no e-mail was sent
    with pytest.raises(BatchProcessingError):
        client.lambda_.invoke("notification_worker", sqs_event(messages, arn))
    assert faults.injected["ses.SendEmail.unavailable"] >= 1
    assert sent_mail() == []
    # When SES is back and the message is redelivered
    faults.clear()
    sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=messages[0]["ReceiptHandle"], VisibilityTimeout=0)
    run_notification_worker(api, client)
    # Then exactly one e-mail
    assert len(sent_mail()) == 1
