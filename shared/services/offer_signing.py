"""An offer after its approval: the e-signature and its callbacks, and the outbox of the messages
these changes send (``shared.services.offers`` is the whole lifecycle).

* ``send_for_signature`` (the ``EsignQueue`` consumer): the vendor adapter creates the envelope,
  the offer becomes ``sent``. Idempotent on the offer id: an offer that is no longer ``approved``
  is not sent again.
* ``receive``: the vendor's signed webhook. ``signed`` writes, in ONE transaction, the delivery
  record (conditional on a new ``webhook-id``), the offer ``signed``, the application
  ``offer → offer_signed`` and an outbox record of the ``OnboardingRequest``; then the message is
  sent and the outbox record removed. ``declined``: offer declined, application ``rejected``
  (the system transition ``TRANSITIONS`` allows). ``expired``: offer expired, the application stays
  at ``offer`` so HR can make a new one.
* ``reconcile``: scheduled; sends outbox records the queue refused earlier.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from aws_lambda_powertools import Logger

from shared import clock
from shared.domain import offers as rules
from shared.domain.json_input import parse_json_object
from shared.domain.stages import Stage, check_transition
from shared.errors import Conflict, NotFound, PayloadTooLarge, ServiceUnavailable, ValidationFailed, validated
from shared.models.application import Application
from shared.models.common import iso, utcnow
from shared.models.offer import EsignEvent, EsignReceipt, EsignRequest, Offer, OfferStatus
from shared.models.onboarding import OnboardingRequest
from shared.security.webhooks import body_digest, reused_id, verify
from shared.services import outbox
from shared.settings import get_settings
from shared.store import objects
from shared.store import queue as queues
from shared.store.audit import AuditEntry
from shared.store.esign import Envelope, EsignVendor
from shared.store.offers import OfferStore, Queue
from shared.store.queue import QueueRefused
from shared.store.repository import Repository

logger = Logger(child=True)
MAX_WEBHOOK_BYTES = 65_536
EVENT_STATUS = {"signed": OfferStatus.signed, "declined": OfferStatus.declined, "expired": OfferStatus.expired}

Sender = Callable[[Queue, list[str]], None]


def send_to_queue(queue: Queue, bodies: list[str]) -> None:
    settings = get_settings()
    queues.send_all(settings.esign_queue_url if queue == "esign" else settings.onboarding_queue_url, bodies)


def beijing_today() -> date:
    return clock.today()


def _event_time(raw: str) -> str:
    try:
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValidationFailed("occurred_at is not valid", [{"field": "occurred_at", "message": str(exc)}]) from exc
    if parsed.tzinfo is None:
        raise ValidationFailed("occurred_at is not valid", [{"field": "occurred_at", "message": "needs a time zone"}])
    return iso(parsed)


class OfferSigning:
    def __init__(
        self,
        repo: Repository | None = None,
        send: Sender = send_to_queue,
        today: Callable[[], date] = beijing_today,
    ) -> None:
        self.repo = repo or Repository()
        self.store = OfferStore(self.repo)
        self.send = send
        self.today = today

    # -- e-signature ------------------------------------------------------------------------------
    def send_for_signature(self, message: EsignRequest, vendor: EsignVendor) -> str:
        """Create the vendor envelope of an approved offer and mark it ``sent``. A vendor failure
        raises (the message is retried); an offer past ``approved`` is not sent again."""
        offer = self.store.get(message.application_id, message.offer_id)
        if offer is None:
            return "missing"
        if offer.status is not OfferStatus.approved:
            return f"already_{offer.status.value}"
        pdf = objects.get_document(offer.pdf_key) or rules.render_pdf(rules.letter(offer))
        envelope_id = vendor.send(
            Envelope(
                offer_id=offer.id,
                signer_name=offer.name,
                signer_email=offer.email,
                subject=f"录用通知书 Offer of Employment — {offer.title}",
                expires_on=offer.expires_on.isoformat(),
                document_name=f"offer-{offer.id}.pdf",
                document_pdf=pdf,
            )
        )
        now = iso(utcnow())
        after = offer.model_copy(
            update={
                "status": OfferStatus.sent,
                "envelope_id": envelope_id,
                "sent_at": now,
                "updated_at": now,
                "version": offer.version + 1,
            }
        )
        audit = AuditEntry(
            f"application:{offer.application_id}",
            "system",
            "offer.sent",
            {"offer_id": offer.id, "envelope_id": envelope_id},
        )
        try:
            self.store.transact(
                [self.store.offer_put(after, offer.version), self.store.audit_put(audit)], {0: "offer changed"}
            )
        except Conflict:
            return "raced"  # another delivery of the same message marked it first
        return "sent"

    def receive(
        self, headers: dict[str, str], body: bytes, secrets: Callable[[], list[tuple[str, str]]]
    ) -> EsignReceipt:
        if len(body) > MAX_WEBHOOK_BYTES:
            raise PayloadTooLarge(f"the body is {len(body)} bytes; the limit is {MAX_WEBHOOK_BYTES}")
        vendor_id, webhook_id = verify(headers, body, secrets())
        digest = body_digest(body)
        event = self._parse(body)
        occurred = _event_time(event.occurred_at)
        app_id = self.store.application_of(event.offer_id)
        offer = self.store.get(app_id, event.offer_id) if app_id else None
        if offer is None:
            raise NotFound(f"offer {event.offer_id} does not exist")
        target = EVENT_STATUS[event.type]

        def receipt(status: str, current: OfferStatus) -> EsignReceipt:
            return EsignReceipt.model_validate(
                {"status": status, "webhook_id": webhook_id, "offer_id": event.offer_id, "offer_status": current}
            )

        delivered = self.store.delivered(webhook_id)
        if delivered not in (None, "", digest):
            raise reused_id(vendor_id, webhook_id)
        if delivered is not None or offer.status is target:
            return receipt("duplicate", offer.status)  # a retried delivery, or the same news again
        if offer.status is OfferStatus.approved:
            raise ServiceUnavailable("the offer is still being sent for signature; retry", retry_after=5)
        if offer.status is not OfferStatus.sent:
            raise Conflict(
                f"offer {offer.id} is {offer.status.value}; it cannot become {target.value}",
                [{"status": offer.status.value}],
            )
        if offer.envelope_id != event.envelope_id:
            detail = {"field": "envelope_id", "message": "does not match the offer's envelope"}
            raise ValidationFailed("the envelope does not belong to this offer", [detail])
        app = self.repo.applications.require(offer.application_id)
        now = iso(utcnow())
        changes: dict[str, Any] = {"status": target, "updated_at": now, "version": offer.version + 1}
        changes["signed_at" if target is OfferStatus.signed else "closed_at"] = occurred
        after = offer.model_copy(update=changes)
        items = [
            self.store.delivery_put(webhook_id, offer.id, event.type, digest),
            self.store.offer_put(after, offer.version),
        ]
        onboarding: str | None = None
        next_stage = {OfferStatus.signed: Stage.offer_signed, OfferStatus.declined: Stage.rejected}.get(target)
        if next_stage is not None:
            check_transition(app.stage, next_stage, "system")
            app_after = app.model_copy(update={"stage": next_stage, "updated_at": now, "version": app.version + 1})
            items.append(self.repo.applications.put_op(app, app_after))
        if target is OfferStatus.signed:
            onboarding = self._onboarding(offer, app, occurred).model_dump_json()
            items.append(self.store.outbox_put("onboarding", offer.id, onboarding))
            items.append(self.repo.requisitions.filled_op(offer.requisition_id))
        audit = AuditEntry(
            f"application:{app.id}",
            "system",
            f"offer.{event.type}",
            {"offer_id": offer.id, "webhook_id": webhook_id, "envelope_id": event.envelope_id, "at": occurred},
        )
        items.append(self.store.audit_put(audit))
        if not self.store.transact_once(items):
            return receipt("duplicate", offer.status)
        if next_stage is not None:
            self.repo.applications.after_stage_change(app.id, next_stage)
        if onboarding is not None:
            self._flush("onboarding", offer.id, onboarding)
        return receipt("applied", target)

    @staticmethod
    def _parse(body: bytes) -> EsignEvent:
        return validated(EsignEvent, parse_json_object(body), "the e-signature event")

    @staticmethod
    def _onboarding(offer: Offer, app: Application, signed_at: str) -> OnboardingRequest:
        """The onboarding message of a signed offer: the offer's terms (each field of the message the
        offer has under the same name), the application and the time of signing."""
        own = {"offer_id", "application_id", "signed_at"}
        terms = offer.model_dump(include=set(OnboardingRequest.model_fields) - own)
        return OnboardingRequest(offer_id=offer.id, application_id=app.id, signed_at=signed_at, **terms)

    # -- the outbox -------------------------------------------------------------------------------
    def _flush(self, queue: Queue, offer_id: str, body: str) -> bool:
        """Send one message the transaction recorded; on success forget the record. A refusal keeps
        it for ``reconcile`` (the change itself is already stored)."""
        try:
            self.send(queue, [body])
        except (ServiceUnavailable, QueueRefused):
            logger.warning("queue refused a message; the reconciliation will send it", extra={"queue": queue})
            return False
        self.store.clear_outbox(queue, offer_id)
        return True

    def reconcile(self, limit: int = 100, min_age_seconds: int = outbox.OUTBOX_MIN_AGE_SECONDS) -> dict[str, int]:
        """Scheduled: send outbox records at least ``min_age_seconds`` old (younger ones are still
        being sent by the request that wrote them)."""
        return outbox.resend(
            lambda: self.store.outbox(limit),
            lambda item: self._flush(item["queue"], item["offer_id"], item["body"]),
            min_age_seconds,
        )
