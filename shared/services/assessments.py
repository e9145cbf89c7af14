"""Supplementary assessments (补充测评): requests, HR's decisions, results, views and the e-mail that
tells the requester of the decision."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from aws_lambda_powertools import Logger

from shared.domain import assessments as rules
from shared.domain.onboarding_mail import render as render_mail
from shared.errors import Conflict, NotFound, ServiceUnavailable, ValidationFailed
from shared.models.application import Application
from shared.models.assessment import (
    AssessmentDecision,
    AssessmentDecisionSubmit,
    AssessmentInfo,
    AssessmentNotice,
    AssessmentRequest,
    AssessmentRequestCreate,
    AssessmentRequested,
    AssessmentResult,
    AssessmentResultSubmit,
    AssessmentStatus,
    AssessmentView,
    InterviewerAssessmentView,
    ManagerAssessmentView,
)
from shared.models.common import iso, new_id, utcnow
from shared.security.policy import Scope
from shared.security.tokens import Principal
from shared.services import outbox
from shared.store import directory, mail
from shared.store.assessments import AssessmentStore
from shared.store.audit import AuditEntry
from shared.store.queue import QueueRefused
from shared.store.repository import Repository

REQUESTED = "#requested"  # HR's notice of a request: its outbox and marker keys follow the request id
logger = Logger(child=True)


def view(req: AssessmentRequest, scope: Scope) -> AssessmentView | ManagerAssessmentView | InterviewerAssessmentView:
    """The request as the caller's widest scope may see it (hr ⊃ manager ⊃ interviewer)."""
    data = req.model_dump()
    if scope is Scope.assigned:
        return InterviewerAssessmentView.model_validate(data)
    if scope is Scope.department:
        return ManagerAssessmentView.model_validate(data)
    return AssessmentView.model_validate(data)


