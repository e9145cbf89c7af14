"""The talent archive (GET /candidates/{id}, GET /applications/{id}) and interviewer assignment."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints

from functions.http import Call, ok
from functions.verbs import Routes
from shared.models.application import PERSONAL_FIELDS
from shared.models.archive import (
    AiReport,
    ArchiveView,
    HrArchive,
    InterviewersView,
    ManagerArchive,
    ScoreProvenance,
    ScoreProvenanceWithPayload,
)
from shared.models.common import Request
from shared.models.offer import OfferSummary
from shared.security.policy import Action, Scope, authorize
from shared.security.tokens import Principal
from shared.services.applications import Applications
from shared.services.archive import Archive, load
from shared.services.assessments import view as assessment_view
from shared.services.background_checks import section as background_section
from shared.services.evaluations import view as evaluation_view
from shared.store.repository import Repository

bp = Routes(__name__)

Username = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)]


class InterviewerAssignment(Request):
    usernames: list[Username] = Field(max_length=20, description="Cognito user names of the interviewers")


def shape(archive: Archive, scope: Scope, viewer: str) -> BaseModel:
    """The archive as the caller's widest scope may see it (hr ⊃ manager ⊃ interviewer). Interviewers
    see only their own evaluation; HR and managers see every one, each next to the AI scores."""
    app = archive.application
    evaluations = [
        evaluation_view(e, app.ai) for e in archive.evaluations if scope is not Scope.assigned or e.evaluator == viewer
    ]
    common = {"application_id": app.id, "questions": archive.questions, "evaluations": evaluations}
    common["assessments"] = [assessment_view(a, scope) for a in archive.assessments]
    offers = [OfferSummary.model_validate(o.model_dump()) for o in archive.offers]  # never for interviewers
    if scope is Scope.assigned:
        return AiReport(requisition_id=app.requisition_id, name=app.name, stage=app.stage, ai=app.ai, **common)
    if scope is Scope.department:
        return ManagerArchive(
            **app.model_dump(include={"requisition_id", "department", "name", "stage", "education", "experience"}),
            experience_years=app.experience_years,
            screening=app.screening,
            ai=app.ai,
            ranking=archive.ranking,
            ai_history=[ScoreProvenance.model_validate(r.model_dump()) for r in archive.history],
            videos=archive.videos,
            created_at=app.created_at,
            updated_at=app.updated_at,
            background=background_section(app, archive.background_checks, archive.weights),
            offers=offers,
            **common,
        )
    return HrArchive(
        **app.model_dump(exclude=set(PERSONAL_FIELDS)),
        **app.masks(),
        ranking=archive.ranking,
        ai_history=[ScoreProvenanceWithPayload.model_validate(r.model_dump()) for r in archive.history],
        videos=archive.videos,
        background=background_section(app, archive.background_checks, archive.weights),
        offers=offers,
        **common,
    )


def read_archive(who: Principal, application_id: str) -> Any:
    authorize(who, Action.archive_read)
    archive = load(Repository(), application_id)
    app = archive.application
    scope = authorize(who, Action.archive_read, app.department, app.interviewers)
    return ok(shape(archive, scope, who.username))


@bp.get("/candidates/{candidate_id}", response=ArchiveView)
def get_candidate(call: Call, candidate_id: str) -> Any:
    """The talent archive of one application: applicant, screening, AI scores with provenance and
    history, weighted score and rank, videos — shaped by the caller's role."""
    return read_archive(call.who, candidate_id)


@bp.put("/applications/{application_id}/interviewers", body=InterviewerAssignment, response=InterviewersView)
def assign_interviewers(call: Call[InterviewerAssignment, None], application_id: str) -> Any:
    """Set the interviewers assigned to an application (hr); they may then read its AI report."""
    authorize(call.who, Action.interviewers_assign)
    after = Applications(Repository()).assign_interviewers(
        application_id, call.body.usernames, call.who.username, call.source_ip
    )
    return ok(InterviewersView(application_id=after.id, interviewers=after.interviewers, version=after.version))
