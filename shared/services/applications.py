"""Creating applications (with resume screening) and applying HR's screening decisions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shared.domain.screening import KeywordSpec, ScreeningOutcome, screen
from shared.domain.stages import Stage, check_transition
from shared.errors import DomainError, Forbidden
from shared.models.application import (
    Application,
    ApplicationCreate,
    DecisionResult,
    ScreeningDecision,
    ScreeningResult,
)
from shared.models.common import iso, new_id, utcnow
from shared.models.identity import mask_email, mask_national_id, mask_phone
from shared.models.requisition import Keyword, Requisition
from shared.security.fields import seal
from shared.security.pii import identity_hash
from shared.services.intake import Intake
from shared.services.rejections import Rejections
from shared.store import assignments
from shared.store.applications import CreateOutcome
from shared.store.audit import AuditEntry
from shared.store.persons import PersonStore
from shared.store.repository import Repository

SCREENED_FIELDS = ("resume_text", "experience", "education")


def _specs(req: Requisition) -> tuple[list[KeywordSpec], list[KeywordSpec]]:
    def conv(keywords: list[Keyword]) -> list[KeywordSpec]:
        return [KeywordSpec(k.term, tuple(k.aliases)) for k in keywords]

    return conv(req.required_keywords), conv(req.preferred_keywords)


def screening_result(outcome: ScreeningOutcome) -> ScreeningResult:
    return ScreeningResult(
        passed=outcome.passed,
        score=outcome.score,
        proposal="advance" if outcome.passed else "reject",
        required=list(outcome.required),
        preferred=list(outcome.preferred),
        missing_required=outcome.missing_required,
        explanation=outcome.explanation(),
    )


def protected(data: ApplicationCreate) -> dict[str, Any]:
    """The applicant's national ID, phone and e-mail sealed (field-level encryption), with their masks."""
    return {
        "email": seal(data.email, "email"),
        "phone": seal(data.phone, "phone"),
        "national_id": seal(data.national_id, "national_id"),
        "email_masked": mask_email(data.email),
        "phone_masked": mask_phone(data.phone),
        "national_id_masked": mask_national_id(data.national_id),
    }


