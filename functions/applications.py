"""Applications and resume screening decisions."""

from __future__ import annotations

from collections import Counter
from typing import Any, Literal

from pydantic import Field

from functions.candidates import read_archive
from functions.http import Call, ok
from functions.idempotency import created
from functions.verbs import Routes
from shared.domain.stages import Stage
from shared.errors import ValidationFailed
from shared.models.application import (
    PERSONAL_FIELDS,
    Application,
    ApplicationCreate,
    ApplicationPage,
    ApplicationSummary,
    ApplicationView,
    DecisionsView,
    ResumeUpload,
    ScreeningDecisions,
)
from shared.models.archive import ArchiveView
from shared.models.common import Limit, Request
from shared.models.imports import ResumeUploadView, UploadForm
from shared.security.policy import Action, authorize
from shared.services import wired
from shared.services.access import authorized_application
from shared.services.persons import Persons
from shared.services.requisitions import Requisitions

bp = Routes(__name__)


class ApplicationQuery(Request):
    stage: Stage | None = None
    order: Literal["created", "score", "name"] = Field(
        default="created",
        description="created: oldest first; score: highest weighted score first (paged by next_token: the scored "
        "applications still in the pool; numbered: every application, unscored last); name: by name (numbered)",
    )
    q: str | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="search: part of the name, or the start of the external reference or id (numbered)",
    )
    page: int | None = Field(
        default=None, ge=1, le=100_000, description="a page number from 1: the answer has the total (numbered)"
    )
    limit: Limit = 50
    next_token: str | None = Field(default=None, max_length=2048)

    def numbered(self) -> bool:
        """A search, a page number, the name order or the score order of one stage: numbered pages."""
        return (
            self.page is not None
            or self.q is not None
            or self.order == "name"
            or (self.order == "score" and self.stage is not None)
        )


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
        external_ref=item.get("external_ref"),
    )


@bp.post("/requisitions/{requisition_id}/applications", body=ApplicationCreate, response=ApplicationView, status=201)
def create_application(call: Call[ApplicationCreate, None], requisition_id: str) -> Any:
    """Add one applicant (hr); screened at once. 409 if the person already applied."""
    authorize(call.who, Action.application_create)
    data = call.body
    requisitions = Requisitions()
    req = requisitions.require(requisition_id, for_intake=True)

    def make() -> ApplicationView:
        app = requisitions.apply(req, data, call.who.username)
        return view(app).model_copy(update={"known_person": Persons(requisitions.repo).note(app.person_id, app.id)})

    return created(call, f"applications.create.{requisition_id}", data, make)


@bp.get("/requisitions/{requisition_id}/applications", query=ApplicationQuery, response=ApplicationPage)
def list_applications(call: Call[None, ApplicationQuery], requisition_id: str) -> Any:
    """A requisition's applications, optionally by stage (hr; managers of its department).

    Paged by ``next_token`` (oldest first, or ``order=score``: the scored ones still in the pool), or
    numbered: with ``page``, ``q`` (name or reference), ``order=name`` or a stage with ``order=score``,
    the answer is page ``page`` (default 1) of ``limit`` rows with the ``total`` that match."""
    authorize(call.who, Action.application_read)
    query = call.query
    requisitions = Requisitions()
    req = requisitions.require(requisition_id)
    authorize(call.who, Action.application_read, req.department)
    stage = query.stage.value if query.stage else None
    if query.numbered():
        if query.next_token:
            raise ValidationFailed(
                "numbered pages take no next_token",
                [{"field": "next_token", "message": "cannot be combined with page, q, order=name or stage with score"}],
            )
        number = query.page or 1
        found = requisitions.search_applications(req, stage, query.q, query.order, number, query.limit)
        items = [summary(i) for i in found.items]
        return ok(ApplicationPage(items=items, total=found.total, page=number))
    page = requisitions.applications(req, stage, query.order == "score", query.limit, query.next_token)
    return ok(ApplicationPage(items=[summary(i) for i in page.items], next_token=page.next_token))


@bp.get("/applications/{application_id}", response=ArchiveView)
def get_application(call: Call, application_id: str) -> Any:
    """The same role-shaped talent archive as GET /candidates/{id}."""
    return read_archive(call.who, application_id)


@bp.post("/applications/{application_id}/resume", body=ResumeUpload, response=ResumeUploadView, status=201)
def upload_resume(call: Call[ResumeUpload, None], application_id: str) -> Any:
    """A presigned upload for the applicant's resume file (.txt, .pdf, .docx); once uploaded, its text
    is extracted and the application is screened again."""
    app = authorized_application(call.who, Action.resume_upload, application_id)
    post = wired.resumes().start(app, call.body.filename)
    upload = UploadForm(url=post.url, fields=post.fields, expires_in=post.expires_in, max_bytes=post.max_bytes)
    return ok(ResumeUploadView(application_id=app.id, upload=upload), status=201)


@bp.post("/requisitions/{requisition_id}/screening/decisions", body=ScreeningDecisions, response=DecisionsView)
def decide_screening(call: Call[ScreeningDecisions, None], requisition_id: str) -> Any:
    """HR's screening decisions in bulk (≤ 1,000), each applied on its own with its result."""
    authorize(call.who, Action.screening_decide)
    body = call.body
    requisitions = Requisitions()
    req = requisitions.require(requisition_id)
    results = requisitions.decide_screening(req, body.decisions, call.who.username, call.who.primary_role)
    rejected = [r.application_id for r in results if r.outcome == "applied" and r.stage is Stage.rejected]
    wired.rejections().queue(rejected, call.who.primary_role)  # HR's rejections are told to the applicants
    return ok(DecisionsView(results=results, counts=dict(Counter(r.outcome for r in results))))
