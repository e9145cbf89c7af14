"""Supplementary assessments (补充测评) and offer readiness.

A manager asks HR for an extra stage (e.g. 客户模拟谈判, a customer negotiation simulation); HR
approves or declines it with a reason; an approved one inserts the ``supplementary_assessment``
stage and blocks the offer until HR records its result.
"""

from __future__ import annotations

from typing import Any

from functions.http import Call, logger, ok
from functions.idempotency import created
from functions.verbs import Routes
from shared.domain.readiness import offer_blockers
from shared.errors import NotFound
from shared.models.application import Application
from shared.models.assessment import (
    AssessmentDecisionSubmit,
    AssessmentListQuery,
    AssessmentListView,
    AssessmentOutcome,
    AssessmentRequest,
    AssessmentRequestCreate,
    AssessmentResultSubmit,
    AssessmentView,
    BlockerView,
    HrAssessmentList,
    InterviewerAssessmentList,
    ManagerAssessmentList,
    ManagerAssessmentView,
    OfferReadiness,
)
from shared.security.policy import Action, Scope, authorize
from shared.services import assessments as service
from shared.services import wired
from shared.services.access import authorized_application
from shared.store.repository import Repository

bp = Routes(__name__)

BASE = "/applications/{application_id}/assessment-requests"


def _notify(assessments: service.Assessments, req: AssessmentRequest) -> None:
    """Queue the decision e-mail to the requesting manager. The decision and an outbox record of the
    message are already stored together; a queue outage leaves the record for the scheduled
    ``reconcile_assessment_notices`` (the e-mail is delayed, never lost) and the answer stays 200."""
    if not assessments.flush_notice(req):
        logger.warning("assessment decision notice left in the outbox", extra={"request_id": req.request_id})


def _scope_view(req: AssessmentRequest, scope: Scope) -> dict[str, Any]:
    return service.view(req, scope).model_dump(mode="json")


@bp.post(BASE, body=AssessmentRequestCreate, response=ManagerAssessmentView, status=201)
def request_assessment(call: Call[AssessmentRequestCreate, None], application_id: str) -> Any:
    """Ask HR for a supplementary assessment of an application (managers of its department; HR).

    Only while the application is at ``second_interview`` or ``evaluated`` (409 names the stage);
    at most one open (requested or approved) request per assessment name (409). ``Idempotency-Key``
    makes a retry return the same answer."""
    app = authorized_application(call.who, Action.assessment_request, application_id)
    body = call.body
    scope = authorize(call.who, Action.assessment_read, app.department, app.interviewers)

    def make() -> dict[str, Any]:
        return _scope_view(wired.assessments().request(app, call.who, body, call.source_ip), scope)

    return created(call, f"assessments.request.{app.id}", body, make)


@bp.get(BASE, query=AssessmentListQuery, response=AssessmentListView)
def list_assessments(call: Call[None, AssessmentListQuery], application_id: str) -> Any:
    """The supplementary assessments of an application, oldest first, shaped by role: HR everything;
    managers of its department the request, HR's decision with its reason, and the result; assigned
    interviewers what was asked for and its status."""
    app = authorized_application(call.who, Action.assessment_read, application_id)
    query = call.query
    scope = authorize(call.who, Action.assessment_read, app.department, app.interviewers)
    requests, next_token = service.Assessments().page(app.id, query.limit, query.next_token)
    common = {"application_id": app.id, "stage": app.stage, "next_token": next_token}
    if scope is Scope.assigned:
        return ok(InterviewerAssessmentList(items=[service.view(r, scope) for r in requests], **common))
    if scope is Scope.department:
        return ok(ManagerAssessmentList(items=[service.view(r, scope) for r in requests], **common))
    return ok(HrAssessmentList(items=[service.view(r, scope) for r in requests], **common))


@bp.get(BASE + "/{request_id}", response=AssessmentView)
def get_assessment(call: Call, application_id: str, request_id: str) -> Any:
    """One supplementary assessment, shaped by role like the list."""
    app = authorized_application(call.who, Action.assessment_read, application_id)
    scope = authorize(call.who, Action.assessment_read, app.department, app.interviewers)
    return ok(_scope_view(service.Assessments().get(app.id, request_id), scope))


def _outcome(app: Application, req: AssessmentRequest) -> AssessmentOutcome:
    return AssessmentOutcome.model_validate({**req.model_dump(), "application_stage": app.stage})


@bp.post(BASE + "/{request_id}/decision", body=AssessmentDecisionSubmit, response=AssessmentOutcome)
def decide_assessment(call: Call[AssessmentDecisionSubmit, None], application_id: str, request_id: str) -> Any:
    """Approve or decline a requested assessment (hr), with a reason either way.

    Approving moves the application to ``supplementary_assessment`` in the same transaction as the
    request's change and its audit record (conditional on both versions: of two racing decisions
    exactly one wins, the other is 409); declining changes no stage. The requesting manager is told
    by e-mail."""
    authorize(call.who, Action.assessment_decide)
    body = call.body
    assessments = wired.assessments()
    decided, app = assessments.decide(application_id, request_id, call.who.username, body, call.source_ip)
    _notify(assessments, decided)
    return ok(_outcome(app, decided))


@bp.post(BASE + "/{request_id}/result", body=AssessmentResultSubmit, response=AssessmentOutcome)
def record_assessment_result(call: Call[AssessmentResultSubmit, None], application_id: str, request_id: str) -> Any:
    """Record the result of an approved assessment (hr): a score 0–100 and/or pass/fail, optional
    observations per dimension, comments and the assessor.

    The request becomes ``completed``; when no other approved assessment is open the application
    returns to ``evaluated`` in the same transaction."""
    authorize(call.who, Action.assessment_result)
    recorded, app = wired.assessments().record_result(
        application_id, request_id, call.who.username, call.body, call.source_ip
    )
    return ok(_outcome(app, recorded))


@bp.get("/applications/{application_id}/offer-readiness", response=OfferReadiness)
def offer_readiness(call: Call, application_id: str) -> Any:
    """Whether an offer may be made (hr; managers of the application's department): the blockers —
    pending supplementary assessments, a missing, open or not-clear background check — and ``ready``.

    One Query on the application's partition."""
    authorize(call.who, Action.offer_readiness_read)
    items = Repository().applications.partition(application_id)
    meta = next((i for i in items if i.get("sk") == "META"), None)
    if meta is None:
        raise NotFound(f"application {application_id} does not exist")
    app = Application.model_validate(meta)
    authorize(call.who, Action.offer_readiness_read, app.department, app.interviewers)
    blockers = [BlockerView(code=b.code, message=b.message, ref=b.ref) for b in offer_blockers(items)]
    return ok(OfferReadiness(application_id=app.id, stage=app.stage, ready=not blockers, blockers=blockers))
