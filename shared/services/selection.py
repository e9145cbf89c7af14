"""Stage transitions (single and bulk), the top-N shortlist and second-interview invitations."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from typing import Any

from shared import clock
from shared.clock import BANK_TIME
from shared.domain import gates, headcount, notices
from shared.domain.onboarding_mail import render as render_mail
from shared.domain.shortlist import below_bar, shortlist_size
from shared.domain.stages import Stage, allowed_from, check_transition
from shared.errors import Conflict, DomainError, Forbidden, NotFound, ServiceUnavailable
from shared.models.application import Application
from shared.models.common import iso, new_id, utcnow
from shared.models.interview import AiResult
from shared.models.requisition import Requisition
from shared.models.selection import (
    BulkItem,
    Invitation,
    ShortlistConfirm,
    ShortlistConfirmation,
    ShortlistEntry,
    ShortlistProposal,
    TransitionResult,
)
from shared.security.fields import reveal
from shared.services.interviewers import Interviewers
from shared.services.rejections import Rejections
from shared.store import mail, objects
from shared.store.audit import AuditEntry
from shared.store.repository import Repository

WORKERS = 8
SHORTLISTABLE = (Stage.screened, Stage.ai_interviewed)


def proposal_key(requisition_id: str, proposal_id: str) -> str:
    return f"shortlists/{requisition_id}/{proposal_id}.json"


def count(results: list[TransitionResult]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for r in results:
        counts[r.outcome] = counts.get(r.outcome, 0) + 1
    return counts


def beijing_today() -> date:
    return clock.today()


class Selection:
    def __init__(
        self,
        repo: Repository | None = None,
        send: Callable[[list[str]], None] | None = None,
        today: Callable[[], date] = beijing_today,
    ) -> None:
        self.repo = repo or Repository()
        self.send = send or (lambda bodies: None)
        self.today = today

    # -- transitions -------------------------------------------------------------------------
    def transition(
        self,
        application_id: str,
        to: Stage,
        reason: str,
        actor: str,
        role: str,
        expected_version: int | None = None,
        requisition_id: str | None = None,
        details: dict[str, str] | None = None,
    ) -> TransitionResult:
        """One conditional write (on the version read) with its audit record; never raises for the
        outcome of a person, so bulk moves can report every item. A move with a gate
        (``shared.domain.gates``: evaluated, offer, hired) reads the application's partition for its
        evidence and is a conflict naming what is ``missing``."""
        items: list[dict[str, Any]] = []
        if to in gates.NEEDS:
            items = self.repo.applications.partition(application_id)
            meta = next((i for i in items if i["sk"] == "META"), None)
            app = Application.model_validate(meta) if meta else None
        else:
            app = self.repo.applications.get(application_id)
        if app is None or (requisition_id and app.requisition_id != requisition_id):
            return TransitionResult(application_id=application_id, outcome="not_found", message="no such application")
        if expected_version is not None and expected_version != app.version:
            return TransitionResult(
                application_id=app.id,
                outcome="conflict",
                stage=app.stage,
                version=app.version,
                message=f"the application is at version {app.version}, not {expected_version}",
            )
        try:
            check_transition(app.stage, to, role)
            lacking = gates.missing(to, items, self.today()) if to in gates.NEEDS else []
            if lacking:
                return TransitionResult(
                    application_id=app.id,
                    outcome="conflict",
                    stage=app.stage,
                    version=app.version,
                    message=f"moving to {to.value} needs {gates.NEEDS[to]}: " + "; ".join(m.message for m in lacking),
                    allowed=allowed_from(app.stage),
                    missing=gates.details(lacking),
                )
            after = app.next_version(iso(utcnow()), stage=to)
            audit = AuditEntry(
                subject=f"application:{app.id}",
                actor=actor,
                action="stage.transition",
                details={"from": app.stage.value, "to": to.value, "reason": reason, **(details or {})},
            )
            # HR's rejection records its notice in the same transaction (the system's moves tell no one)
            notice = Rejections(self.repo).pending(app.id, role, after.updated_at) if to is Stage.rejected else []
            self.repo.applications.update(app, after, audit, notice)
        except ServiceUnavailable:
            raise  # the archive refused the write after its retries: busy, not a conflict
        except DomainError as exc:
            return TransitionResult(
                application_id=app.id,
                outcome="forbidden" if isinstance(exc, Forbidden) else "conflict",
                stage=app.stage,
                version=app.version,
                message=exc.message,
                allowed=allowed_from(app.stage),
            )
        self.repo.applications.after_stage_change(app.id, to)
        if to is Stage.rejected:  # HR's decision is told to the applicant: queued now, or by the safety net
            Rejections(self.repo, self.send).queue([app.id], role)
        return TransitionResult(application_id=app.id, outcome="moved", stage=to, version=after.version)

    def bulk(
        self, req: Requisition, items: list[BulkItem], reason: str, actor: str, role: str
    ) -> list[TransitionResult]:
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            return list(
                pool.map(
                    lambda i: self.transition(i.application_id, i.to, reason, actor, role, i.expected_version, req.id),
                    items,
                )
            )

    # -- shortlist -----------------------------------------------------------------------------
    def propose(self, requisition_id: str, actor: str) -> ShortlistProposal:
        """The top ceil(ratio × scored) by weighted score: one descending Query on the score index
        that reads exactly that many items (people who left the pool are not in the index)."""
        req = self.repo.requisitions.require(requisition_id)
        scored = self.repo.requisitions.scored_count(req.id)
        size = shortlist_size(req.shortlist_ratio, scored)
        top = self.repo.applications.top_scored(req.id, size)
        entries = []
        for rank, app in enumerate(top, start=1):
            ai: AiResult = app.ai  # type: ignore[assignment]  # every item of the score index has one
            entries.append(
                ShortlistEntry(
                    rank=rank,
                    application_id=app.id,
                    name=app.name,
                    stage=app.stage,
                    weighted_score=ai.weighted_score,
                    below_bar=below_bar(ai.dimension_scores, req.competency_bar),
                    eligible=app.stage in SHORTLISTABLE,
                )
            )
        proposal = ShortlistProposal(
            requisition_id=req.id,
            proposal_id=new_id(),
            ratio=req.shortlist_ratio,
            scored=scored,
            size=size,
            items_read=len(top),
            entries=entries,
            proposed_at=iso(utcnow()),
            proposed_by=actor,
        )
        # a proposal for a big event (15,000 of 50,000) is larger than a DynamoDB item may be: S3
        objects.put_document(proposal_key(req.id, proposal.proposal_id), proposal.model_dump_json().encode())
        self.repo.audit.put(
            AuditEntry(
                subject=f"requisition:{req.id}",
                actor=actor,
                action="shortlist.propose",
                details={"proposal_id": proposal.proposal_id, "size": size, "scored": scored},
            )
        )
        return proposal

    def confirm(self, requisition_id: str, body: ShortlistConfirm, actor: str, role: str) -> ShortlistConfirmation:
        """HR's decision: move the confirmed people to ``shortlisted`` and queue one invitation each.
        Confirming again re-queues invitations for everyone already shortlisted by this proposal;
        the invitation worker sends each e-mail once."""
        req = self.repo.requisitions.require(requisition_id)
        status = headcount.status_of(req.status, req.headcount, req.filled_count)
        if not headcount.inviting(status):
            raise Conflict(
                f"requisition {req.id} is {status.value}; it invites nobody to a second interview",
                [{"status": status.value, "headcount": req.headcount, "filled_count": req.filled_count}],
            )
        stored = objects.get_document(proposal_key(req.id, body.proposal_id))
        if stored is None:
            raise NotFound(f"shortlist proposal {body.proposal_id} does not exist for requisition {req.id}")
        proposal = ShortlistProposal.model_validate_json(stored)
        ids = body.application_ids
        if ids is None:
            ids = [e.application_id for e in proposal.entries if e.eligible]
        if len(set(ids)) != len(ids):
            raise Conflict("an application appears twice in the confirmed list")
        interviewers = Interviewers(self.repo)
        people = body.interview.interviewers
        if people:  # refuse before anyone moves when the slots cannot go round
            free = interviewers.free_slots(people) + interviewers.booked_for(people, ids)
            if free < len(ids):
                raise Conflict(
                    f"not enough interview slots: {len(ids)} to invite, {free} free slots of {', '.join(people)}; "
                    "HR enters more availability first",
                    [{"field": "interview.interviewers", "needed": len(ids), "free": free}],
                )
        details = {"proposal_id": proposal.proposal_id}
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            results = list(
                pool.map(
                    lambda app_id: self.transition(
                        app_id, Stage.shortlisted, "shortlist confirmed", actor, role, None, req.id, details
                    ),
                    ids,
                )
            )
        invite = [
            r.application_id
            for r in results
            if r.outcome == "moved" or (r.outcome == "conflict" and r.stage is Stage.shortlisted)
        ]
        slots: dict[str, tuple[str, int, str | None]]
        if people:
            booked = interviewers.book(people, invite, actor)
            slots = {a: (b.starts_at, b.minutes, b.interviewer) for a, b in booked.items()}
        else:
            assert body.interview.starts_at is not None
            slots = dict.fromkeys(invite, (body.interview.starts_at.isoformat(), 60, None))
        messages = [
            Invitation(
                application_id=app_id,
                proposal_id=proposal.proposal_id,
                starts_at=slots[app_id][0],
                minutes=slots[app_id][1],
                interviewer=slots[app_id][2],
                place=body.interview.place,
                note=body.interview.note,
            ).model_dump_json()
            for app_id in invite
        ]
        self.send(messages)
        return ShortlistConfirmation(
            requisition_id=req.id,
            proposal_id=proposal.proposal_id,
            results=results,
            counts=count(results),
            invitations_queued=len(messages),
        )

    # -- invitations -------------------------------------------------------------------------------
    def send_invitation(self, msg: Invitation) -> str:
        """E-mail one invitation. A marker in the application's partition makes it once per proposal:
        ``sending`` before SES is called, ``sent`` after; a redelivered message finds ``sent`` and
        stops (a crash between the two sends again: at least once, never silently lost). A requisition
        that stopped inviting meanwhile (filled, on hold, closed) sends nothing."""
        applications = self.repo.applications
        marker = applications.invitation(msg.application_id, msg.proposal_id)
        if marker and marker.get("status") == "sent":
            return "already_sent"
        app = applications.require(msg.application_id)
        req = self.repo.requisitions.require(app.requisition_id)
        status = headcount.status_of(req.status, req.headcount, req.filled_count)
        if not headcount.inviting(status):
            return f"requisition_{status.value}"
        subject, text, body_html = invitation_text(app, req, msg)
        applications.mark_invitation(msg.application_id, msg.proposal_id, {"status": "sending", "at": iso(utcnow())})
        starts = datetime.fromisoformat(msg.starts_at.replace("Z", "+00:00"))
        uid = f"{msg.application_id}.{msg.proposal_id}@talent-lifecycle"  # a resent invitation updates the entry
        ics = notices.interview_ics(uid, starts, msg.minutes, req.title, msg.place, utcnow())
        message_id = mail.send_with_calendar(reveal(app.email, "email"), subject, text, body_html, "interview.ics", ics)
        sent = {"status": "sent", "at": iso(utcnow()), "ses_message_id": message_id}
        applications.mark_invitation(
            msg.application_id, msg.proposal_id, sent | {"starts_at": msg.starts_at, "place": msg.place}
        )
        return "sent"


def invitation_text(app: Application, req: Requisition, msg: Invitation) -> tuple[str, str, str]:
    starts = datetime.fromisoformat(msg.starts_at.replace("Z", "+00:00")).astimezone(BANK_TIME)
    when_zh = f"{starts.year}年{starts.month}月{starts.day}日 {starts:%H:%M}（北京时间）"
    when_en = f"{starts:%Y-%m-%d %H:%M} (Beijing time)"
    subject = f"复试邀请：{req.title} / Second interview invitation"
    lines = [
        f"{app.name}，您好：",
        f"感谢您应聘“{req.title}”。您已通过初步评估，诚邀您参加现场复试。",
        f"时间：{when_zh}，约{msg.minutes}分钟（日历邀请见附件 interview.ics）",
        f"地点：{msg.place}",
        *([f"备注：{msg.note}"] if msg.note else []),
        "请携带身份证原件及学历证明。如需改期，请回复本邮件。",
        "",
        f"Dear {app.name},",
        f"Thank you for applying for \u201c{req.title}\u201d. You are invited to an on-site second interview.",
        f"Time: {when_en}, about {msg.minutes} minutes (calendar entry attached: interview.ics)",
        f"Place: {msg.place}",
        *([f"Note: {msg.note}"] if msg.note else []),
        "Please bring your ID card and your diploma. Reply to this e-mail to reschedule.",
    ]
    return render_mail(subject, lines)
