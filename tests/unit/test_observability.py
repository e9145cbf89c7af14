"""The functions' logger and metrics (``functions/observability.py``): correlation ids of queue
messages and stream records, the count of messages failing on their last receive."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from chalice.app import SQSEvent

from functions.batch import sqs_batch
from functions.observability import MAX_RECEIVES, message_correlation_id, stream_correlation_id

TEMPLATE = Path(__file__).resolve().parents[2] / "infra" / "template.json"


def _message(message_id: str, body: dict[str, Any], receives: int = 1) -> dict[str, Any]:
    return {
        "messageId": message_id,
        "receiptHandle": f"rh-{message_id}",
        "body": json.dumps(body),
        "attributes": {"ApproximateReceiveCount": str(receives)},
        "messageAttributes": {},
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:us-east-1:000000000000:NotificationQueue",
    }


def test_a_message_is_correlated_by_its_id_and_a_probation_message_by_its_execution() -> None:
    # Given an invitation and a probation cycle's message
    invitation = SQSRecord(_message("m-1", {"kind": "invitation", "application_id": "a1"}))
    check_in = SQSRecord(_message("m-2", {"kind": "probation_check_in", "employee_id": "e7", "cycle": 1}))
    # Then the first follows its message id, the second the execution Step Functions shows
    assert message_correlation_id(invitation) == "m-1"
    assert message_correlation_id(check_in) == "probation-e7"


def test_a_stream_record_is_correlated_by_the_webhook_id_of_its_result() -> None:
    result = DynamoDBRecord({"eventID": "ev-1", "dynamodb": {"NewImage": {"webhook_id": {"S": "msg_1"}}}})
    other = DynamoDBRecord({"eventID": "ev-2", "dynamodb": {"NewImage": {"pk": {"S": "APP#1"}}}})
    assert stream_correlation_id(result) == "msg_1"
    assert stream_correlation_id(other) == "ev-2"


def test_a_message_failing_on_its_last_receive_is_counted_as_a_dead_letter_move(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Given a batch with a message on an early receive and one on its last, both failing
    event = SQSEvent({"Records": [_message("early", {}, 1), _message("last", {}, MAX_RECEIVES)]}, None)

    def fail(_record: SQSRecord) -> None:
        raise RuntimeError("vendor down")

    # When the batch runs
    capsys.readouterr()
    response = sqs_batch(event, fail, raise_on_entire_batch_failure=False)
    emitted = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith('{"_aws"')]

    # Then both are reported failed, and one dead-letter move is counted (the last receive's)
    assert {f["itemIdentifier"] for f in response["batchItemFailures"]} == {"early", "last"}
    moves = [d["DeadLetterMoves"] for d in emitted if "DeadLetterMoves" in d]
    assert moves in ([1], [[1]], [1.0], [[1.0]])  # one datum of value 1 (EMF may list values)


def test_max_receives_is_the_work_queues_max_receive_count() -> None:
    resources = json.loads(TEMPLATE.read_text(encoding="utf-8"))["Resources"]
    counts = {
        r["Properties"]["RedrivePolicy"]["maxReceiveCount"]
        for r in resources.values()
        if "RedrivePolicy" in r.get("Properties", {})
    }
    assert counts == {MAX_RECEIVES}
