"""Requisitions: POST /requisitions (hr), GET /requisitions/{id}, GET /requisitions?department=…,
POST /requisitions/{id}/status (hr)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from functions.http import Call, ok
from functions.idempotency import created
from functions.verbs import Routes
from shared.errors import Forbidden
from shared.models.common import Limit, Page, Request
from shared.models.requisition import RequisitionCreate, RequisitionStatusChange, RequisitionView
from shared.security.policy import Action, Scope, authorize
from shared.services.requisitions import Requisitions

bp = Routes(__name__)


class RequisitionQuery(Request):
    department: str | None = Field(default=None, min_length=1, max_length=100)
    limit: Limit = 50
    next_token: str | None = None


@bp.post("/requisitions", body=RequisitionCreate, response=RequisitionView, status=201)
def create_requisition(call: Call[RequisitionCreate, None]) -> Any:
    """Create a requisition (hr); ``Idempotency-Key`` makes a retry return the same one."""
    authorize(call.who, Action.requisition_create)
    data = Requisitions.with_approved_weights(call.body)

    def make() -> RequisitionView:
        return Requisitions.summary(Requisitions().create(data, call.who.username, call.source_ip))

    return created(call, "requisitions.create", data, make)


@bp.get("/requisitions/{requisition_id}", response=RequisitionView)
def get_requisition(call: Call, requisition_id: str) -> Any:
    """One requisition (hr; managers of its department)."""
    authorize(call.who, Action.requisition_read)
    requisitions = Requisitions()
    req = requisitions.require(requisition_id)
    authorize(call.who, Action.requisition_read, req.department)
    return ok(requisitions.view(req))


@bp.get("/requisitions", query=RequisitionQuery, response=Page[RequisitionView])
def list_requisitions(call: Call[None, RequisitionQuery]) -> Any:
    """Requisitions, newest first (managers: their own department only)."""
    query = call.query
    scope = authorize(call.who, Action.requisition_read, query.department)
    department = query.department
    if scope is Scope.department:
        if call.who.department is None:
            raise Forbidden("your account has no department")
        department = call.who.department
    return ok(Requisitions().page(department, query.limit, query.next_token))


@bp.post("/requisitions/{requisition_id}/status", body=RequisitionStatusChange, response=RequisitionView)
def set_requisition_status(call: Call[RequisitionStatusChange, None], requisition_id: str) -> Any:
    """Put a requisition on hold, reopen it, or close it for good (hr), with a reason (audited).

    ``filled`` is never set: a requisition is filled once its signed offers reach the headcount.
    409 for a change the lifecycle does not allow (a closed requisition stays closed) or a stale
    ``expected_version``. A requisition that is not open invites nobody and takes no offer; a closed
    one takes no application."""
    authorize(call.who, Action.requisition_manage)
    return ok(Requisitions().set_status(requisition_id, call.body, call.who.username, call.source_ip))
