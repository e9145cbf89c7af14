"""Partial batch responses for the queue and stream consumers (powertools ``BatchProcessor``).

powertools' batch utilities are imported on a consumer's first batch, not when its module is: importing
a handler module loads no heavy library (the package tests import every one and check it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
    from chalice.app import DynamoDBEvent, SQSEvent


def sqs_batch(
    event: SQSEvent, handler: Callable[[SQSRecord], None], raise_on_entire_batch_failure: bool = True
) -> dict[str, Any]:
    """Each message through ``handler``; the failed ones reported back (``batchItemFailures``) for redelivery."""
    from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

    processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=raise_on_entire_batch_failure)
    return dict(process_partial_response(event=event.to_dict(), record_handler=handler, processor=processor))


def stream_batch(event: DynamoDBEvent, handler: Callable[[DynamoDBRecord], None]) -> dict[str, Any]:
    """Each table stream record through ``handler``; the failed ones reported back for a retry."""
    from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

    processor = BatchProcessor(event_type=EventType.DynamoDBStreams)
    return dict(process_partial_response(event=event.to_dict(), record_handler=handler, processor=processor))
