"""Background checks: HR orders them, the vendor's signed webhook brings the results, HR may review
them. The queue's consumer (``functions.consumers``) sends the orders to the vendor with backoff and a
dead-letter queue."""

from __future__ import annotations

from typing import Any

from functions.http import Call, logger, ok
from functions.idempotency import created
from functions.observability import delivery, metric
from functions.verbs import Routes
from shared.models.background import (
    BackgroundCheckList,
    BackgroundCheckOrder,
    BackgroundCheckView,
    BackgroundResultPayload,
    BackgroundReview,
    BackgroundWebhookReceipt,
    view,
)
from shared.security.policy import Action, authorize
from shared.services import wired
from shared.services.access import authorized_application
from shared.services.background_checks import newest_first

bp = Routes(__name__)
CHECKS = "/applications/{application_id}/background-checks"


@bp.post(CHECKS, body=BackgroundCheckOrder, response=BackgroundCheckView, status=201)
def order_background_check(call: Call[BackgroundCheckOrder, None], application_id: str) -> Any:
    """Order a background check (hr): education, employment and/or credit, with the consent reference.

    At ``evaluated`` the application moves to ``background_check`` in the same transaction as the
    check and its audit record; at ``background_check`` a new check may be ordered after a failed or
    ``consider`` one; otherwise 409 naming the stage. The order reaches the vendor through a queue
    (status ``ordered`` → ``submitted``). ``Idempotency-Key`` makes a retry return the same check."""
    who = call.who
    authorize(who, Action.background_check_order)
    body = call.body
    service = wired.background_checks()
    app = authorized_application(who, Action.background_check_order, application_id)

    def make() -> BackgroundCheckView:
        return view(service.order(app, body, who.username, who.primary_role, call.source_ip))

    return created(call, f"background_checks.order.{app.id}", body, make)


@bp.get(CHECKS, response=BackgroundCheckList)
def list_background_checks(call: Call, application_id: str) -> Any:
    """The application's background checks, newest first, with the confidence in each AI score
    (hr; managers of the application's department — read only)."""
    service = wired.background_checks()
    app = authorized_application(call.who, Action.background_check_read, application_id)
    checks = service.store.checks(app.id)
    return ok(
        BackgroundCheckList(
            application_id=app.id,
            stage=app.stage.value,
            items=[view(c) for c in newest_first(checks)],
            confidence=service.confidence(app, checks),
        )
    )


@bp.post(CHECKS + "/{check_id}/review", body=BackgroundReview, response=BackgroundCheckView)
def review_background_check(call: Call[BackgroundReview, None], application_id: str, check_id: str) -> Any:
    """Set the outcome of a completed check after reviewing it (hr; a reason is required), e.g.
    ``clear`` once a discrepancy is explained. Recorded in the check's history and the audit trail;
    409 unless the check is completed (and, with ``version``, unchanged)."""
    authorize(call.who, Action.background_check_review)
    body = call.body
    service = wired.background_checks()
    app = authorized_application(call.who, Action.background_check_review, application_id)
    check = service.review(app, check_id, body, call.who.username, call.source_ip)
    return ok(view(check))


@bp.post("/webhooks/background-checks", public=True, body=BackgroundResultPayload, response=BackgroundWebhookReceipt)
def background_check_results(call: Call[BackgroundResultPayload, None]) -> Any:
    """A background-check result from the vendor, signed with Standard Webhooks.

    200 ``completed`` / ``failed`` (stored), ``duplicate`` (same ``webhook-id``: nothing changes) or
    ``ignored`` (the check already has a result: it stands). 401 bad signature, 400 naming the field,
    404 for a check we never ordered, 413 above 5 MB — and then nothing is stored."""
    with delivery():
        receipt = wired.background_checks().receive(call.headers, call.raw_body)
    # a result for a check that already has one stands alone: counted as a duplicate delivery
    metric("Deliveries", "stored" if receipt.status in ("completed", "failed") else "duplicate")
    logger.info("background check result", extra={"webhook_id": receipt.webhook_id, "outcome": receipt.status})
    return ok(BackgroundWebhookReceipt(status=receipt.status, webhook_id=receipt.webhook_id, check_id=receipt.check_id))
