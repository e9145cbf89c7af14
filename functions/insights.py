"""Read-only views for the console: a requisition's funnel and the audit trail."""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint

from functions.http import Call, api_route, ok
from shared.models.console import AuditPage, AuditQuery, Funnel
from shared.security.policy import Action, authorize
from shared.services.insights import Insights
from shared.services.requisitions import Requisitions

bp = Blueprint(__name__)


@api_route(bp, "/requisitions/{requisition_id}/funnel", methods=["GET"], response=Funnel)
def funnel(call: Call, requisition_id: str) -> Any:
    """The hiring funnel with counts per stage (hr; managers of its department).

    One COUNT Query per stage on the stage index: no Scan, no application items returned."""
    authorize(call.who, Action.application_read)
    req = Requisitions().require(requisition_id)
    authorize(call.who, Action.application_read, req.department)
    return ok(Insights().funnel(req))


@api_route(bp, "/audit", methods=["GET"], query=AuditQuery, response=AuditPage)
def audit_trail(call: Call[None, AuditQuery]) -> Any:
    """The audit trail of one subject, newest first (hr), e.g. ``subject=application:<id>``."""
    authorize(call.who, Action.audit_read)
    query = call.query
    return ok(Insights().audit_trail(query.subject, query.limit, query.next_token))
