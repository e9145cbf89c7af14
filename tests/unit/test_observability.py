"""The functions' logger and metrics (``functions/observability.py``): correlation ids of queue
messages and stream records."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from functions.observability import message_correlation_id, stream_correlation_id


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
