"""Partial batch responses for the queue and stream consumers (powertools ``BatchProcessor``).

powertools' batch utilities are imported on a consumer's first batch, not when its module is: importing
a handler module loads no heavy library (the package tests import every one and check it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from functions.observability import MAX_RECEIVES, logger, message_correlation_id, metric, stream_correlation_id

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
    from chalice.app import DynamoDBEvent, SQSEvent


R = TypeVar("R")


def _correlated(handler: Callable[[R], None], correlation_id: Callable[[R], str]) -> Callable[[R], None]:
    """``handler`` with the record's correlation id on every log line it writes."""

    def handle(record: R) -> None:
        logger.set_correlation_id(correlation_id(record))
        handler(record)

    return handle


def _counting_last_receives(handler: Callable[[SQSRecord], None]) -> Callable[[SQSRecord], None]:
    """``handler``, counting a message that fails on its last receive (SQS moves it to the
    dead-letter queue next: ``DeadLetterMoves``)."""

    def handle(record: SQSRecord) -> None:
        try:
            handler(record)
        except Exception:
            if int(record.attributes.approximate_receive_count or 1) >= MAX_RECEIVES:
                metric("DeadLetterMoves")
                logger.warning("message failed on its last receive: next stop, the dead-letter queue")
            raise

    return handle


def sqs_batch(
    event: SQSEvent, handler: Callable[[SQSRecord], None], raise_on_entire_batch_failure: bool = True
) -> dict[str, Any]:
    """Each message through ``handler``; the failed ones reported back (``batchItemFailures``) for redelivery."""
    from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

    processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=raise_on_entire_batch_failure)
    record_handler = _correlated(_counting_last_receives(handler), message_correlation_id)
    return dict(process_partial_response(event=event.to_dict(), record_handler=record_handler, processor=processor))


def stream_batch(event: DynamoDBEvent, handler: Callable[[DynamoDBRecord], None]) -> dict[str, Any]:
    """Each table stream record through ``handler``; the failed ones reported back for a retry."""
    from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

    processor = BatchProcessor(event_type=EventType.DynamoDBStreams)
    record_handler = _correlated(handler, stream_correlation_id)
    return dict(process_partial_response(event=event.to_dict(), record_handler=record_handler, processor=processor))
