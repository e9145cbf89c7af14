"""A DynamoDB stream read as Lambda's event source mapping reads it, for the local stack and tests.

* ``MotoStreamTail`` follows a table's stream from its oldest record and returns new records in the
  shape a Lambda DynamoDB event carries them, read from moto's in-memory stream (moto runs in this
  process: the local stack, the tests). The Streams API would give the same records
  (``tests/unit/test_streams.py`` compares them), but moto's ``GetRecords`` pushes every record of
  the table, whole images included, through its generic response serialiser — about 10 ms a
  record, so reading the stream that way would cost more than the writes it follows. Lambda
  applies the event filter before anything is sent; so does ``StreamSource`` here, on the raw
  records.
* ``matches`` (``shared.domain.event_filters``) applies an event source mapping's filter, so the
  local consumer sees exactly the records the deployed one would.
* ``StreamSource`` delivers batches to a handler with Lambda's rules for streams: records in order
  per shard; on a failure the batch is retried from the first failed record
  (``ReportBatchItemFailures``); after ``max_retries`` the failed record goes to the on-failure
  destination queue and the shard moves on.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from shared.domain.event_filters import matches

log = logging.getLogger("infra.local.streams")

MAX_RECORDS = 1000  # GetRecords limit


def lambda_record(record: dict[str, Any], stream_arn: str, region: str) -> dict[str, Any]:
    """A ``GetRecords`` record (as boto3 returns it) -> a Lambda DynamoDB event record."""
    body = dict(record["dynamodb"])
    created = body.get("ApproximateCreationDateTime")
    if created is not None and hasattr(created, "timestamp"):
        body["ApproximateCreationDateTime"] = created.timestamp()
    return {
        "eventID": record.get("eventID"),
        "eventName": record.get("eventName"),
        "eventVersion": record.get("eventVersion", "1.1"),
        "eventSource": "aws:dynamodb",
        "awsRegion": record.get("awsRegion", region),
        "dynamodb": body,
        "eventSourceARN": stream_arn,
    }


class MotoStreamTail:
    """New records of one table's stream, in order, from moto's in-process stream.

    ``trim=True`` (for the stream's only reader) drops what it has read from moto's shard, as
    DynamoDB trims a stream after 24 hours: moto keeps every record, whole images included, for
    the life of the process — gigabytes in a 100,000-applicant event. The records left keep their
    sequence numbers (the shard's starting number moves with the trim).
    """

    def __init__(
        self, table_name: str, region: str = "us-east-1", account_id: str = "123456789012", trim: bool = False
    ) -> None:
        from moto.dynamodb.models import dynamodb_backends

        self.table = dynamodb_backends[account_id][region].get_table(table_name)
        if self.table.stream_shard is None:
            raise ValueError(f"table {table_name} has no stream")
        self.stream_arn = f"{self.table.table_arn}/stream/{self.table.latest_stream_label}"
        self.region = region
        self.trim = trim
        self._position = 0

    def read(self, limit: int = MAX_RECORDS) -> list[dict[str, Any]]:
        shard = self.table.stream_shard
        assert shard is not None
        records = shard.items[self._position : self._position + limit]
        self._position += len(records)
        if self.trim and records:
            from infra.local.emulator import dynamodb

            with dynamodb.LOCK:  # moto appends to the shard inside the writes this lock serialises
                del shard.items[: self._position]
                shard.starting_sequence_number += self._position
                self._position = 0
        out = []
        for record in records:
            raw = record.to_json()
            out.append(lambda_record(raw | {"dynamodb": dict(raw["dynamodb"])}, self.stream_arn, self.region))
        return out


@dataclass
class StreamSource:
    """One ``on_dynamodb_record`` handler fed from a ``MotoStreamTail``."""

    name: str
    tail: MotoStreamTail
    invoke: Callable[[str, dict[str, Any]], Any]
    pattern: dict[str, Any] | None = None
    batch_size: int = 100
    max_retries: int = 5
    on_failure: Callable[[dict[str, Any], str], None] | None = None
    pending: list[dict[str, Any]] = field(default_factory=list)
    attempts: int = 0
    invocations: int = 0
    delivered: int = 0
    failed: int = 0

    def poll(self) -> int:
        """Deliver one batch (retrying held-back records first); returns the records delivered."""
        while len(self.pending) < self.batch_size:  # (records the filter drops do not count)
            fresh = self.tail.read()
            if not fresh:
                break
            self.pending += [r for r in fresh if self.pattern is None or matches(self.pattern, r)]
        batch = self.pending[: self.batch_size]
        if not batch:
            return 0
        self.invocations += 1
        try:
            response = self.invoke(self.name, {"Records": batch})
            failures = (response or {}).get("batchItemFailures") or [] if isinstance(response, dict) else []
            first = min(
                (
                    i
                    for i, r in enumerate(batch)
                    for f in failures
                    if f.get("itemIdentifier") == r["dynamodb"].get("SequenceNumber")
                ),
                default=None,
            )
            if failures and first is None:
                first = 0  # an identifier not in the batch: Lambda retries the whole batch
        except Exception:
            log.exception("%s raised; the batch will be retried", self.name)
            first = 0
        if first is None:
            self.pending = self.pending[len(batch) :]
            self.attempts = 0
            self.delivered += len(batch)
            return len(batch)
        # Lambda checkpoints before the first failed record and retries from it
        self.pending = self.pending[first:]
        self.delivered += first
        self.attempts += 1
        if self.attempts > self.max_retries:
            dropped = self.pending.pop(0)
            self.failed += 1
            self.attempts = 0
            log.error(
                "%s: record %s failed %d times; sent to the on-failure destination",
                self.name,
                dropped["dynamodb"].get("SequenceNumber"),
                self.max_retries + 1,
            )
            if self.on_failure:
                self.on_failure(dropped, self.name)
        return first


def sqs_on_failure(sqs: Any, queue_url: str) -> Callable[[dict[str, Any], str], None]:
    """Lambda's on-failure destination for a stream: the record's details as an SQS message."""

    def send(record: dict[str, Any], function: str) -> None:
        sqs.send_message(
            QueueUrl=queue_url,
            MessageBody=json.dumps(
                {
                    "requestContext": {"function": function, "condition": "RetryAttemptsExhausted"},
                    "DDBStreamBatchInfo": {"streamArn": record.get("eventSourceARN")},
                    "record": record,
                },
                default=str,
            ),
        )

    return send
