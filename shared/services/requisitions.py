"""Requisitions: create one (with HR's approved interview weights), read one with its scored count and
status, list them, set HR's status (on hold, open, closed), list a requisition's applications, and add
an applicant to one."""

from __future__ import annotations

from shared.domain import headcount
from shared.domain.applicant_list import Order, Slice, select
from shared.errors import Conflict
from shared.models.application import Application, ApplicationCreate, DecisionResult, ScreeningDecision
from shared.models.common import Page, iso, new_id, utcnow
from shared.models.requisition import (
    Requisition,
    RequisitionCreate,
    RequisitionStatus,
    RequisitionStatusChange,
    RequisitionView,
)
from shared.services.applications import Applications
from shared.services.weights import approved_weights
from shared.store.audit import AuditEntry
from shared.store.repository import Repository
from shared.store.requisitions import INTAKE_CACHE_SECONDS
from shared.store.table import Page as StorePage


class Requisitions:
    def __init__(self, repo: Repository | None = None) -> None:
        self.repo = repo or Repository()

    def require(self, requisition_id: str, for_intake: bool = False) -> Requisition:
        """The requisition, or ``NotFound``; ``for_intake``: a copy read in the last minute will do
        (intake reads the same requisition for every applicant of a hiring event)."""
        return self.repo.requisitions.require(requisition_id, max_age=INTAKE_CACHE_SECONDS if for_intake else 0)

    @staticmethod
    def with_approved_weights(data: RequisitionCreate) -> RequisitionCreate:
        """A requisition that names no interview weights gets HR's approved re-weighting of its family."""
        if "dimension_weights" in data.model_fields_set:
            return data
        return data.model_copy(update={"dimension_weights": approved_weights(data.role_family, data.dimension_weights)})

    def create(self, data: RequisitionCreate, actor: str, source_ip: str | None) -> Requisition:
        req = Requisition(id=new_id(), created_at=iso(utcnow()), created_by=actor, **data.model_dump())
        audit = AuditEntry(
            subject=f"requisition:{req.id}",
            actor=actor,
            action="requisition.create",
            details={"title": req.title, "department": req.department},
            source_ip=source_ip,
        )
        self.repo.requisitions.create(req, audit)
        return req

    @staticmethod
    def summary(req: Requisition, scored_count: int = 0) -> RequisitionView:
        """The requisition as everyone sees it: its status derived with the signed offers (filled)."""
        status = headcount.status_of(req.status, req.headcount, req.filled_count)
        return RequisitionView.model_validate(req.model_dump() | {"status": status, "scored_count": scored_count})

    def view(self, req: Requisition) -> RequisitionView:
        """The requisition with how many of its applications have an AI result (one Query)."""
        return self.summary(req, self.repo.requisitions.scored_count(req.id))

    def page(self, department: str | None, limit: int, token: str | None) -> Page[RequisitionView]:
        """Requisitions, newest first (of one department when named)."""
        page = self.repo.requisitions.page(department, limit, token)
        return Page[RequisitionView](
            items=[self.summary(Requisition.model_validate(i)) for i in page.items], next_token=page.next_token
        )

    def set_status(
        self, requisition_id: str, change: RequisitionStatusChange, actor: str, source_ip: str | None
    ) -> RequisitionView:
        """HR puts the requisition on hold, reopens it or closes it, with a reason (audited); 409 for a
        change the lifecycle does not allow or on a stale ``expected_version``."""
        req = self.require(requisition_id)
        if change.expected_version is not None and change.expected_version != req.version:
            raise Conflict(
                f"requisition {req.id} is at version {req.version}, not {change.expected_version}",
                [{"field": "expected_version", "message": f"the current version is {req.version}"}],
            )
        requested = RequisitionStatus(change.status)
        refusal = headcount.status_change_refusal(req.status, requested)
        if refusal:
            raise Conflict(refusal, [{"field": "status", "current": req.status.value, "requested": requested.value}])
        after = req.model_copy(update={"status": requested, "status_reason": change.reason, "version": req.version + 1})
        audit = AuditEntry(
            subject=f"requisition:{req.id}",
            actor=actor,
            action="requisition.status",
            details={"from": req.status.value, "to": requested.value, "reason": change.reason},
            source_ip=source_ip,
        )
        self.repo.requisitions.set_status(req, after, audit)
        return self.view(after)

    def applications(
        self, req: Requisition, stage: str | None, by_score: bool, limit: int, token: str | None
    ) -> StorePage:
        """The requisition's applications: oldest first (optionally of one stage), or ``by_score``
        the scored ones still in the pool, highest weighted score first."""
        if by_score:
            return self.repo.applications.by_score(req.id, limit, token)
        return self.repo.applications.page(req.id, stage, limit, token)

    def search_applications(
        self, req: Requisition, stage: str | None, q: str | None, order: Order, page: int, size: int
    ) -> Slice:
        """Numbered page ``page`` of the requisition's applications (at one stage) matching ``q``, in
        ``order``, with the total: the list rows of the whole requisition are read (a projection)."""
        return select(self.repo.applications.summaries(req.id, stage), q, order, page, size)

    def decide_screening(
        self, req: Requisition, decisions: list[ScreeningDecision], actor: str, role: str
    ) -> list[DecisionResult]:
        """HR's screening decisions on the requisition's applications, each applied on its own."""
        return Applications(self.repo).decide(req, decisions, actor, role)

    def apply(self, req: Requisition, data: ApplicationCreate, actor: str) -> Application:
        """Add one applicant, screened at once; ``Conflict`` when the requisition is closed, or when the
        person (or the external reference) already applied to it, naming the existing application."""
        if req.status is RequisitionStatus.closed:
            raise Conflict(f"requisition {req.id} is closed; it takes no applications", [{"status": "closed"}])
        outcome = Applications(self.repo).create(req, data, actor, source=f"api:{new_id()}")
        if outcome.status == "ref_taken":
            raise Conflict(
                "another application of this requisition already has this external_ref",
                [{"field": "external_ref", "existing_application_id": outcome.application_id}],
            )
        if outcome.status == "duplicate":
            raise Conflict(
                "this person already applied to the requisition",
                [{"field": "national_id", "existing_application_id": outcome.application_id}],
            )
        return outcome.application or self.repo.applications.require(outcome.application_id)
