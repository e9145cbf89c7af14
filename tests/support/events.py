"""Lambda events as AWS delivers them (chalice.test gives every SQS record the same messageId)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3

from tests.support.stack import REGION

ROOT = Path(__file__).resolve().parents[2]
# an EventBridge schedule's event (what a scheduled function receives)
SCHEDULED: dict[str, Any] = json.loads((ROOT / "events" / "scheduled-event.json").read_text("utf-8"))


def s3_object_created(bucket: str, key: str, etag: str, size: int) -> dict[str, Any]:
    with open("events/s3-import-object-created.json", encoding="utf-8") as handle:
        event: dict[str, Any] = json.load(handle)
    event["resources"] = [f"arn:aws:s3:::{bucket}"]
    event["detail"]["bucket"]["name"] = bucket
    event["detail"]["object"].update({"key": key, "etag": etag.strip('"'), "size": size})
    return event


def sqs_event(messages: list[dict[str, Any]], queue_arn: str) -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": m.get("Attributes", {"ApproximateReceiveCount": "1"}),
                "messageAttributes": {},
                "md5OfBody": m["MD5OfBody"],
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": REGION,
            }
            for m in messages
        ]
    }


def drain(invoke: Any, queue_url: str, max_batches: int = 10_000) -> int:
    """Deliver every message of the queue to ``invoke(event) -> response`` in batches of 10, deleting
    the ones the handler did not report as failed. Returns the number of batches delivered."""
    sqs = boto3.client("sqs", region_name=REGION)
    arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    for batch in range(max_batches):
        out = sqs.receive_message(
            QueueUrl=queue_url, MaxNumberOfMessages=10, AttributeNames=["All"], VisibilityTimeout=0
        )
        messages = out.get("Messages", [])
        if not messages:
            return batch
        response = invoke(sqs_event(messages, arn)) or {}
        failed = {f["itemIdentifier"] for f in response.get("batchItemFailures", [])}
        done = [m for m in messages if m["MessageId"] not in failed]
        for start in range(0, len(done), 10):
            sqs.delete_message_batch(
                QueueUrl=queue_url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done[start : start + 10])
                ],
            )
        if failed and len(failed) == len(messages):
            return batch + 1  # nothing progressed: leave the rest to the caller
    raise AssertionError("queue did not drain")


def deliver_notifications(client: Any, stack: Any) -> int:
    """Deliver the NotificationQueue to its consumer (what the SQS event source does in AWS)."""
    return drain(lambda e: client.lambda_.invoke("notification_worker", e).payload, stack.env["NOTIFICATION_QUEUE_URL"])