class Assessments:
    def __init__(
        self,
        repo: Repository | None = None,
        send: Callable[[list[str]], None] | None = None,
        people: Callable[[str, str | None], list[str]] | None = None,
    ) -> None:
        self.repo = repo or Repository()
        self.store = AssessmentStore(self.repo)
        self.send = send or (lambda bodies: None)
        self.people = people or directory.emails  # the one directory every mail is addressed from

    def get(self, application_id: str, request_id: str) -> AssessmentRequest:
        return self._require(application_id, request_id)[0]

    def page(self, application_id: str, limit: int, token: str | None) -> tuple[list[AssessmentRequest], str | None]:
        """One page of the application's requests, oldest first."""
        page = self.store.page(application_id, limit, token)
        requests = [AssessmentRequest.model_validate(i) for i in page.items]
        return sorted(requests, key=lambda r: (r.requested_at, r.request_id)), page.next_token

    def _require(self, application_id: str, request_id: str) -> tuple[AssessmentRequest, str]:
        found = self.store.get(application_id, request_id)
        if found is None:
            raise NotFound(f"supplementary assessment {request_id} of application {application_id} does not exist")
        return found

    # -- request -------------------------------------------------------------------------------------
    def request(
        self, app: Application, who: Principal, body: AssessmentRequestCreate, source_ip: str | None
    ) -> AssessmentRequest:
        """A manager (or HR) asks for an assessment. Only at second_interview or evaluated; at most one
        open (requested or approved) request per assessment name and application."""
        rules.check_requestable(app.stage)
        now = iso(utcnow())
        role: Literal["hr", "manager"] = "hr" if "hr" in who.roles else "manager"
        req = AssessmentRequest(
            request_id=new_id(),
            application_id=app.id,
            department=app.department,
            assessment=AssessmentInfo.model_validate(body.assessment.model_dump()),
            reason=body.reason,
            status=AssessmentStatus.requested,
            requested_by=who.username,
            requested_by_role=role,
            requester_email=who.email,
            requested_at=now,
            stage_at_request=app.stage,
            version=1,
            updated_at=now,
        )
        audit = AuditEntry(
            subject=f"application:{app.id}",
            actor=who.username,
            action="assessment.request",
            details={"request_id": req.request_id, "name": req.assessment.name, "reason": req.reason},
            source_ip=source_ip,
        )
        # a manager's request is told to HR: its queue message is written with it (outbox), then queued
        notice = None
        if role == "manager":
            message = AssessmentRequested(application_id=app.id, request_id=req.request_id).model_dump_json()
            notice = (f"{req.request_id}{REQUESTED}", message)
        try:
            self.store.create(
                req, rules.name_key(req.assessment.name), tuple(s.value for s in rules.REQUESTABLE), audit, notice
            )
        except Conflict as exc:
            if "changed stage" in exc.message:  # the stage moved between our read and the write: name it
                rules.check_requestable(self.repo.applications.require(app.id).stage)
            raise
        if notice is not None:
            try:
                self.send([notice[1]])
                self.store.clear_outbox(app.id, notice[0])
            except (ServiceUnavailable, QueueRefused):
                logger.warning("queue refused a request notice; the reconciliation will send it")
        return req

    # -- decision ------------------------------------------------------------------------------------
    def decide(
        self, application_id: str, request_id: str, actor: str, body: AssessmentDecisionSubmit, source_ip: str | None
    ) -> tuple[AssessmentRequest, Application]:
        """HR approves (the application moves to ``supplementary_assessment`` in the same transaction)
        or declines (no stage change). Only a ``requested`` request can be decided."""
        before, name_key = self._require(application_id, request_id)
        app = self.repo.applications.require(application_id)
        if before.status is not AssessmentStatus.requested:
            raise Conflict(
                f"supplementary assessment {request_id} is already {before.status.value}",
                [{"request_id": request_id, "status": before.status.value}],
            )
        now = iso(utcnow())
        after = before.model_copy(
            update={
                "status": AssessmentStatus.approved if body.decision == "approve" else AssessmentStatus.declined,
                "decision": AssessmentDecision(
                    decision=body.decision, reason=body.reason, decided_by=actor, decided_at=now
                ),
                "version": before.version + 1,
                "updated_at": now,
            }
        )
        details: dict[str, object] = {"request_id": request_id, "decision": body.decision, "reason": body.reason}
        if body.decision == "decline":
            audit = AuditEntry(f"application:{application_id}", actor, "assessment.decline", details, source_ip)
            self.store.change(before, after, name_key, audit, release_name=True, notice=self.notice_for(after))
            return after, app
        stage = rules.stage_after_approval(app.stage)
        app_after = app.next_version(now, stage=stage)
        details |= {"from": app.stage.value, "to": stage.value}
        audit = AuditEntry(f"application:{application_id}", actor, "assessment.approve", details, source_ip)
        self.store.change(before, after, name_key, audit, app, app_after, notice=self.notice_for(after))
        return after, app_after

    # -- result --------------------------------------------------------------------------------------
    def record_result(
        self, application_id: str, request_id: str, actor: str, body: AssessmentResultSubmit, source_ip: str | None
    ) -> tuple[AssessmentRequest, Application]:
        """HR records the result of an approved assessment: ``completed``; the application returns to
        ``evaluated`` when no other approved assessment is open — in the same transaction."""
        problems = rules.result_problems(body.score, body.passed)
        if problems:
            raise ValidationFailed("the result is not valid", problems)
        before, name_key = self._require(application_id, request_id)
        app = self.repo.applications.require(application_id)
        if before.status is not AssessmentStatus.approved:
            said = {
                "requested": "awaits HR's decision",
                "declined": "was declined",
                "completed": "already has a result",
            }[before.status.value]
            raise Conflict(
                f"supplementary assessment {request_id} {said}; only an approved one takes a result",
                [{"request_id": request_id, "status": before.status.value}],
            )
        others = [
            r
            for r in self.store.all_of(application_id)
            if r.request_id != request_id and r.status is AssessmentStatus.approved
        ]
        stage = rules.stage_after_result(app.stage, bool(others))
        now = iso(utcnow())
        result = AssessmentResult(
            score=body.score,
            passed=body.passed,
            observations=dict(body.observations),
            comments=body.comments,
            assessor=body.assessor,
            recorded_by=actor,
            recorded_at=now,
        )
        after = before.model_copy(
            update={
                "status": AssessmentStatus.completed,
                "result": result,
                "version": before.version + 1,
                "updated_at": now,
            }
        )
        app_after = app.next_version(now, stage=stage)
        audit = AuditEntry(
            f"application:{application_id}",
            actor,
            "assessment.result",
            {
                "request_id": request_id,
                "score": body.score,
                "passed": body.passed,
                "assessor": body.assessor,
                "from": app.stage.value,
                "to": stage.value,
            },
            source_ip,
        )
        self.store.change(before, after, name_key, audit, app, app_after, release_name=True)
        return after, app_after

    # -- the decision e-mail -------------------------------------------------------------------------------
    def notice_for(self, req: AssessmentRequest) -> str | None:
        """The queue message that tells a requesting manager of HR's decision (None: nobody to tell)."""
        if req.requested_by_role != "manager" or not req.requester_email:
            return None
        return AssessmentNotice(application_id=req.application_id, request_id=req.request_id).model_dump_json()

    def flush_notice(self, req: AssessmentRequest) -> bool:
        """Queue the decision notice the decision's transaction recorded, then forget the record. A queue
        refusal keeps the record for ``reconcile_notices``: the e-mail is delayed, never lost."""
        body = self.notice_for(req)
        if body is None:
            return True
        try:
            self.send([body])
        except (ServiceUnavailable, QueueRefused):
            logger.warning("queue refused a decision notice; the reconciliation will send it")
            return False
        self.store.clear_outbox(req.application_id, req.request_id)
        return True

    def reconcile_notices(
        self, limit: int = 100, min_age_seconds: int = outbox.OUTBOX_MIN_AGE_SECONDS
    ) -> dict[str, int]:
        """Scheduled: queue decision notices at least ``min_age_seconds`` old that are still in the
        outbox (younger ones are being queued by the request that decided). The worker sends each
        e-mail once (the ``sent`` marker), so a notice queued twice is still one e-mail."""
        return outbox.resend(lambda: self.store.outbox(limit), self._resend, min_age_seconds)

    def _resend(self, item: dict[str, Any]) -> bool:
        try:
            self.send([str(item["body"])])
        except (ServiceUnavailable, QueueRefused):
            return False
        application_id, _, request_id = str(item["sk"]).partition("#")
        self.store.clear_outbox(application_id, request_id)
        return True

    def send_notice(self, msg: AssessmentNotice) -> str:
        """E-mail the decision to the requester, once: a marker ``sending`` before SES, ``sent`` after
        (a redelivered message finds ``sent`` and stops)."""
        marker = self.store.notice_marker(msg.application_id, msg.request_id)
        if marker and marker.get("status") == "sent":
            return "already_sent"
        req, _ = self._require(msg.application_id, msg.request_id)
        if req.decision is None or not req.requester_email:
            return "nothing_to_send"
        app = self.repo.applications.require(msg.application_id)
        subject, text, body_html = decision_text(req, app)
        self.store.put_notice_marker(msg.application_id, msg.request_id, {"status": "sending", "at": iso(utcnow())})
        message_id = mail.send(req.requester_email, subject, text, body_html)
        self.store.put_notice_marker(
            msg.application_id,
            msg.request_id,
            {"status": "sent", "at": iso(utcnow()), "ses_message_id": message_id, "decision": req.decision.decision},
        )
        return "sent"

    def send_request_notice(self, msg: AssessmentRequested) -> str:
        """E-mail HR (every member of the directory's ``hr`` group) of a manager's request, once."""
        key = f"{msg.request_id}{REQUESTED}"
        marker = self.store.notice_marker(msg.application_id, key)
        if marker and marker.get("status") == "sent":
            return "already_sent"
        req, _ = self._require(msg.application_id, msg.request_id)
        app = self.repo.applications.require(msg.application_id)
        subject, text, body_html = request_text(req, app)
        self.store.put_notice_marker(msg.application_id, key, {"status": "sending", "at": iso(utcnow())})
        ids = [mail.send(to, subject, text, body_html) for to in self.people("hr", None)]
        self.store.put_notice_marker(msg.application_id, key, {"status": "sent", "at": iso(utcnow()), "ses": ids})
        return "sent"


