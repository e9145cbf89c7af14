"""Offers: create (hr), read (hr; the department's managers), approve, and the e-signature vendor's
webhook. The e-signature queue's consumer and the outbox reconciliation are in ``functions.consumers``."""

from __future__ import annotations

from typing import Any

from functions.http import Call, logger, ok
from functions.idempotency import idempotent
from functions.observability import delivery, metric
from functions.verbs import Routes
from shared.models.offer import (
    ApprovalDecision,
    EsignEvent,
    EsignReceipt,
    OfferCreate,
    OfferList,
    OfferView,
)
from shared.security.policy import Action, authorize
from shared.security.vendor_keys import esign_secrets
from shared.services.access import authorized_application
from shared.services.offers import Offers, view
from shared.store.repository import Repository

bp = Routes(__name__)


@bp.post("/applications/{application_id}/offers", body=OfferCreate, response=OfferView, status=201)
def create_offer(call: Call[OfferCreate, None], application_id: str) -> Any:
    """Make a personalised offer (hr; ``Idempotency-Key`` accepted).

    409 with every reason (``details``: code, message, ref) until the latest background check is
    completed ``clear`` and no supplementary assessment is pending; 409 unless the application is
    at ``background_check`` (or at ``offer`` after an expired, declined or rejected offer). The
    salary must lie within the requisition's band (400 naming ``annual_salary``); without one it is
    proposed from the band and the weighted AI score (``salary_basis`` says how). The letter is
    rendered to HTML and PDF; the application moves to ``offer``; approval starts."""
    authorize(call.who, Action.offer_create)
    body = call.body

    def create() -> dict[str, Any]:
        offer = Offers().create(application_id, call.who, body, call.source_ip)
        return view(offer, with_documents=False).model_dump(mode="json")

    created = idempotent(call, f"offers.create.{application_id}", body, create)
    offer = Offers().require(application_id, created["id"])
    return ok(view(offer), status=201)


@bp.get("/applications/{application_id}/offers", response=OfferList)
def list_offers(call: Call, application_id: str) -> Any:
    """The application's offers, newest first, each with presigned links (≤ 300 s) to its letter."""
    repo = Repository()
    authorized_application(call.who, Action.offer_read, application_id, repo)
    offers = Offers(repo).store.offers(application_id)
    return ok(OfferList(items=[view(o) for o in offers]))


@bp.get("/applications/{application_id}/offers/{offer_id}", response=OfferView)
def get_offer(call: Call, application_id: str, offer_id: str) -> Any:
    """One offer with its approvals and presigned links (≤ 300 s) to the HTML and PDF letter."""
    repo = Repository()
    authorized_application(call.who, Action.offer_read, application_id, repo)
    offer = Offers(repo).require(application_id, offer_id)
    return ok(view(offer))


@bp.post("/applications/{application_id}/offers/{offer_id}/approvals", body=ApprovalDecision, response=OfferView)
def decide_offer(call: Call[ApprovalDecision, None], application_id: str, offer_id: str) -> Any:
    """Approve or reject the offer's waiting approval step.

    ``department_manager``: a manager of the application's department (another department's
    manager 403; HR 403). ``hr_director``: HR, but not the person who made the offer. The last
    approval queues the offer for e-signature; a rejection closes it (HR may make a new one)."""
    repo = Repository()
    app = authorized_application(call.who, Action.offer_approve, application_id, repo)
    offer = Offers(repo).decide(app, offer_id, call.who, call.body, call.source_ip)
    return ok(view(offer))


@bp.post("/webhooks/esign", public=True, body=EsignEvent, response=EsignReceipt)
def esign_webhook(call: Call[EsignEvent, None]) -> Any:
    """The e-signature vendor's report (Standard Webhooks signature): ``signed``, ``declined`` or
    ``expired``, with ``offer_id``, ``envelope_id`` and ``occurred_at``.

    200 applied or duplicate (a repeated ``webhook-id`` or the same news again: nothing changes);
    401 bad signature; 400 naming the field; 404 unknown offer; 503 + Retry-After when the offer is
    still being sent. ``signed`` moves the application to ``offer_signed`` and queues exactly one
    onboarding message; ``declined`` rejects the application; ``expired`` leaves it at ``offer``."""
    with delivery():
        receipt = Offers().receive(call.headers, call.raw_body, esign_secrets)
    metric("Deliveries", "stored" if receipt.status == "applied" else "duplicate")
    if receipt.status == "applied" and receipt.offer_status == "signed":
        metric("OffersSigned")
    logger.info("esign event", extra={"webhook_id": receipt.webhook_id, "status": receipt.status})
    return ok(receipt)
