"""The local event pump against tiny Chalice apps over moto, driven step by step (``pump_once``)."""

from __future__ import annotations

import json
import threading
import urllib.request
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from chalice import Chalice, Rate
from chalice.app import CloudWatchEvent, SQSEvent
from moto import mock_aws

from infra.local.admin import AdminServer
from infra.local.pump import EventPump, batch_outcome
from tests.support.emulator import offline

REGION = "us-east-1"
MAX_STEPS = 50  # bound on pump steps while waiting for a condition; each step is one receive per source


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    offline(monkeypatch)
    with mock_aws():
        yield {s: boto3.client(s, region_name=REGION) for s in ("sqs", "events", "s3")}


def make_queue(sqs: Any, name: str, max_receive: int | None = None) -> tuple[str, str | None]:
    """A work queue (and its DLQ when ``max_receive`` is given); returns (url, dlq_url)."""
    attributes: dict[str, str] = {"VisibilityTimeout": "30"}
    dlq_url = None
    if max_receive is not None:
        dlq_url = sqs.create_queue(QueueName=f"{name}-dlq")["QueueUrl"]
        dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        attributes["RedrivePolicy"] = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": max_receive})
    return sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"], dlq_url


def sqs_app(deliveries: list[list[dict[str, Any]]], raise_on: str | None = None) -> Chalice:
    """A worker that fails every record whose body starts with 'fail' (batchItemFailures) and
    raises for a batch containing ``raise_on``."""
    app = Chalice(app_name="pump-test")

    @app.on_sqs_message(queue="work", batch_size=10, name="worker")
    def worker(event: SQSEvent) -> dict[str, Any]:
        records = [r.to_dict() for r in event]
        deliveries.append(records)
        if raise_on and any(r["body"] == raise_on for r in records):
            raise RuntimeError("boom")
        return {
            "batchItemFailures": [{"itemIdentifier": r["messageId"]} for r in records if r["body"].startswith("fail")]
        }

    return app


def visible_count(sqs: Any, url: str) -> int:
    attrs = sqs.get_queue_attributes(
        QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    )["Attributes"]
    return int(attrs["ApproximateNumberOfMessages"]) + int(attrs["ApproximateNumberOfMessagesNotVisible"])


def pump_until(pump: EventPump, done: Any) -> int:
    """Step the pump until ``done()`` holds; returns the steps taken (fails after MAX_STEPS)."""
    for step in range(1, MAX_STEPS + 1):
        pump.pump_once()
        if done():
            return step
    raise AssertionError(f"condition not reached in {MAX_STEPS} pump steps")


def test_partial_batch_failure_redelivers_only_the_failed_record(aws: dict[str, Any]) -> None:
    # Given a queue with three messages, one of which the worker reports as failed
    sqs = aws["sqs"]
    url, _ = make_queue(sqs, "work")
    for body in ("ok-1", "fail-1", "ok-2"):
        sqs.send_message(
            QueueUrl=url, MessageBody=body, MessageAttributes={"k": {"DataType": "String", "StringValue": "v"}}
        )
    deliveries: list[list[dict[str, Any]]] = []
    pump = EventPump(sqs_app(deliveries), sqs=sqs, events=aws["events"], region=REGION, retry_delay_seconds=0)

    # When the pump delivers the batch
    pump.pump_once()

    # Then the handler got one real Lambda SQS event: distinct message ids, attributes, source ARN
    assert len(deliveries) == 1
    first = deliveries[0]
    assert sorted(r["body"] for r in first) == ["fail-1", "ok-1", "ok-2"]
    assert len({r["messageId"] for r in first}) == 3
    queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    assert all(r["eventSourceARN"] == queue_arn and r["awsRegion"] == REGION for r in first)
    assert all(r["attributes"]["ApproximateReceiveCount"] == "1" for r in first)
    assert first[0]["messageAttributes"]["k"]["stringValue"] == "v"
    failed_id = next(r["messageId"] for r in first if r["body"] == "fail-1")

    # When the pump runs again, only the failed record comes back, as a second receive
    pump_until(pump, lambda: len(deliveries) == 2)
    assert [(r["messageId"], r["body"]) for r in deliveries[1]] == [(failed_id, "fail-1")]
    assert deliveries[1][0]["attributes"]["ApproximateReceiveCount"] == "2"
    # and the successful records were deleted: only the failing one is left in the queue
    assert visible_count(sqs, url) == 1


