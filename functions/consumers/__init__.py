"""Every function that is not a route: one module per event source. A function's Lambda name is
the ``name=`` its decorator gives (the template, the local event pump and the package tests use it).

==========================  ================================  ================================================
module                      event source                      function (dispatch)
==========================  ================================  ================================================
``notification_queue``      NotificationQueue (SQS)           ``notification_worker`` (``KINDS``: by kind)
``import_queue``            ImportQueue (SQS)                 ``import_worker`` (``HANDLERS``: by message type)
``onboarding_queue``        OnboardingQueue (SQS)             ``onboarding_worker``
``esign_queue``             EsignQueue (SQS)                  ``esign_worker``
``background_check_queue``  BackgroundCheckQueue (SQS)        ``background_check_worker``
``table_stream``            the talent table's stream         ``project_results`` (``STREAM_FILTERS``)
``object_events``           the bucket's S3 object events     ``object_created`` (``OBJECTS``: by key prefix)
``schedules``               EventBridge schedules             the daily and nightly runs, ``reconcile_*``
==========================  ================================  ================================================
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from functions.observability import logger
from shared.services.background_checks import retry_later

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord


@contextmanager
def vendor_backoff(
    record: SQSRecord, refusal: type[Exception], queue_url: str, warning: str, **ids: str
) -> Iterator[None]:
    """A vendor's ``refusal`` (it is down): the message comes back after an exponential backoff
    (30 s × 2^receives), and after the queue's maxReceiveCount rests in its dead-letter queue until
    it is redriven."""
    try:
        yield
    except refusal as exc:
        receives = int(record.attributes.approximate_receive_count or 1)
        retry = retry_later(queue_url, receives, record.receipt_handle)
        logger.warning(warning, extra={**ids, **retry, "error": str(exc)})
        raise
