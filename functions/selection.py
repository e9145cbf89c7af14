"""Selection: stage transitions (single, bulk), the shortlist and second-interview invitations (mailed
by the notification queue's consumer, ``functions.consumers``)."""

from __future__ import annotations

from typing import Any

from functions.http import Call, ok
from functions.observability import metric
from functions.verbs import Routes
from shared.errors import Conflict, Forbidden, NotFound
from shared.models.availability import Availability, AvailabilityUpdate
from shared.models.selection import (
    BulkResult,
    BulkTransition,
    ShortlistConfirm,
    ShortlistConfirmation,
    ShortlistProposal,
    Transition,
    TransitionResult,
)
from shared.security.policy import Action, authorize
from shared.services import wired
from shared.services.interviewers import Interviewers
from shared.services.requisitions import Requisitions
from shared.services.selection import count

bp = Routes(__name__)


@bp.post("/applications/{application_id}/transitions", body=Transition, response=TransitionResult)
def transition(call: Call[Transition, None], application_id: str) -> Any:
    """Move one application to another stage (hr). 409 names the current stage and the allowed ones,
    and for a gated move (to evaluated, offer, hired) what its evidence still lacks (``missing``).

    The move is a conditional write on the version read, with its audit record in the same
    transaction: of two conflicting moves exactly one succeeds."""
    authorize(call.who, Action.stage_transition)
    body = call.body
    result = wired.selection().transition(
        application_id, body.to, body.reason, call.who.username, call.who.primary_role, body.expected_version
    )
    if result.outcome == "not_found":
        raise NotFound(f"application {application_id} does not exist")
    if result.outcome == "forbidden":
        raise Forbidden(result.message or "not allowed")
    if result.outcome == "conflict":
        detail: dict[str, Any] = {"current_stage": result.stage, "allowed": result.allowed, "version": result.version}
        if result.missing:
            detail["missing"] = result.missing
        raise Conflict(result.message or "conflict", [detail])
    return ok(result)


@bp.post("/requisitions/{requisition_id}/transitions", body=BulkTransition, response=BulkResult)
def bulk_transition(call: Call[BulkTransition, None], requisition_id: str) -> Any:
    """Move many applications of a requisition at once (hr, ≤ 5,000); every item reports its result."""
    authorize(call.who, Action.stage_transition)
    body = call.body
    req = Requisitions().require(requisition_id)
    results = wired.selection().bulk(req, body.items, body.reason, call.who.username, call.who.primary_role)
    return ok(BulkResult(results=results, counts=count(results)))


@bp.post("/requisitions/{requisition_id}/shortlist", response=ShortlistProposal, status=201)
def propose_shortlist(call: Call, requisition_id: str) -> Any:
    """Propose the top ceil(ratio × scored) applications by weighted score (hr). Nothing moves yet.

    Ties break on the application id (deterministic). Applications under a hard competency bar are
    flagged in ``below_bar``, never dropped: HR decides."""
    authorize(call.who, Action.shortlist_manage)
    proposal = wired.selection().propose(requisition_id, call.who.username)
    metric("ShortlistSize", value=proposal.size)
    return ok(proposal, status=201)


@bp.post("/requisitions/{requisition_id}/shortlist/confirm", body=ShortlistConfirm, response=ShortlistConfirmation)
def confirm_shortlist(call: Call[ShortlistConfirm, None], requisition_id: str) -> Any:
    """Confirm a proposal as it is or with edits (hr): the people move to ``shortlisted`` and each
    gets one e-mail invitation with the date and place and its ``.ics`` calendar entry — with
    ``interviewers``, a distinct slot each from their availability (409 when too few, before anyone
    moves). People outside it stay in the pool."""
    authorize(call.who, Action.shortlist_manage)
    return ok(wired.selection().confirm(requisition_id, call.body, call.who.username, call.who.primary_role))


@bp.get("/interviewers/{username}/availability", response=Availability)
def get_availability(call: Call, username: str) -> Any:
    """An interviewer's second-interview slots, free and booked (hr)."""
    authorize(call.who, Action.interviewers_assign)
    return ok(Interviewers().availability(username))


@bp.put("/interviewers/{username}/availability", body=AvailabilityUpdate, response=Availability)
def set_availability(call: Call[AvailabilityUpdate, None], username: str) -> Any:
    """HR enters an interviewer's free slots (booked ones stay); 400 names a past or overlapping slot."""
    authorize(call.who, Action.interviewers_assign)
    return ok(Interviewers().set_availability(username, call.body, call.who.username, call.source_ip))
