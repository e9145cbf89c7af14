"""Applications and resume screening decisions."""

from __future__ import annotations

from typing import Any, Literal

from chalice.app import Blueprint
from pydantic import Field

from functions.candidates import read_archive
from functions.http import Call, api_route, ok
from functions.idempotency import idempotent
from shared.domain.stages import Stage
from shared.errors import Conflict, ValidationFailed
from shared.models.application import (
    PERSONAL_FIELDS,
    Application,
    ApplicationCreate,
    ApplicationSummary,
    ApplicationView,
    DecisionsView,
    ResumeUpload,
    ScreeningDecisions,
)
from shared.models.archive import ArchiveView
from shared.models.common import Limit, Page, Request, new_id
from shared.models.imports import ResumeUploadView, UploadForm
from shared.security.policy import Action, authorize
from shared.services.access import authorized_application
from shared.services.applications import Applications
from shared.services.resumes import Resumes
from shared.store.repository import Repository
from shared.store.requisitions import INTAKE_CACHE_SECONDS

bp = Blueprint(__name__)


class ApplicationQuery(Request):
    stage: Stage | None = None
    order: Literal["created", "score"] = Field(
        default="created",
        description="created: oldest first; score: the scored applications still in the pool, highest weighted score "
        "first (not with stage)",
    )
    limit: Limit = 50
    next_token: str | None = Field(default=None, max_length=2048)


def view(app: Application) -> ApplicationView:
    return ApplicationView(
        **app.model_dump(exclude=set(PERSONAL_FIELDS)),
        **app.masks(),
    )


def summary(item: dict[str, Any]) -> ApplicationSummary:
    screening = item.get("screening") or {}
    return ApplicationSummary(
        id=item["id"],
        requisition_id=item["requisition_id"],
        stage=item["stage"],
        name=item["name"],
        screening_score=screening.get("score"),
        screening_proposal=screening.get("proposal"),
        created_at=item["created_at"],
        weighted_score=(item.get("ai") or {}).get("weighted_score"),
    )


@api_route(
    bp,
    "/requisitions/{requisition_id}/applications",
    methods=["POST"],
    body=ApplicationCreate,
    response=ApplicationView,
    status=201,
)
def create_application(call: Call[ApplicationCreate, None], requisition_id: str) -> Any:
    """Add one applicant (hr); screened at once. 409 if the person already applied."""
    who = call.who
    authorize(who, Action.application_create)
    data = call.body
    repo = Repository()
    req = repo.requisitions.require(requisition_id, max_age=INTAKE_CACHE_SECONDS)

    def create() -> dict[str, Any]:
        outcome = Applications(repo).create(req, data, who.username, source=f"api:{new_id()}")
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
        stored = outcome.application or repo.applications.require(outcome.application_id)
        return view(stored).model_dump(mode="json")

    return ok(idempotent(call, f"applications.create.{requisition_id}", data, create), status=201)


@api_route(
    bp,
    "/requisitions/{requisition_id}/applications",
    methods=["GET"],
    query=ApplicationQuery,
    response=Page[ApplicationSummary],
)
def list_applications(call: Call[None, ApplicationQuery], requisition_id: str) -> Any:
    """A requisition's applications, optionally by stage (hr; managers of its department)."""
    who = call.who
    authorize(who, Action.application_read)
    query = call.query
    repo = Repository()
    req = repo.requisitions.require(requisition_id)
    authorize(who, Action.application_read, req.department)
    if query.order == "score":
        if query.stage:
            raise ValidationFailed(
                "order=score lists every scored stage", [{"field": "order", "message": "cannot be combined with stage"}]
            )
        page = repo.applications.by_score(req.id, query.limit, query.next_token)
    else:
        page = repo.applications.page(req.id, query.stage.value if query.stage else None, query.limit, query.next_token)
    return ok(Page[ApplicationSummary](items=[summary(i) for i in page.items], next_token=page.next_token))


@api_route(bp, "/applications/{application_id}", methods=["GET"], response=ArchiveView)
def get_application(call: Call, application_id: str) -> Any:
    """The same role-shaped talent archive as GET /candidates/{id}."""
    return read_archive(call.who, application_id)


@api_route(
    bp,
    "/applications/{application_id}/resume",
    methods=["POST"],
    body=ResumeUpload,
    response=ResumeUploadView,
    status=201,
)
def upload_resume(call: Call[ResumeUpload, None], application_id: str) -> Any:
    """A presigned upload for the applicant's resume file (.txt, .pdf, .docx); once uploaded, its text
    is extracted and the application is screened again."""
    who = call.who
    repo = Repository()
    app = authorized_application(who, Action.resume_upload, application_id, repo)
    body = call.body
    post = Resumes(repo, lambda bodies: None).start(app, body.filename)
    upload = UploadForm(url=post.url, fields=post.fields, expires_in=post.expires_in, max_bytes=post.max_bytes)
    return ok(ResumeUploadView(application_id=app.id, upload=upload), status=201)


@api_route(
    bp,
    "/requisitions/{requisition_id}/screening/decisions",
    methods=["POST"],
    body=ScreeningDecisions,
    response=DecisionsView,
)
def decide_screening(call: Call[ScreeningDecisions, None], requisition_id: str) -> Any:
    """HR's screening decisions in bulk (≤ 1,000), each applied on its own with its result."""
    who = call.who
    authorize(who, Action.screening_decide)
    body = call.body
    repo = Repository()
    req = repo.requisitions.require(requisition_id)
    results = Applications(repo).decide(req, body.decisions, who.username, who.primary_role)
    counts: dict[str, int] = {}
    for r in results:
        counts[r.outcome] = counts.get(r.outcome, 0) + 1
    return ok(DecisionsView(results=results, counts=counts))
