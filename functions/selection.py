"""Selection: stage transitions (single, bulk), the shortlist and second-interview invitations."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from chalice.app import Blueprint, SQSEvent

from functions.batch import sqs_batch
from functions.http import Call, api_route, logger, ok
from shared.errors import Conflict, Forbidden, NotFound
from shared.models.assessment import AssessmentNotice
from shared.models.selection import (
    BulkResult,
    BulkTransition,
    Invitation,
    ShortlistConfirm,
    ShortlistConfirmation,
    ShortlistProposal,
    Transition,
    TransitionResult,
)
from shared.security.policy import Action, authorize
from shared.services.assessments import Assessments
from shared.services.probation_messages import handle_probation_message, is_probation_message
from shared.services.selection import Selection, count
from shared.settings import get_settings
from shared.store import queue
from shared.store.repository import Repository

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

bp = Blueprint(__name__)

NOTIFICATION_QUEUE = "NotificationQueue"  # CloudFormation logical id (infra/template.json)


def _selection() -> Selection:
    url = get_settings().notification_queue_url
    return Selection(Repository(), lambda bodies: queue.send_all(url, bodies))


@api_route(
    bp, "/applications/{application_id}/transitions", methods=["POST"], body=Transition, response=TransitionResult
)
def transition(call: Call[Transition, None], application_id: str) -> Any:
    """Move one application to another stage (hr). 409 names the current stage and the allowed ones.

    The move is a conditional write on the version read, with its audit record in the same
    transaction: of two conflicting moves exactly one succeeds."""
    who = call.who
    authorize(who, Action.stage_transition)
    body = call.body
    result = _selection().transition(
        application_id, body.to, body.reason, who.username, who.primary_role, body.expected_version
    )
    if result.outcome == "not_found":
        raise NotFound(f"application {application_id} does not exist")
    if result.outcome == "forbidden":
        raise Forbidden(result.message or "not allowed")
    if result.outcome == "conflict":
        detail = {"current_stage": result.stage, "allowed": result.allowed, "version": result.version}
        raise Conflict(result.message or "conflict", [detail])
    return ok(result)


@api_route(bp, "/requisitions/{requisition_id}/transitions", methods=["POST"], body=BulkTransition, response=BulkResult)
def bulk_transition(call: Call[BulkTransition, None], requisition_id: str) -> Any:
    """Move many applications of a requisition at once (hr, ≤ 5,000); every item reports its result."""
    who = call.who
    authorize(who, Action.stage_transition)
    body = call.body
    selection = _selection()
    req = selection.repo.requisitions.require(requisition_id)
    results = selection.bulk(req, body.items, body.reason, who.username, who.primary_role)
    return ok(BulkResult(results=results, counts=count(results)))


@api_route(bp, "/requisitions/{requisition_id}/shortlist", methods=["POST"], response=ShortlistProposal, status=201)
def propose_shortlist(call: Call, requisition_id: str) -> Any:
    """Propose the top ceil(ratio × scored) applications by weighted score (hr). Nothing moves yet.

    Ties break on the application id (deterministic). Applications under a hard competency bar are
    flagged in ``below_bar``, never dropped: HR decides."""
    who = call.who
    authorize(who, Action.shortlist_manage)
    return ok(_selection().propose(requisition_id, who.username), status=201)


@api_route(
    bp,
    "/requisitions/{requisition_id}/shortlist/confirm",
    methods=["POST"],
    body=ShortlistConfirm,
    response=ShortlistConfirmation,
)
def confirm_shortlist(call: Call[ShortlistConfirm, None], requisition_id: str) -> Any:
    """Confirm a proposal as it is or with edits (hr): the people move to ``shortlisted`` and each
    gets one e-mail invitation with the date and place. People outside it stay in the pool."""
    who = call.who
    authorize(who, Action.shortlist_manage)
    body = call.body
    return ok(_selection().confirm(requisition_id, body, who.username, who.primary_role))


def _handle(record: SQSRecord) -> None:
    if json.loads(record.body).get("kind") == "assessment_decision":  # HR's decision on an assessment request
        notice = AssessmentNotice.model_validate_json(record.body)
        sent = Assessments(Repository()).send_notice(notice)
        logger.info("assessment notice", extra={"request_id": notice.request_id, "outcome": sent})
        return
    if is_probation_message(record.body):  # the probation state machine's messages share this queue
        handle_probation_message(record.body)
        return
    message = Invitation.model_validate_json(record.body)
    outcome = _selection().send_invitation(message)
    logger.info("invitation", extra={"application_id": message.application_id, "outcome": outcome})


@bp.on_sqs_message(queue=NOTIFICATION_QUEUE, batch_size=10, name="notification_worker")
def notification_worker(event: SQSEvent) -> dict[str, Any]:
    return sqs_batch(event, _handle)
