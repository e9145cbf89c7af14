"""Signed vendor deliveries, as a vendor would send them."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from infra.local.vendors import LOCAL_VENDOR_SECRETS
from shared.security.webhooks import sign


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
    body: dict[str, Any] = {
        "vendor_id": "aivendor",
        "requisition_id": requisition_id,
        "dimension_scores": dims,
        "overall_score": 80.5,
        "questions": [{"question_id": "Q1", "dimension": "logic", "score": 85, "transcript_excerpt": "首先拆解问题"}],
        "model_version": "aivendor-scoring-2026.11",
        "completed_at": completed_at,
    }
    if application_id:
        body["application_id"] = application_id
    if external_ref:
        body["external_ref"] = external_ref
    return body


def signed(
    body: dict[str, Any] | bytes,
    vendor: str = "aivendor",
    *,
    webhook_id: str | None = None,
    timestamp: int | None = None,
    secret: str | None = None,
) -> tuple[dict[str, str], bytes]:
    raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    msg_id = webhook_id or f"msg_{uuid.uuid4().hex}"
    ts = int(time.time()) if timestamp is None else timestamp
    key = secret or LOCAL_VENDOR_SECRETS[vendor][0]
    headers = {
        "Content-Type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": str(ts),
        "webhook-signature": sign(key, msg_id, ts, raw),
    }
    return headers, raw
