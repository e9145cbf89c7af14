"""Move dead-lettered messages back, on the local stack:
``python -m infra.local.redrive --source-arn <DLQ ARN> [--destination-arn <ARN>] [--endpoint-url URL]``.

In AWS the redrive is ``aws sqs start-message-move-task --source-arn <DLQ ARN>``; moto (5.2.5) does
not implement that API, so the local stack offers this stand-in with the same arguments and the
same effect: without ``--destination-arn`` every message goes back to the queue whose redrive policy
names the dead-letter queue; each is sent there before it is deleted from the dead-letter queue
(at least once, never lost).
"""

from __future__ import annotations

import argparse
import json
import os
from typing import Any

import boto3

BATCH = 10


def _url(sqs: Any, arn: str) -> str:
    account, name = arn.split(":")[4], arn.split(":")[5]
    return str(sqs.get_queue_url(QueueName=name, QueueOwnerAWSAccountId=account)["QueueUrl"])


def source_queue_of(sqs: Any, dlq_arn: str) -> str:
    """The URL of the queue whose redrive policy sends its failures to ``dlq_arn``."""
    for url in sqs.list_queues().get("QueueUrls", []):
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["RedrivePolicy"]).get("Attributes", {})
        policy = json.loads(attributes.get("RedrivePolicy") or "{}")
        if policy.get("deadLetterTargetArn") == dlq_arn:
            return str(url)
    raise LookupError(f"no queue sends its failures to {dlq_arn}; give --destination-arn")


def move_messages(sqs: Any, source_arn: str, destination_arn: str | None = None) -> int:
    """Move every message of the dead-letter queue ``source_arn``; returns how many were moved."""
    source = _url(sqs, source_arn)
    destination = _url(sqs, destination_arn) if destination_arn else source_queue_of(sqs, source_arn)
    moved = 0
    while True:
        messages = sqs.receive_message(
            QueueUrl=source, MaxNumberOfMessages=BATCH, VisibilityTimeout=30, MessageAttributeNames=["All"]
        ).get("Messages", [])
        if not messages:
            return moved
        entries = [
            {"Id": str(i), "MessageBody": m["Body"], "MessageAttributes": m.get("MessageAttributes", {})}
            for i, m in enumerate(messages)
        ]
        out = sqs.send_message_batch(QueueUrl=destination, Entries=[{k: v for k, v in e.items() if v} for e in entries])
        sent = {s["Id"] for s in out.get("Successful", [])}
        done = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages) if str(i) in sent]
        if done:
            sqs.delete_message_batch(QueueUrl=source, Entries=done)
        moved += len(done)
        if len(done) < len(messages):
            raise RuntimeError(f"{len(messages) - len(done)} messages could not be sent; they stay in the DLQ")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.local.redrive", description=__doc__.splitlines()[0])
    parser.add_argument("--source-arn", required=True, help="the dead-letter queue's ARN")
    parser.add_argument("--destination-arn", help="default: the queue whose redrive policy names the DLQ")
    parser.add_argument("--endpoint-url", default=os.environ.get("AWS_ENDPOINT_URL", "http://127.0.0.1:5000"))
    parser.add_argument("--region", default=os.environ.get("AWS_DEFAULT_REGION", "us-east-1"))
    args = parser.parse_args(argv)
    sqs = boto3.client(
        "sqs",
        endpoint_url=args.endpoint_url,
        region_name=args.region,
        aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "testing"),
        aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "testing"),
    )
    print(f"moved {move_messages(sqs, args.source_arn, args.destination_arn)} messages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
