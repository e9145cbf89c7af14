"""A completed background check as the background-check feature stores it (for tests of features
that only read checks: assessments, offers)."""

from __future__ import annotations

from typing import Any

import boto3

from shared.models.assessment import AssessmentRequest
from shared.models.background import BackgroundCheck, as_item
from shared.store.items import serialize
from tests.support.stack import REGION


def completed_check(
    app_id: str,
    check_id: str = "chk1",
    outcome: str | None = "clear",
    ordered_at: str = "2026-12-01T08:00:00.000000Z",
    status: str = "completed",
) -> dict[str, Any]:
    check = BackgroundCheck.model_validate(
        {
            "check_id": check_id,
            "application_id": app_id,
            "status": status,
            "outcome": outcome if status == "completed" else None,
            "checks": ["education", "employment", "credit"],
            "consent_reference": "CONSENT-TEST",
            "vendor_id": "bgcheck",
            "ordered_at": ordered_at,
            "ordered_by": "hr.demo",
            "completed_at": ordered_at if status == "completed" else None,
            "updated_at": ordered_at,
        }
    )
    return as_item(check)


def assessment_item(app_id: str, request_id: str, status: str, department: str = "零售金融部") -> dict[str, Any]:
    """A supplementary assessment request as the assessments feature stores it."""
    request = AssessmentRequest.model_validate(
        {
            "request_id": request_id,
            "application_id": app_id,
            "department": department,
            "assessment": {"name": "客户模拟谈判"},
            "reason": "需要进一步考察谈判能力",
            "status": status,
            "requested_by": "manager.demo",
            "requested_by_role": "manager",
            "requested_at": "2026-12-01T08:00:00.000000Z",
            "stage_at_request": "evaluated",
            "version": 1,
            "updated_at": "2026-12-01T08:00:00.000000Z",
        }
    )
    return {"pk": f"APP#{app_id}", "sk": f"ASSESS#{request_id}", "type": "assessment_request"} | request.model_dump(
        mode="json"
    )


def write_completed_check(table_name: str, app_id: str, **kwargs: Any) -> None:
    item = completed_check(app_id, **kwargs)
    boto3.client("dynamodb", region_name=REGION).put_item(TableName=table_name, Item=serialize(item))
