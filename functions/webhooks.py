"""Vendor webhooks: AI interview results, authenticated by Standard Webhooks signatures."""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint, Rate

from functions.http import api_route, logger, ok
from shared.domain.vendors import VendorPayload
from shared.models.interview import WebhookReceipt
from shared.services.intake import Intake

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
def interview_results() -> Any:
    """An AI interview result from a vendor, signed with Standard Webhooks.

    200 stored / stale (kept in history) / duplicate; 202 parked for an application not known yet;
    401 for a missing or bad signature, 400/413 for a bad payload — and then nothing is stored."""
    request = bp.current_request
    raw = request.raw_body or b""
    body = raw.encode() if isinstance(raw, str) else raw
    receipt = Intake().receive(dict(request.headers), body)
    logger.info(
        "interview result",
        extra={"webhook_id": receipt.webhook_id, "outcome": receipt.outcome, "application_id": receipt.application_id},
    )
    answer = WebhookReceipt(
        status=receipt.outcome, webhook_id=receipt.webhook_id, application_id=receipt.application_id
    )
    return ok(answer, status=receipt.status_code)


@bp.schedule(Rate(10, unit=Rate.MINUTES), name="reconcile_parked_results")
def reconcile_parked_results(event: Any) -> dict[str, int]:
    """Attach parked results whose application appeared after them (a safety net for races)."""
    counts = Intake().reconcile()
    logger.info("parked results reconciled", extra=counts)
    return counts
