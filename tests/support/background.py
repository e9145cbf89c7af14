"""A completed background check as the background-check feature stores it (for tests of features
that only read checks: assessments, offers)."""

from __future__ import annotations

from typing import Any

import boto3

from shared.models.background import BackgroundCheck, as_item
from shared.store.items import serialize
from tests.support.stack import REGION


def completed_check(
    app_id: str, check_id: str = "chk1", outcome: str = "clear", ordered_at: str = "2026-12-01T08:00:00.000000Z"
) -> dict[str, Any]:
    check = BackgroundCheck.model_validate(
        {
            "check_id": check_id,
            "application_id": app_id,
            "status": "completed",
            "outcome": outcome,
            "checks": ["education", "employment", "credit"],
            "consent_reference": "CONSENT-TEST",
            "vendor_id": "bgcheck",
            "ordered_at": ordered_at,
            "ordered_by": "hr.demo",
            "completed_at": ordered_at,
            "updated_at": ordered_at,
        }
    )
    return as_item(check)


def write_completed_check(table_name: str, app_id: str, **kwargs: Any) -> None:
    item = completed_check(app_id, **kwargs)
    boto3.client("dynamodb", region_name=REGION).put_item(TableName=table_name, Item=serialize(item))
