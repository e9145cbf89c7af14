"""GET /applications/{id}/explanation: what the automated assessment said, and who decided what."""

from __future__ import annotations

from typing import Any

from shared.domain.explanation import ENDED, decision, dimensions, ends, summary
from shared.models.privacy import Explanation
from shared.services.archive import load
from shared.store.repository import Repository

AUDIT_PAGE = 200  # the decisions of one application fit in a page; older pages are read as needed


def trail(repo: Repository, application_id: str) -> list[dict[str, Any]]:
    """The application's audit records, oldest first."""
    records: list[dict[str, Any]] = []
    token = None
    while True:
        page = repo.audit.page(f"application:{application_id}", AUDIT_PAGE, token)
        records += page.items
        token = page.next_token
        if not token:
            return sorted(records, key=lambda r: str(r.get("sk", "")))


def explain(repo: Repository, application_id: str) -> Explanation:
    archive = load(repo, application_id)
    app = archive.application
    req = repo.requisitions.require(app.requisition_id)
    screening = None
    if app.screening is not None:
        s = app.screening
        screening = {
            "passed": s.passed,
            "score": s.score,
            "matched_required": [m.term for m in s.required if m.matched],
            "missing_required": list(s.missing_required),
            "matched_preferred": [m.term for m in s.preferred if m.matched],
            "negated": [f"{m.term}（{m.negated_by}：{m.snippet}）" for m in s.required + s.preferred if m.negated_by],
            "proposal": s.proposal,
            "decision": s.decision,
            "decided_by": s.decided_by,
        }
    bar = {str(k): v for k, v in req.competency_bar.items()}
    weights = {str(k): v for k, v in req.dimension_weights.items()}
    rows = dimensions({str(k): v for k, v in app.ai.dimension_scores.items()}, bar, weights) if app.ai else []
    records = trail(repo, app.id)
    decisions = [d for d in (decision(r) for r in records) if d is not None]
    endings = [r for r in records if ends(r)]
    ended = endings[-1] if endings and app.stage.value in ENDED else None
    ended_by = decision(ended) if ended else None
    # the service itself ends an application only after a declined or expired offer (stages.py)
    automated = ended is not None and ended_by is None and (ended.get("details") or {}).get("from") != "offer"
    rank = archive.ranking.rank if archive.ranking else None
    weighted = app.ai.weighted_score if app.ai else None
    scored = repo.requisitions.scored_count(app.requisition_id)
    zh, en = summary(screening, rows, weighted, rank, scored, decisions, ended_by, app.stage.value)
    return Explanation.model_validate(
        {
            "application_id": app.id,
            "requisition_id": app.requisition_id,
            "stage": app.stage,
            "screening": screening,
            "dimensions": rows,
            "overall_score": app.ai.overall_score if app.ai else None,
            "weighted_score": weighted,
            "rank": rank,
            "scored": scored,
            "human_decisions": decisions,
            "automated_rejection": automated,
            "ended_by": ended_by,
            "summary_zh": zh,
            "summary_en": en,
        }
    )
