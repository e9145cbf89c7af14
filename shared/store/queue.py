"""SQS: sending messages in batches, with retries of the entries SQS did not accept; delaying a
message's next delivery."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Sequence

from botocore.exceptions import ClientError

from shared.errors import ServiceUnavailable
from shared.store import aws

BATCH = 10
ATTEMPTS = 5


class QueueRefused(Exception):
    """SQS refused the send after the client's retries (the AWS error is the cause)."""


def send_all(queue_url: str, bodies: Sequence[str]) -> None:
    """Send every body, or raise ``ServiceUnavailable`` (entries SQS kept refusing) or ``QueueRefused``
    (the call failed): the caller's message is then retried, or its outbox record kept."""
    sqs = aws.client("sqs")
    for start in range(0, len(bodies), BATCH):
        pending = {str(i): body for i, body in enumerate(bodies[start : start + BATCH])}
        for attempt in range(ATTEMPTS):
            try:
                out = sqs.send_message_batch(
                    QueueUrl=queue_url,
                    Entries=[{"Id": i, "MessageBody": body} for i, body in pending.items()],
                )
            except ClientError as exc:
                raise QueueRefused(
                    f"the queue refused the messages: {exc.response.get('Error', {}).get('Code')}"
                ) from exc
            failed = {f["Id"] for f in out.get("Failed", [])}
            pending = {i: body for i, body in pending.items() if i in failed}
            if not pending:
                break
            time.sleep(min(2.0, 0.05 * 2**attempt))
        if pending:
            raise ServiceUnavailable("the work queue did not accept every message", retry_after=5)


def delay_message(queue_url: str, receipt_handle: str, seconds: int) -> None:
    """Keep a failed message invisible for ``seconds`` (its backoff) before SQS redelivers it. Best
    effort: if this fails the message comes back after the queue's visibility timeout instead."""
    with contextlib.suppress(ClientError):
        aws.client("sqs").change_message_visibility(
            QueueUrl=queue_url, ReceiptHandle=receipt_handle, VisibilityTimeout=seconds
        )
