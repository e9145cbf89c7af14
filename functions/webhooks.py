"""Vendor webhooks: AI interview results, authenticated by Standard Webhooks signatures. A stored
result reaches its application through the table stream's consumer (``functions.consumers``)."""

from __future__ import annotations

from typing import Any

from functions.http import Call, logger, ok
from functions.observability import delivery, metric
from functions.verbs import Routes
from shared.domain.vendors import VendorPayload
from shared.models.interview import WebhookReceipt
from shared.services.intake import Intake

bp = Routes(__name__)


@bp.post("/webhooks/interview-results", public=True, body=VendorPayload, response=WebhookReceipt, extra_statuses=(202,))
def interview_results(call: Call[VendorPayload, None]) -> Any:
    """An AI interview result from a vendor, signed with Standard Webhooks.

    200 stored / duplicate; 202 parked for an applicant not imported yet; 401 for a missing or bad
    signature, 400/413 for a bad payload — and then nothing is stored. A stored result reaches the
    application (latest result, shortlist index, stage) through ``project_results``."""
    with delivery():
        receipt = Intake().receive(call.headers, call.raw_body)
    metric("Deliveries", receipt.outcome)
    logger.info(
        "interview result",
        extra={"webhook_id": receipt.webhook_id, "outcome": receipt.outcome, "application_id": receipt.application_id},
    )
    answer = WebhookReceipt(
        status=receipt.outcome, webhook_id=receipt.webhook_id, application_id=receipt.application_id
    )
    return ok(answer, status=202 if receipt.outcome == "parked" else 200)
