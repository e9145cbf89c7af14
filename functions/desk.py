"""The console's work views: an interviewer's assigned applications and HR's salary proposal
before an offer is made."""

from __future__ import annotations

from typing import Any

from functions.http import Call, ok
from functions.verbs import Routes
from shared.models.desk import AssignmentPage, AssignmentQuery, SalaryProposalView, TodoList
from shared.security.policy import Action, authorize
from shared.services.access import authorized_application
from shared.services.desk import Desk

bp = Routes(__name__)


@bp.get("/me/assignments", query=AssignmentQuery, response=AssignmentPage)
def my_assignments(call: Call[None, AssignmentQuery]) -> Any:
    """The applications assigned to the signed-in interviewer, with their stage now (interviewer).

    One Query on the interviewer's lookup partition (written when HR assigns interviewers) and one
    BatchGetItem for the current stages."""
    authorize(call.who, Action.assignment_list)
    query = call.query
    return ok(Desk().assignments(call.who.username, query.limit, query.next_token))


@bp.get("/me/todo", response=TodoList)
def my_todo(call: Call) -> Any:
    """What waits for the signed-in user, of their own scope (every role): offers to approve (managers
    of the department; HR as the director), completed checks to review, assessment requests to decide
    (hr), evaluations due (interviewers), probation decisions due (hr; managers of the department),
    open onboarding tasks (it). Queries on the stage and probation indexes; no Scan."""
    authorize(call.who, Action.todo_list)
    return ok(Desk().todo(call.who))


@bp.get("/applications/{application_id}/salary-proposal", response=SalaryProposalView)
def salary_proposal(call: Call, application_id: str) -> Any:
    """The salary an offer would propose now (hr): the requisition's band and the weighted AI score,
    by the same rule as ``POST /applications/{id}/offers`` without ``annual_salary``."""
    app = authorized_application(call.who, Action.offer_create, application_id)
    return ok(Desk().salary_proposal(app))
