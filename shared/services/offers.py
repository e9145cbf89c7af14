"""Offers: creation (after the readiness check), approval, e-signature and its callbacks.

* ``create``: ONE Query of the application's partition gives the application, its assessments
  and background checks (``shared.domain.readiness``) and earlier offers; the letter is rendered
  (HTML, PDF) into S3; then one transaction: the application moves ``background_check → offer``
  (conditional on its version), the offer and its lookup item are put (conditional on being new),
  with the audit record.
* ``decide``: one step of the requisition's approval chain. The last approval writes the offer
  ``approved`` together with an outbox record of the ``EsignRequest`` message, then sends it.
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
from shared.domain import headcount
from shared.domain import offers as rules
from shared.domain.json_input import parse_json_object
from shared.domain.readiness import offer_blockers
from shared.domain.stages import Stage, check_transition
from shared.errors import (
    Conflict,
    Forbidden,
    NotFound,
    PayloadTooLarge,
    ServiceUnavailable,
    ValidationFailed,
    found,
    validated,
)
from shared.models.application import Application
from shared.models.background import BackgroundCheck
from shared.models.common import iso, utcnow
from shared.models.offer import (
    CLOSED,
    ApprovalDecision,
    ApprovalRecord,
    DocumentLinks,
    EsignEvent,
    EsignReceipt,
    EsignRequest,
    Offer,
    OfferCreate,
    OfferStatus,
    OfferView,
)
from shared.models.onboarding import OnboardingRequest
from shared.models.requisition import Requisition
from shared.security.tokens import Principal
from shared.security.webhooks import body_digest, reused_id, verify
from shared.services import outbox
from shared.services.courses import Courses
from shared.services.offer_terms import development_path_for, new_offer, salary_for
from shared.settings import get_settings
from shared.store import objects
from shared.store import queue as queues
from shared.store.audit import AuditEntry
from shared.store.esign import Envelope, EsignVendor
from shared.store.offers import OFFER_PREFIX, OfferStore, Queue
from shared.store.queue import QueueRefused
from shared.store.repository import Repository

logger = Logger(child=True)
MAX_WEBHOOK_BYTES = 65_536
OFFERABLE = (Stage.background_check, Stage.offer)
EVENT_STATUS = {"signed": OfferStatus.signed, "declined": OfferStatus.declined, "expired": OfferStatus.expired}

Sender = Callable[[Queue, list[str]], None]


def send_to_queue(queue: Queue, bodies: list[str]) -> None:
    settings = get_settings()
    queues.send_all(settings.esign_queue_url if queue == "esign" else settings.onboarding_queue_url, bodies)


def beijing_today() -> date:
    return clock.today()


def view(offer: Offer, with_documents: bool = True) -> OfferView:
    links = None
    if with_documents:
        html_url, expires = objects.presign_download(offer.html_key)
        pdf_url, _ = objects.presign_download(offer.pdf_key)
        links = DocumentLinks(html_url=html_url, pdf_url=pdf_url, expires_in=expires)
    return OfferView.model_validate(offer.model_dump() | {"next_step": offer.next_step, "documents": links})


def _event_time(raw: str) -> str:
    try:
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValidationFailed("occurred_at is not valid", [{"field": "occurred_at", "message": str(exc)}]) from exc
    if parsed.tzinfo is None:
        raise ValidationFailed("occurred_at is not valid", [{"field": "occurred_at", "message": "needs a time zone"}])
    return iso(parsed)


class Offers:
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

    # -- creation ---------------------------------------------------------------------------------
    def create(self, application_id: str, who: Principal, body: OfferCreate, source_ip: str | None) -> Offer:
        items = self.repo.applications.partition(application_id)
        meta = next((i for i in items if i["sk"] == "META"), None)
        if meta is None:
            raise NotFound(f"application {application_id} does not exist")
        app = Application.model_validate(meta)
        if app.stage not in OFFERABLE:
            raise Conflict(
                f"an offer needs the application at background_check; it is at {app.stage.value}",
                [{"current_stage": app.stage.value, "allowed": [s.value for s in OFFERABLE]}],
            )
        blockers = offer_blockers(items)
        if blockers:
            raise Conflict(
                "the application is not ready for an offer",
                [{"code": b.code, "message": b.message, "ref": b.ref} for b in blockers],
            )
        standing = [
            Offer.model_validate(i)
            for i in items
            if str(i["sk"]).startswith(OFFER_PREFIX) and i.get("status") not in {s.value for s in CLOSED}
        ]
        if standing:
            raise Conflict(
                f"offer {standing[0].id} is {standing[0].status.value}; a new offer needs it expired, "
                "declined or rejected",
                [{"offer_id": o.id, "status": o.status.value} for o in standing],
            )
        req = self.repo.requisitions.require(app.requisition_id)
        self._within_headcount(app, req, body.headcount_override)
        problems = rules.date_problems(body.start_date, body.expires_on, self.today())
        if problems:
            raise ValidationFailed("the offer's dates are not valid", problems)
        checks = [BackgroundCheck.model_validate(i) for i in items if str(i["sk"]).startswith("BGC#")]
        salary = salary_for(req, app, checks, body.annual_salary)
        catalogue = Courses(self.repo).catalogue()
        path = development_path_for(req, app, checks, catalogue, body.start_date)
        offer = new_offer(app, req, body, salary, who.username, path)
        html_key, pdf_key, now = offer.html_key, offer.pdf_key, offer.created_at
        # Documents first: ids are fresh, so a failed transaction leaves only unreferenced objects.
        content = rules.letter(offer)
        objects.put_document(html_key, rules.render_html(content).encode(), "text/html; charset=utf-8")
        objects.put_document(pdf_key, rules.render_pdf(content), "application/pdf")
        if app.stage is Stage.background_check:
            check_transition(app.stage, Stage.offer, "hr")
        app_after = app.model_copy(update={"stage": Stage.offer, "updated_at": now, "version": app.version + 1})
        audit = AuditEntry(
            subject=f"application:{app.id}",
            actor=who.username,
            action="offer.create",
            details={
                "offer_id": offer.id,
                "from_stage": app.stage.value,
                "grade": offer.grade,
                "salary_source": salary.source,
                "approval_chain": [s.value for s in offer.approval_chain],
                **({"headcount_override": body.headcount_override} if body.headcount_override else {}),
            },
            source_ip=source_ip,
        )
        self.store.transact(
            [
                self.repo.applications.put_op(app, app_after),
                self.store.offer_put(offer, None),
                self.store.lookup_put(offer),
                self.store.audit_put(audit),
            ],
            {0: f"application {app.id} was changed by someone else; reload and retry"},
        )
        return offer

    def _within_headcount(self, app: Application, req: Requisition, override: str | None) -> None:
        """409 when the requisition is on hold or closed, or when its signed and outstanding offers
        already take the headcount and HR recorded no override."""
        outstanding = self.repo.applications.count_at(req.id, Stage.offer) - int(app.stage is Stage.offer)
        status = headcount.status_of(req.status, req.headcount, req.filled_count)
        refusal = headcount.offer_refusal(status, req.headcount, req.filled_count, outstanding, override)
        if refusal:
            raise Conflict(*refusal)

    # -- reads ------------------------------------------------------------------------------------
    def require(self, application_id: str, offer_id: str) -> Offer:
        return found(self.store.get(application_id, offer_id), f"offer {offer_id} of application {application_id}")

    # -- approval ---------------------------------------------------------------------------------
    def decide(
        self, app: Application, offer_id: str, who: Principal, body: ApprovalDecision, source_ip: str | None
    ) -> Offer:
        offer = self.require(app.id, offer_id)
        step = offer.next_step
        if step is None:
            raise Conflict(
                f"offer {offer.id} is {offer.status.value}; no approval is waiting",
                [{"status": offer.status.value}],
            )
        refused = rules.refusal(
            step, rules.Approver(who.username, tuple(who.roles), who.department), offer.department, offer.created_by
        )
        if refused:
            raise Forbidden(refused)
        if body.version is not None and body.version != offer.version:
            raise Conflict(
                f"offer {offer.id} is at version {offer.version}, not {body.version}",
                [{"field": "version", "message": f"the current version is {offer.version}"}],
            )
        now = iso(utcnow())
        approvals = [
            *offer.approvals,
            ApprovalRecord(step=step, decision=body.decision, by=who.username, at=now, comment=body.comment),
        ]
        changes: dict[str, Any] = {"approvals": approvals, "updated_at": now, "version": offer.version + 1}
        if body.decision == "reject":
            changes |= {"status": OfferStatus.rejected, "closed_at": now}
        elif len(approvals) == len(offer.approval_chain):
            changes["status"] = OfferStatus.approved
        after = offer.model_copy(update=changes)
        audit = AuditEntry(
            subject=f"application:{app.id}",
            actor=who.username,
            action=f"offer.{body.decision}",
            details={"offer_id": offer.id, "step": step.value, "status": after.status.value},
            source_ip=source_ip,
        )
        items = [self.store.offer_put(after, offer.version), self.store.audit_put(audit)]
        message = EsignRequest(offer_id=offer.id, application_id=app.id).model_dump_json()
        if after.status is OfferStatus.approved:
            items.append(self.store.outbox_put("esign", offer.id, message))
        self.store.transact(items, {0: f"offer {offer.id} was changed by someone else; reload and retry"})
        if after.status is OfferStatus.approved:
            self._flush("esign", offer.id, message)
        return after

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
            raise ValidationFailed(
                "the envelope does not belong to this offer",
                [{"field": "envelope_id", "message": "does not match the offer's envelope"}],
            )
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

    def _onboarding(self, offer: Offer, app: Application, signed_at: str) -> OnboardingRequest:
        return OnboardingRequest(
            offer_id=offer.id,
            application_id=app.id,
            requisition_id=offer.requisition_id,
            name=offer.name,
            email=offer.email,
            department=offer.department,
            role_family=offer.role_family,
            title=offer.title,
            grade=offer.grade,
            start_date=offer.start_date,
            signed_at=signed_at,
            documents_to_bring=offer.documents_to_bring,
        )

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
