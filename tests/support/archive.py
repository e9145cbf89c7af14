"""Setting parts of an application that other flows produce (an AI result, assigned interviewers)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared.models.common import Dimension
from shared.models.interview import AiResult
from shared.store.audit import AuditEntry
from shared.store.repository import Repository


def ai_result(scores: Mapping[Dimension, float], overall: float = 80.0) -> AiResult:
    return AiResult(
        vendor_id="vendor-a",
        model_version="m-2026.1",
        webhook_id="msg_test",
        completed_at="2026-11-28T10:00:00Z",
        received_at="2026-11-28T10:00:05Z",
        overall_score=overall,
        dimension_scores=dict(scores),
        weighted_score=overall,
    )


def update_application(application_id: str, **changes: Any) -> None:
    """Write fields of the stored application as the flow that owns them would (versioned, audited)."""
    repo = Repository()
    before = repo.applications.require(application_id)
    after = before.model_copy(update={**changes, "version": before.version + 1})
    repo.applications.update(before, after, AuditEntry(f"application:{application_id}", "test", "test.update", {}))
