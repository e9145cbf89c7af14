"""Read-only views for the console: a requisition's funnel and the audit trail."""

from __future__ import annotations

from typing import Any

from functions.http import Call, ok
from functions.verbs import Routes
from shared.models.console import AuditPage, AuditQuery, Funnel
from shared.security.policy import Action, authorize
from shared.services.insights import Insights
from shared.services.requisitions import Requisitions

bp = Routes(__name__)


@bp.get("/requisitions/{requisition_id}/funnel", response=Funnel)
def funnel(call: Call, requisition_id: str) -> Any:
    """The hiring funnel with counts per stage (hr; managers of its department).

    One COUNT Query per stage on the stage index: no Scan, no application items returned."""
    authorize(call.who, Action.application_read)
    req = Requisitions().require(requisition_id)
    authorize(call.who, Action.application_read, req.department)
    return ok(Insights().funnel(req))


@bp.get("/audit", query=AuditQuery, response=AuditPage)
def audit_trail(call: Call[None, AuditQuery]) -> Any:
    """The audit trail of one subject, newest first (hr), e.g. ``subject=application:<id>``."""
    authorize(call.who, Action.audit_read)
    query = call.query
    return ok(Insights().audit_trail(query.subject, query.limit, query.next_token))