class Applications:
    def __init__(self, repo: Repository, hasher: Callable[[str], str] = identity_hash) -> None:
        self.repo = repo
        self.hasher = hasher

    def build(self, req: Requisition, data: ApplicationCreate, source: str) -> Application:
        """Screen the applicant against the requisition. Passing applicants are ``screened``; the others
        stay ``applied`` with a *proposal* to reject that only HR can turn into a decision."""
        required, preferred = _specs(req)
        fields = {name: getattr(data, name) for name in SCREENED_FIELDS}
        outcome = screen(fields, required, preferred)
        now = iso(utcnow())
        return Application(
            id=new_id(),
            requisition_id=req.id,
            department=req.department,
            stage=Stage.screened if outcome.passed else Stage.applied,
            screening=screening_result(outcome),
            source=source,
            created_at=now,
            updated_at=now,
            **(data.model_dump() | protected(data)),
        )

    def create(
        self, req: Requisition, data: ApplicationCreate, actor: str, source: str, parked_possible: bool = True
    ) -> CreateOutcome:
        """Create one application. ``parked_possible=False`` (the import knows the requisition has no
        parked results) skips the look-up for results that arrived before the application."""
        person_id = self.hasher(data.national_id)
        app = self.build(req, data, source).model_copy(update={"person_id": person_id})
        audit = AuditEntry(
            subject=f"application:{app.id}",
            actor=actor,
            action="application.create",
            details={"requisition_id": req.id, "source": source, "stage": app.stage.value},
        )
        person = PersonStore(self.repo).link_ops(app, req.title)
        outcome = self.repo.applications.create(app, person_id, audit, person)
        # attach results the vendor sent before the application existed
        attach = outcome.status == "created" and app.external_ref and parked_possible
        if attach and Intake(self.repo).attach_parked(app):
            return CreateOutcome("created", app.id, self.repo.applications.require(app.id))
        return outcome

    def assign_interviewers(self, application_id: str, usernames: list[str], actor: str, ip: str | None) -> Application:
        """Set the interviewers of an application; their lookup items (each one's "assigned to me"
        list) change in the same transaction."""
        app = self.repo.applications.require(application_id)
        assigned = sorted(set(usernames))
        now = iso(utcnow())
        after = app.next_version(now, interviewers=assigned)
        details = {"from": app.interviewers, "to": assigned}
        audit = AuditEntry(f"application:{app.id}", actor, "interviewers.assign", details, ip)
        title = self.repo.requisitions.require(app.requisition_id).title
        lookups = assignments.transaction_items(self.repo, app, app.interviewers, assigned, title, actor, now)
        self.repo.applications.update(app, after, audit, lookups)
        return after

    def rescreen(self, app: Application, req: Requisition, resume_text: str, resume_file: str) -> Application:
        """Screen again with the text of an uploaded resume file. Before any human decision the stage
        follows the new result (screened ⇄ applied); after one, only the result is refreshed."""
        required, preferred = _specs(req)
        fields = {name: getattr(app, name) for name in SCREENED_FIELDS} | {"resume_text": resume_text}
        result = screening_result(screen(fields, required, preferred))
        stage = app.stage
        undecided = app.screening is None or app.screening.decision is None
        if undecided and app.stage in (Stage.applied, Stage.screened):
            stage = Stage.screened if result.passed else Stage.applied
        if app.screening and app.screening.decision:
            result = result.model_copy(
                update={
                    k: getattr(app.screening, k) for k in ("decision", "decided_by", "decided_at", "decision_reason")
                }
            )
        after = app.next_version(
            iso(utcnow()),
            resume_text=resume_text,
            resume_file=resume_file,
            resume_file_error=None,
            screening=result,
            stage=stage,
        )
        audit = AuditEntry(
            subject=f"application:{app.id}",
            actor="system",
            action="screening.rescreen",
            details={"resume_file": resume_file, "from": app.stage.value, "to": stage.value, "passed": result.passed},
        )
        self.repo.applications.update(app, after, audit)
        return after

    def record_resume_error(self, app: Application, resume_file: str, problem: str) -> None:
        after = app.next_version(iso(utcnow()), resume_file_error=f"{resume_file}: {problem}")
        audit = AuditEntry(
            subject=f"application:{app.id}", actor="system", action="resume.unreadable", details={"problem": problem}
        )
        self.repo.applications.update(app, after, audit)

    def decide(
        self, req: Requisition, decisions: list[ScreeningDecision], actor: str, role: str
    ) -> list[DecisionResult]:
        """Apply HR's decisions one by one; each is a conditional write with its audit record."""
        return [self._decide_one(req, d, actor, role) for d in decisions]

    def _decide_one(self, req: Requisition, decision: ScreeningDecision, actor: str, role: str) -> DecisionResult:
        app = self.repo.applications.get(decision.application_id)
        if app is None or app.requisition_id != req.id:
            return DecisionResult(
                application_id=decision.application_id,
                outcome="not_found",
                message=f"no application {decision.application_id} in requisition {req.id}",
            )
        target = Stage.rejected if decision.decision == "reject" else Stage.screened
        try:
            if app.stage != target:
                check_transition(app.stage, target, role)
            elif app.screening and app.screening.decision == decision.decision:
                return DecisionResult(application_id=app.id, outcome="applied", stage=app.stage)
            now = iso(utcnow())
            screening = (app.screening or screening_result(screen({}, [], []))).model_copy(
                update={
                    "decision": decision.decision,
                    "decided_by": actor,
                    "decided_at": now,
                    "decision_reason": decision.reason,
                }
            )
            after = app.next_version(now, stage=target, screening=screening)
            audit = AuditEntry(
                subject=f"application:{app.id}",
                actor=actor,
                action="screening.decide",
                details={
                    "decision": decision.decision,
                    "reason": decision.reason,
                    "from": app.stage.value,
                    "to": target.value,
                },
            )
            notice = Rejections(self.repo).pending(app.id, role, now) if target is Stage.rejected else []
            self.repo.applications.update(app, after, audit, notice)  # HR's rejection records its notice
        except DomainError as exc:
            outcome = "forbidden" if isinstance(exc, Forbidden) else "conflict"
            return DecisionResult(application_id=app.id, outcome=outcome, stage=app.stage, message=exc.message)
        return DecisionResult(application_id=app.id, outcome="applied", stage=target)
