"""EsignQueue → ``esign_worker``: an approved offer is sent to the e-signature vendor, with backoff
while the vendor is down and a dead-letter queue after the retries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice.app import Blueprint, SQSEvent

from functions.batch import sqs_batch
from functions.consumers import vendor_backoff
from functions.observability import logger
from shared.models.offer import EsignRequest
from shared.services.offers import Offers
from shared.settings import get_settings
from shared.store.esign import EsignUnavailable, EsignVendor, HttpEsignVendor

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

bp = Blueprint(__name__)

ESIGN_QUEUE = "EsignQueue"  # CloudFormation logical id (infra/template.json)


def esign_vendor() -> EsignVendor:
    """The configured vendor adapter (tests replace this function with a fake of the interface)."""
    settings = get_settings()
    return HttpEsignVendor(settings.esign_vendor_url, timeout=settings.esign_timeout_seconds)


def handle(record: SQSRecord) -> None:
    message = EsignRequest.model_validate_json(record.body)
    refused = "e-signature vendor refused the envelope; retried later"
    with vendor_backoff(record, EsignUnavailable, get_settings().esign_queue_url, refused, offer_id=message.offer_id):
        outcome = Offers().send_for_signature(message, esign_vendor())
    logger.info("offer for signature", extra={"offer_id": message.offer_id, "outcome": outcome})


@bp.on_sqs_message(queue=ESIGN_QUEUE, batch_size=5, name="esign_worker")
def esign_worker(event: SQSEvent) -> dict[str, Any]:
    return sqs_batch(event, handle)
