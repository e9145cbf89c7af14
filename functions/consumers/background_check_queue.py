"""BackgroundCheckQueue → ``background_check_worker``: an ordered check is submitted to the vendor,
with backoff while the vendor is down and a dead-letter queue after the retries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice.app import Blueprint, SQSEvent

from functions.batch import sqs_batch
from functions.consumers import vendor_backoff
from functions.observability import logger
from shared.domain.background import BackgroundVendor, VendorError
from shared.models.background import OrderMessage
from shared.services import wired
from shared.settings import get_settings
from shared.store.background_vendor import HttpBackgroundVendor

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

bp = Blueprint(__name__)

BACKGROUND_CHECK_QUEUE = "BackgroundCheckQueue"  # CloudFormation logical id (infra/template.json)


def vendor() -> BackgroundVendor:
    """The vendor adapter the consumer uses (tests replace this with a fake of the interface)."""
    return HttpBackgroundVendor.from_settings()


def handle(record: SQSRecord) -> None:
    message = OrderMessage.model_validate_json(record.body)
    refused = "vendor refused the order; retried later"
    url = get_settings().background_check_queue_url
    with vendor_backoff(record, VendorError, url, refused, check_id=message.check_id):
        outcome = wired.background_checks().submit(message, vendor())
    logger.info("background check order", extra={"check_id": message.check_id, "outcome": outcome})


@bp.on_sqs_message(queue=BACKGROUND_CHECK_QUEUE, batch_size=5, name="background_check_worker")
def background_check_worker(event: SQSEvent) -> dict[str, Any]:
    # A batch whose every order failed (the vendor is down) is reported per message too: each keeps
    # its own backoff instead of the whole batch coming back as a function error.
    return sqs_batch(event, handle, raise_on_entire_batch_failure=False)