def test_handler_exception_redelivers_the_whole_batch(aws: dict[str, Any]) -> None:
    # Given a batch in which one record makes the handler raise
    sqs = aws["sqs"]
    url, _ = make_queue(sqs, "work")
    sqs.send_message(QueueUrl=url, MessageBody="ok-1")
    sqs.send_message(QueueUrl=url, MessageBody="explode")
    deliveries: list[list[dict[str, Any]]] = []
    pump = EventPump(
        sqs_app(deliveries, raise_on="explode"), sqs=sqs, events=aws["events"], region=REGION, retry_delay_seconds=0
    )

    # When the pump delivers it twice
    pump.pump_once()
    pump_until(pump, lambda: sum(len(d) for d in deliveries) >= 4)

    # Then both records were redelivered (nothing deleted after the exception)
    bodies = sorted(r["body"] for d in deliveries for r in d)
    assert bodies == ["explode", "explode", "ok-1", "ok-1"]
    assert pump.sources[0].failed >= 2


def test_message_that_always_fails_lands_in_the_dlq_after_max_receive_count(aws: dict[str, Any]) -> None:
    # Given a queue whose redrive policy allows two receives, and a message the worker always fails
    sqs = aws["sqs"]
    url, dlq_url = make_queue(sqs, "work", max_receive=2)
    assert dlq_url is not None
    sqs.send_message(QueueUrl=url, MessageBody="fail-always")
    deliveries: list[list[dict[str, Any]]] = []
    pump = EventPump(sqs_app(deliveries), sqs=sqs, events=aws["events"], region=REGION, retry_delay_seconds=0)

    # When the pump keeps running
    pump_until(pump, lambda: visible_count(sqs, dlq_url) == 1)

    # Then the handler saw it exactly maxReceiveCount times and it now sits in the DLQ, not the queue
    assert [r["body"] for d in deliveries for r in d] == ["fail-always", "fail-always"]
    assert visible_count(sqs, url) == 0
    parked = sqs.receive_message(QueueUrl=dlq_url)["Messages"]
    assert parked[0]["Body"] == "fail-always"


def test_invalid_batch_item_failure_fails_the_whole_batch() -> None:
    # Given a response naming a message that is not in the batch (Lambda's rule: retry everything)
    outcome = batch_outcome(["a", "b"], {"batchItemFailures": [{"itemIdentifier": "zzz"}]})
    # Then nothing counts as succeeded
    assert outcome.succeeded == [] and outcome.failed == ["a", "b"] and outcome.error
    # And an empty list or no return value means every record succeeded
    assert batch_outcome(["a"], {"batchItemFailures": []}).succeeded == ["a"]
    assert batch_outcome(["a"], None).succeeded == ["a"]


def test_s3_object_event_reaches_the_cw_event_handler_through_eventbridge(aws: dict[str, Any]) -> None:
    # Given an app with an on_cw_event handler for S3 object creation and a bucket sending events
    s3 = aws["s3"]
    s3.create_bucket(Bucket="uploads")
    s3.put_bucket_notification_configuration(
        Bucket="uploads", NotificationConfiguration={"EventBridgeConfiguration": {}}
    )
    app = Chalice(app_name="pump-test")
    events: list[dict[str, Any]] = []

    @app.on_cw_event({"source": ["aws.s3"], "detail-type": ["Object Created"]}, name="object_created")
    def object_created(event: CloudWatchEvent) -> None:
        events.append(event.to_dict())

    pump = EventPump(app, sqs=aws["sqs"], events=aws["events"], region=REGION, retry_delay_seconds=0)
    pump.setup()

    # When an object is uploaded, and an unrelated event is published on the bus
    s3.put_object(Bucket="uploads", Key="imports/abc/applicants.xlsx", Body=b"data")
    aws["events"].put_events(
        Entries=[{"Source": "other.app", "DetailType": "Something", "Detail": "{}", "EventBusName": "default"}]
    )
    pump_until(pump, lambda: len(events) >= 1)

    # Then the handler got the S3 event (and only that one)
    assert len(events) == 1
    assert events[0]["source"] == "aws.s3"
    assert events[0]["detail"]["bucket"]["name"] == "uploads"
    assert events[0]["detail"]["object"]["key"] == "imports/abc/applicants.xlsx"
    assert pump.pump_once() == 0


