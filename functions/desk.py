"""The console's work views: an interviewer's assigned applications and HR's salary proposal
before an offer is made."""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint

from functions.http import api_route, authorized_application, ok, parse_query, principal
from shared.domain import offers as rules
from shared.models.desk import Assignment, AssignmentPage, AssignmentQuery, SalaryProposalView
from shared.security.policy import Action, authorize
from shared.store import assignments
from shared.store.repository import Repository

bp = Blueprint(__name__)


@api_route(bp, "/me/assignments", methods=["GET"], query=AssignmentQuery, response=AssignmentPage)
def my_assignments() -> Any:
    """The applications assigned to the signed-in interviewer, with their stage now (interviewer).

    One Query on the interviewer's lookup partition (written when HR assigns interviewers) and one
    BatchGetItem for the current stages."""
    request = bp.current_request
    who = principal(request)
    authorize(who, Action.assignment_list)
    query = parse_query(request, AssignmentQuery)
    repo = Repository()
    page = assignments.assigned_to(repo, who.username, query.limit, query.next_token)
    stages = assignments.current_stages(repo, [str(i["application_id"]) for i in page.items])
    items = [
        Assignment.model_validate(
            {k: i[k] for k in Assignment.model_fields if k in i} | {"stage": stages.get(str(i["application_id"]))}
        )
        for i in page.items
    ]
    return ok(AssignmentPage(username=who.username, items=items, next_token=page.next_token))


@api_route(bp, "/applications/{application_id}/salary-proposal", methods=["GET"], response=SalaryProposalView)
def salary_proposal(application_id: str) -> Any:
    """The salary an offer would propose now (hr): the requisition's band and the weighted AI score,
    by the same rule as ``POST /applications/{id}/offers`` without ``annual_salary``."""
    who = principal(bp.current_request)
    repo = Repository()
    app = authorized_application(who, Action.offer_create, application_id, repo)
    req = repo.requisitions.require(app.requisition_id)
    band = rules.annual_band(req.salary_band.min, req.salary_band.max, req.salary_band.period)
    score = app.ai.weighted_score if app.ai else None
    proposal = rules.propose_salary(band, score)
    return ok(
        SalaryProposalView(
            application_id=app.id,
            annual_salary=proposal.annual_salary,
            currency=req.salary_band.currency,
            basis=proposal.basis,
            band_min=band[0],
            band_max=band[1],
            weighted_score=score,
            approval_chain=[s.value for s in req.offer_approval_chain],
        )
    )
