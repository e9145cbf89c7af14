"""Offers: creation (after the readiness check), approval, e-signature and its callbacks.

* ``create``: ONE Query of the application's partition gives the application, its assessments
  and background checks (``shared.domain.readiness``) and earlier offers; the letter is rendered
  (HTML, PDF) into S3; then one transaction: the application moves ``background_check → offer``
  (conditional on its version), the offer and its lookup item are put (conditional on being new),
  with the audit record.
* ``decide``: one step of the requisition's approval chain. The last approval writes the offer
  ``approved`` together with an outbox record of the ``EsignRequest`` message, then sends it.
* The e-signature, its callbacks and the outbox: ``shared.services.offer_signing``.
"""

from __future__ import annotations

from typing import Any

from shared.domain import headcount
from shared.domain import offers as rules
from shared.domain.readiness import offer_blockers
from shared.domain.stages import Stage, check_transition
from shared.errors import Conflict, Forbidden, NotFound, ValidationFailed, found
from shared.models.application import Application
from shared.models.background import BackgroundCheck
from shared.models.common import iso, utcnow
from shared.models.offer import (
    CLOSED,
    ApprovalDecision,
    ApprovalRecord,
    DocumentLinks,
    EsignRequest,
    Offer,
    OfferCreate,
    OfferStatus,
    OfferView,
)
from shared.models.requisition import Requisition
from shared.security.tokens import Principal
from shared.services.courses import Courses
from shared.services.offer_signing import OfferSigning, beijing_today
from shared.services.offer_terms import development_path_for, new_offer, salary_for
from shared.store import objects
from shared.store.audit import AuditEntry
from shared.store.offers import OFFER_PREFIX

__all__ = ["Offers", "beijing_today", "view"]  # beijing_today: what the simulation reads here

OFFERABLE = (Stage.background_check, Stage.offer)


def view(offer: Offer, with_documents: bool = True) -> OfferView:
    links = None
    if with_documents:
        html_url, expires = objects.presign_download(offer.html_key)
        pdf_url, _ = objects.presign_download(offer.pdf_key)
        links = DocumentLinks(html_url=html_url, pdf_url=pdf_url, expires_in=expires)
    return OfferView.model_validate(offer.model_dump() | {"next_step": offer.next_step, "documents": links})


class Offers(OfferSigning):
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
                self.repo.requisitions.offer_claim_op(req.id, req.offers_made),
            ],
            {
                0: f"application {app.id} was changed by someone else; reload and retry",
                4: f"another offer of requisition {req.id} was made at the same time; retry (headcount)",
            },
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