def request_text(req: AssessmentRequest, app: Application) -> tuple[str, str, str]:
    name = req.assessment.name
    subject = f"补充测评申请待审批：{name}（{app.name}） / Supplementary assessment requested"
    lines = [
        "人力资源部：",
        f"{req.requested_by}（{req.department}）为候选人 {app.name}（申请编号 {app.id}）申请补充测评“{name}”。",
        f"申请理由：{req.reason}",
        f"请在人事系统控制台的候选人页面（#/candidates/{app.id}）审批。",
        "",
        f"{req.requested_by} ({req.department}) asks for the supplementary assessment \u201c{name}\u201d of "
        f"{app.name} (application {app.id}).",
        f"Reason: {req.reason}",
        f"Please decide on the candidate's page of the console (#/candidates/{app.id}).",
    ]
    return render_mail(subject, lines)


def decision_text(req: AssessmentRequest, app: Application) -> tuple[str, str, str]:
    assert req.decision is not None
    approved = req.decision.decision == "approve"
    name = req.assessment.name
    verdict_zh, verdict_en = ("已批准", "approved") if approved else ("未批准", "declined")
    subject = f"补充测评申请{verdict_zh}：{name}（{app.name}） / Supplementary assessment {verdict_en}"
    lines = [
        f"{req.requested_by}，您好：",
        f"您为候选人 {app.name}（申请编号 {app.id}）提出的补充测评“{name}”申请{verdict_zh}。",
        f"HR 意见：{req.decision.reason}",
        *(["该测评已加入招聘流程；在录入测评结果前，不会发放录用通知。"] * approved),
        "",
        f"Dear {req.requested_by},",
        f"Your request for the supplementary assessment \u201c{name}\u201d of {app.name} "
        f"(application {app.id}) was {verdict_en} by HR.",
        f"HR's reason: {req.decision.reason}",
        *(
            ["The assessment is now a stage of the process; no offer is made until its result is recorded."]
            if approved
            else []
        ),
    ]
    return render_mail(subject, lines)
