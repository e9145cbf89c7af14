"""Requisitions: POST /requisitions (hr), GET /requisitions/{id}, GET /requisitions?department=…"""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint
from pydantic import Field

from functions.http import Call, api_route, ok
from functions.idempotency import idempotent
from shared.errors import Forbidden
from shared.models.common import Limit, Page, Request, iso, new_id, utcnow
from shared.models.requisition import Requisition, RequisitionCreate, RequisitionView
from shared.security.policy import Action, Scope, authorize
from shared.services.weights import approved_weights
from shared.store.audit import AuditEntry
from shared.store.repository import Repository

bp = Blueprint(__name__)


class RequisitionQuery(Request):
    department: str | None = Field(default=None, min_length=1, max_length=100)
    limit: Limit = 50
    next_token: str | None = None


@api_route(bp, "/requisitions", methods=["POST"], body=RequisitionCreate, response=RequisitionView, status=201)
def create_requisition(call: Call[RequisitionCreate, None]) -> Any:
    """Create a requisition (hr); ``Idempotency-Key`` makes a retry return the same one."""
    who = call.who
    authorize(who, Action.requisition_create)
    data = call.body
    if "dimension_weights" not in data.model_fields_set:  # HR-approved re-weighting of the family, if any
        data = data.model_copy(update={"dimension_weights": approved_weights(data.role_family, data.dimension_weights)})

    def create() -> dict[str, Any]:
        req = Requisition(id=new_id(), created_at=iso(utcnow()), created_by=who.username, **data.model_dump())
        audit = AuditEntry(
            subject=f"requisition:{req.id}",
            actor=who.username,
            action="requisition.create",
            details={"title": req.title, "department": req.department},
            source_ip=call.source_ip,
        )
        Repository().requisitions.create(req, audit)
        return RequisitionView.model_validate(req.model_dump()).model_dump(mode="json")

    return ok(idempotent(call, "requisitions.create", data, create), status=201)


@api_route(bp, "/requisitions/{requisition_id}", methods=["GET"], response=RequisitionView)
def get_requisition(call: Call, requisition_id: str) -> Any:
    """One requisition (hr; managers of its department)."""
    who = call.who
    authorize(who, Action.requisition_read)
    repo = Repository()
    req = repo.requisitions.require(requisition_id)
    authorize(who, Action.requisition_read, req.department)
    return ok(
        RequisitionView.model_validate(req.model_dump() | {"scored_count": repo.requisitions.scored_count(req.id)})
    )


@api_route(bp, "/requisitions", methods=["GET"], query=RequisitionQuery, response=Page[RequisitionView])
def list_requisitions(call: Call[None, RequisitionQuery]) -> Any:
    """Requisitions, newest first (managers: their own department only)."""
    who = call.who
    query = call.query
    scope = authorize(who, Action.requisition_read, query.department)
    department = query.department
    if scope is Scope.department:
        if who.department is None:
            raise Forbidden("your account has no department")
        department = who.department
    page = Repository().requisitions.page(department, query.limit, query.next_token)
    items = [RequisitionView.model_validate(i) for i in page.items]
    return ok(Page[RequisitionView](items=items, next_token=page.next_token))
