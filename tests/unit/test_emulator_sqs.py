"""The local stack's SQS delete fix for moto: a receipt handle names its message directly, and every
answer is the one moto itself gives."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3
import pytest
from moto import mock_aws

from infra.local.emulator import sqs as fix
from tests.support.emulator import offline, plain_and_fixed

REGION = "us-east-1"


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> None:
    offline(monkeypatch)


def on_moto(scenario: Callable[[Any], list[Any]]) -> Callable[[], list[Any]]:
    def run() -> list[Any]:
        with mock_aws():
            return scenario(boto3.client("sqs", region_name=REGION))

    return run


def _deletes(sqs: Any) -> list[Any]:
    """Receive, receive again (a second handle), delete by old and new handles, repeat a delete, use
    another queue's handle and a made-up one; each answer and what is left, as botocore read them."""
    a = sqs.create_queue(QueueName="a")["QueueUrl"]
    b = sqs.create_queue(QueueName="b")["QueueUrl"]
    for n in range(25):
        sqs.send_message(QueueUrl=a, MessageBody=f"m{n}")
    sqs.send_message(QueueUrl=b, MessageBody="other")
    answers: list[Any] = []

    def receive(url: str, count: int = 10) -> list[dict[str, Any]]:
        out = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=count, VisibilityTimeout=0)
        return list(out.get("Messages", []))

    def delete_batch(url: str, handles: list[str]) -> None:
        out = sqs.delete_message_batch(
            QueueUrl=url, Entries=[{"Id": str(i), "ReceiptHandle": h} for i, h in enumerate(handles)]
        )
        answers.append(
            (sorted(e["Id"] for e in out.get("Successful", [])), sorted(e["Code"] for e in out.get("Failed", [])))
        )

    first = receive(a)
    again = receive(a)  # visibility 0: the same messages with new handles
    other = receive(b, 1)
    by_body = {m["Body"]: m["ReceiptHandle"] for m in first}
    newer = {m["Body"]: m["ReceiptHandle"] for m in again}
    old_handle, new_handle = by_body["m0"], newer["m1"]
    delete_batch(a, [old_handle, new_handle, by_body["m2"]])
    delete_batch(a, [old_handle])  # repeated: success, nothing changes
    delete_batch(a, [other[0]["ReceiptHandle"], "not-a-handle"])  # another queue's handle, a made-up one
    sqs.delete_message(QueueUrl=a, ReceiptHandle=newer["m3"])
    left: list[str] = []
    while batch := receive(a):
        left += [m["Body"] for m in batch]
        delete_batch(a, [m["ReceiptHandle"] for m in batch])
    answers.append(sorted(left))
    answers.append([m["Body"] for m in receive(b)])
    return answers


def test_deletes_answer_what_moto_itself_answers(aws: None) -> None:
    # Given the same receives and deletes on moto as it is and with the fix (fresh backends each)
    plain, fixed = plain_and_fixed(fix, on_moto(_deletes))
    # Then every answer and every message left is the same
    assert fixed == plain
    assert plain[0] == (["0", "1", "2"], [])  # an old handle, a new one, the first receive's
    assert plain[1] == (["0"], [])
    assert plain[2] == ([], ["ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid"])
    assert plain[-2] == sorted(f"m{n}" for n in range(4, 25)) and plain[-1] == ["other"]


def test_a_delete_asks_no_message_about_its_handles(aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from moto.sqs.models import Message

    asked: list[str] = []
    original = Message.had_receipt_handle

    def counted(self: Any, handle: str) -> bool:
        asked.append(handle)
        return bool(original(self, handle))

    monkeypatch.setattr(Message, "had_receipt_handle", counted)
    fix.apply()
    try:
        with mock_aws():
            sqs = boto3.client("sqs", region_name=REGION)
            url = sqs.create_queue(QueueName="q")["QueueUrl"]
            sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": str(n), "MessageBody": "x"} for n in range(10)])
            # When ten messages are received and deleted from a queue of ten
            for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]:
                sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
            left = int(
                sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"][
                    "ApproximateNumberOfMessages"
                ]
            )
    finally:
        fix.revert()
    # Then the queue is empty and no message was asked whether it had a handle (moto alone: 2 · 10 · 10)
    assert left == 0
    assert asked == []


def _counts(sqs: Any) -> list[Any]:
    """Visible, in-flight and delayed messages; the counts and what a receive returns, as read."""
    url = sqs.create_queue(QueueName="c")["QueueUrl"]
    sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": str(n), "MessageBody": f"m{n}"} for n in range(6)])
    sqs.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=900)
    answers: list[Any] = []
    names = [
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed",
    ]

    def counts() -> None:
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        answers.append([attributes[n] for n in names])

    counts()
    taken = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=4, VisibilityTimeout=600)["Messages"]
    answers.append(sorted(m["Body"] for m in taken))
    counts()
    rest = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=600)["Messages"]
    answers.append(sorted(m["Body"] for m in rest))
    counts()
    return answers


def test_counts_and_receives_answer_what_moto_itself_answers(aws: None) -> None:
    plain, fixed = plain_and_fixed(fix, on_moto(_counts))
    assert fixed == plain
    assert plain[0] == ["6", "0", "1"] and plain[2] == ["2", "4", "1"] and plain[4] == ["0", "6", "1"]
    assert len(plain[1]) == 4 and len(plain[3]) == 2 and "later" not in plain[1] + plain[3]


def test_sending_does_not_count_the_queue(aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from moto.sqs import models

    clock_reads: list[int] = []
    read = models.unix_time_millis

    def counted(*args: Any) -> float:
        clock_reads.append(1)
        return float(read(*args))

    fix.apply()
    try:
        with mock_aws():
            sqs = boto3.client("sqs", region_name=REGION)
            url = sqs.create_queue(QueueName="q")["QueueUrl"]
            entries = [{"Id": str(n), "MessageBody": "x"} for n in range(10)]
            for _ in range(20):
                sqs.send_message_batch(QueueUrl=url, Entries=entries)
            # When ten more are sent to a queue of 200
            monkeypatch.setattr(models, "unix_time_millis", counted)
            sqs.send_message_batch(QueueUrl=url, Entries=entries)
            monkeypatch.undo()
            left = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
    finally:
        fix.revert()
    # Then each message read the clock once (its sent time), not once per message queued before it
    assert len(clock_reads) == 10
    assert left["Attributes"]["ApproximateNumberOfMessages"] == "210"
