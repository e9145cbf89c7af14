"""Signed vendor deliveries, as a vendor would send them (the builders are the vendor simulator's)."""

from __future__ import annotations

from typing import Any

from infra.local.simulator import canonical_payload, signed_request


def canonical(
    requisition_id: str,
    *,
    application_id: str | None = None,
    external_ref: str | None = None,
    completed_at: str = "2026-11-28T09:30:00+08:00",
    **scores: float,
) -> dict[str, Any]:
    dims = {
        "logic": 85,
        "expression": 78,
        "customer_orientation": 88,
        "teamwork": 70,
        "risk_awareness": 74,
        "data_analysis": 81,
    } | scores
    return canonical_payload(
        requisition_id,
        scores=dims,
        overall_score=80.5,
        completed_at=completed_at,
        application_id=application_id,
        external_ref=external_ref,
        questions=[{"question_id": "Q1", "dimension": "logic", "score": 85, "transcript_excerpt": "首先拆解问题"}],
        model_version="aivendor-scoring-2026.11",
    )


# headers and raw body of a delivery, signed as the vendor signs it (the simulator's builder)
signed = signed_request
