"""The second interview: the interview kit (JSON or a printable page) and the evaluations."""

from __future__ import annotations

from typing import Any, Literal

from chalice.app import Response as ChaliceResponse

from functions.http import Call, ok
from functions.idempotency import idempotent
from functions.verbs import Routes
from shared.domain.interview_kit import render_html
from shared.models.evaluation import EvaluationSubmit, EvaluationView
from shared.models.interview_kit import InterviewKit, InterviewKitQuery
from shared.security.policy import Action, Scope, authorize
from shared.services import archive as archives
from shared.services import evaluations, interview_kit
from shared.services.access import authorized_application
from shared.services.question_bank import QuestionBank
from shared.services.requisitions import Requisitions
from shared.store.repository import Repository

bp = Routes(__name__)
APPLICATION = "/applications/{application_id}"


@bp.get(APPLICATION + "/interview-kit", query=InterviewKitQuery, response=InterviewKit)
def get_interview_kit(call: Call[None, InterviewKitQuery], application_id: str) -> Any:
    """The second-interview kit: the AI report against the bar with its provenance, and probing
    questions for each weak dimension with the AI transcript excerpts.

    HR; managers of the application's department; assigned interviewers. ``?format=html`` answers a
    printable page (``text/html``, Chinese). 404 while the application has no AI interview result."""
    authorize(call.who, Action.interview_kit_read)
    query = call.query
    archive = archives.load(Repository(), application_id, with_rank=False)
    app = archive.application
    authorize(call.who, Action.interview_kit_read, app.department, app.interviewers)
    req = Requisitions().require(app.requisition_id)
    kit = interview_kit.build(archive, req, QuestionBank())
    if query.format == "html":
        return ChaliceResponse(
            body=render_html(kit),
            status_code=200,
            headers={"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"},
        )
    return ok(kit, headers={"Cache-Control": "no-store"})


@bp.post(
    APPLICATION + "/evaluations", body=EvaluationSubmit, response=EvaluationView, status=201, extra_statuses=(200,)
)
def submit_evaluation(call: Call[EvaluationSubmit, None], application_id: str) -> Any:
    """Record your second-interview evaluation: 0–100 per requisition dimension, a comment and a
    recommendation (assigned interviewers; managers of the application's department).

    One evaluation per evaluator and application: the first is created (201); sending it again
    replaces it (200) only with the ``version`` you read, otherwise 409. Answers with each rating
    next to the AI score and the gap (human − AI). ``Idempotency-Key`` makes a retry return the
    same answer."""
    app = authorized_application(call.who, Action.evaluation_create, application_id)
    scope = authorize(call.who, Action.evaluation_create, app.department, app.interviewers)
    body = call.body  # after the object check: no validation hints to outsiders
    role: Literal["interviewer", "manager"] = "manager" if scope is Scope.department else "interviewer"

    def submit() -> dict[str, Any]:
        req = Requisitions().require(app.requisition_id)
        stored, created = evaluations.Evaluations().submit(app, req, call.who.username, role, body, call.source_ip)
        return {"created": created, "view": evaluations.view(stored, app.ai).model_dump(mode="json")}

    result = idempotent(call, f"evaluations.submit.{app.id}", body, submit)
    return ok(result["view"], status=201 if result["created"] else 200)
