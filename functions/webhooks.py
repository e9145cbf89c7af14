"""Vendor webhooks: AI interview results, authenticated by Standard Webhooks signatures."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice.app import Blueprint, DynamoDBEvent, Rate

from functions.batch import stream_batch
from functions.http import Call, api_route, logger, ok
from shared.domain.vendors import VendorPayload
from shared.models.interview import WebhookReceipt
from shared.services.intake import SCORE_PREFIX, Intake

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

bp = Blueprint(__name__)


@api_route(
    bp,
    "/webhooks/interview-results",
    methods=["POST"],
    public=True,
    body=VendorPayload,
    response=WebhookReceipt,
    extra_statuses=(202,),
)
def interview_results(call: Call[VendorPayload, None]) -> Any:
    """An AI interview result from a vendor, signed with Standard Webhooks.

    200 stored / duplicate; 202 parked for an applicant not imported yet; 401 for a missing or bad
    signature, 400/413 for a bad payload — and then nothing is stored. A stored result reaches the
    application (latest result, shortlist index, stage) through ``project_results``."""
    receipt = Intake().receive(call.headers, call.raw_body)
    logger.info(
        "interview result",
        extra={"webhook_id": receipt.webhook_id, "outcome": receipt.outcome, "application_id": receipt.application_id},
    )
    answer = WebhookReceipt(
        status=receipt.outcome, webhook_id=receipt.webhook_id, application_id=receipt.application_id
    )
    return ok(answer, status=202 if receipt.outcome == "parked" else 200)


# The talent table's stream. Chalice needs an ARN at import time; the deployment package points the
# event source at the table's ``StreamArn`` (infra/package.py) and the local pump reads the table's
# stream (infra/local/pump.py).
TABLE_STREAM = "arn:aws:dynamodb:::table/TalentTable/stream/deployed"
# The event source mapping's filter (Lambda event filtering; also applied by the local pump): only
# history entries written for the first time reach the function.
NEW_RESULTS = {
    "eventName": ["INSERT"],
    "dynamodb": {"Keys": {"pk": {"S": [{"prefix": "APP#"}]}, "sk": {"S": [{"prefix": SCORE_PREFIX}]}}},
}
STREAM_FILTERS: dict[str, dict[str, Any]] = {"project_results": NEW_RESULTS}


@bp.on_dynamodb_record(stream_arn=TABLE_STREAM, batch_size=100, name="project_results")
def project_results(event: DynamoDBEvent) -> dict[str, Any]:
    """Apply new history entries to their applications; a failing record is retried by the stream
    (partial batch failures), and after the retries it goes to ``ResultProjectionDLQ``."""
    intake = Intake()
    applied: dict[str, int] = {}

    def handle(record: DynamoDBRecord) -> None:
        outcome = intake.apply(record.raw_event)
        if outcome:
            applied[outcome] = applied.get(outcome, 0) + 1

    response = stream_batch(event, handle)
    if applied:
        logger.info("interview results applied", extra=applied)
    return response


@bp.schedule(Rate(10, unit=Rate.MINUTES), name="reconcile_parked_results")
def reconcile_parked_results(event: Any) -> dict[str, int]:
    """Attach parked results whose application appeared after them (a safety net for races)."""
    counts = Intake().reconcile()
    logger.info("parked results reconciled", extra=counts)
    return counts