def test_failing_cw_event_handler_is_retried_then_parked(aws: dict[str, Any]) -> None:
    # Given an on_cw_event handler that always raises
    app = Chalice(app_name="pump-test")
    attempts: list[str] = []

    @app.on_cw_event({"source": ["my.app"]}, name="flaky")
    def flaky(event: CloudWatchEvent) -> None:
        attempts.append(event.detail_type)
        raise RuntimeError("always")

    pump = EventPump(app, sqs=aws["sqs"], events=aws["events"], region=REGION, retry_delay_seconds=0)
    pump.setup()
    dlq_url = pump.sources[0].dlq_url
    assert dlq_url is not None

    # When a matching event is published
    aws["events"].put_events(Entries=[{"Source": "my.app", "DetailType": "Ping", "Detail": "{}"}])
    pump_until(pump, lambda: visible_count(aws["sqs"], dlq_url) == 1)

    # Then it was tried three times (Lambda's asynchronous invocation) and then parked
    assert attempts == ["Ping", "Ping", "Ping"]


def schedule_app(fired: list[dict[str, Any]], signal: threading.Event | None = None) -> Chalice:
    app = Chalice(app_name="pump-test")

    @app.schedule(Rate(1, unit=Rate.HOURS), name="nightly")
    def nightly(event: Any) -> dict[str, str]:
        fired.append(event.to_dict())
        if signal is not None:
            signal.set()
        return {"done": "yes"}

    return app


def test_schedule_fires_on_demand_and_through_the_admin_endpoint(aws: dict[str, Any]) -> None:
    # Given an app with a scheduled function
    fired: list[dict[str, Any]] = []
    pump = EventPump(schedule_app(fired), sqs=aws["sqs"], events=aws["events"], region=REGION)
    pump.setup()
    assert pump.status()["schedules"] == {"nightly": "rate(1 hour)"}

    # When it is fired directly
    result = pump.fire_schedule("nightly")

    # Then the handler ran once with a Scheduled Event
    assert result == {"done": "yes"}
    assert len(fired) == 1 and fired[0]["detail-type"] == "Scheduled Event"
    assert fired[0]["source"] == "aws.events"
    with pytest.raises(KeyError):
        pump.fire_schedule("no-such-schedule")

    # When it is fired over the admin endpoint
    admin = AdminServer(pump, "127.0.0.1", 0)
    admin.start()
    try:
        request = urllib.request.Request(f"{admin.url}/schedules/nightly", method="POST", data=b"")
        with urllib.request.urlopen(request, timeout=10) as response:
            body = json.loads(response.read())
        missing = urllib.request.Request(f"{admin.url}/schedules/unknown", method="POST", data=b"")
        with pytest.raises(urllib.error.HTTPError) as not_found:
            urllib.request.urlopen(missing, timeout=10)
    finally:
        admin.stop()

    # Then it ran again, and an unknown schedule is a 404
    assert body == {"fired": "nightly", "result": {"done": "yes"}}
    assert len(fired) == 2
    assert not_found.value.code == 404


def test_clock_fires_schedules_and_stop_ends_the_threads(aws: dict[str, Any]) -> None:
    # Given a pump with a clock of 50 ms
    fired: list[dict[str, Any]] = []
    signal = threading.Event()
    pump = EventPump(schedule_app(fired, signal), sqs=aws["sqs"], events=aws["events"], region=REGION)

    # When the pump runs in its threads
    pump.start(clock_seconds=0.05)
    try:
        # Then the scheduled function fires without being asked
        assert signal.wait(timeout=10), "the clock never fired the schedule"
    finally:
        pump.stop(timeout=5)
    # And stop() leaves no thread behind
    assert pump._threads == []
    assert fired and fired[0]["detail-type"] == "Scheduled Event"
