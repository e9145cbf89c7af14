"""Read-only views for the console: a requisition's funnel and the audit trail of a subject."""

from __future__ import annotations

from shared.domain.funnel import RULE, fold
from shared.models.console import AuditPage, AuditRecord, Funnel, FunnelStep
from shared.models.requisition import Requisition
from shared.store.funnel import stage_counts
from shared.store.repository import Repository


class Insights:
    def __init__(self, repo: Repository | None = None) -> None:
        self.repo = repo or Repository()

    def funnel(self, req: Requisition) -> Funnel:
        """Counts per stage (one COUNT Query per stage on the stage index) folded into the funnel's steps."""
        counts = stage_counts(self.repo, req.id)
        steps = [FunnelStep(step=step, count=n) for step, n in fold(counts)]
        return Funnel(requisition_id=req.id, steps=steps, stages=counts, rule=RULE)

    def audit_trail(self, subject: str, limit: int, token: str | None) -> AuditPage:
        """One page of the subject's audit records, newest first."""
        page = self.repo.audit.page(subject, limit, token)
        return AuditPage(items=[AuditRecord.model_validate(i) for i in page.items], next_token=page.next_token)
