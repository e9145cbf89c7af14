"""Read-only views for the console: a requisition's funnel and the audit trail."""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint

from functions.http import api_route, ok, parse_query, principal
from shared.domain.funnel import RULE, fold
from shared.models.console import AuditPage, AuditQuery, AuditRecord, Funnel, FunnelStep
from shared.security.policy import Action, authorize
from shared.store.funnel import stage_counts
from shared.store.repository import Repository

bp = Blueprint(__name__)


@api_route(bp, "/requisitions/{requisition_id}/funnel", methods=["GET"], response=Funnel)
def funnel(requisition_id: str) -> Any:
    """The hiring funnel with counts per stage (hr; managers of its department).

    One COUNT Query per stage on the stage index: no Scan, no application items returned."""
    who = principal(bp.current_request)
    authorize(who, Action.application_read)
    repo = Repository()
    req = repo.requisitions.require(requisition_id)
    authorize(who, Action.application_read, req.department)
    counts = stage_counts(repo, req.id)
    steps = [FunnelStep(step=step, count=n) for step, n in fold(counts)]
    return ok(Funnel(requisition_id=req.id, steps=steps, stages=counts, rule=RULE))


@api_route(bp, "/audit", methods=["GET"], query=AuditQuery, response=AuditPage)
def audit_trail() -> Any:
    """The audit trail of one subject, newest first (hr), e.g. ``subject=application:<id>``."""
    request = bp.current_request
    who = principal(request)
    authorize(who, Action.audit_read)
    query = parse_query(request, AuditQuery)
    page = Repository().audit.page(query.subject, query.limit, query.next_token)
    items = [AuditRecord.model_validate(i) for i in page.items]
    return ok(AuditPage(items=items, next_token=page.next_token))
