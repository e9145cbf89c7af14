"""Background checks in tests: a completed check as the background-check feature stores it (for
features that only read checks: assessments, offers), a fake of our vendor interface, the vendor's
signed result, and the calls that order, deliver and read checks."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from chalice.test import Client

from infra.local.vendors import LOCAL_BACKGROUND_VENDOR_SECRETS
from shared.domain.background import VendorError
from shared.models.assessment import AssessmentRequest
from shared.models.background import BackgroundCheck, VendorOrder, as_item
from shared.store.items import serialize
from tests.support.api import Api
from tests.support.events import drain
from tests.support.stack import REGION, Stack
from tests.support.webhooks import signed

ROOT = Path(__file__).resolve().parents[2]
WEBHOOK = "/webhooks/background-checks"
RESULT: dict[str, Any] = json.loads((ROOT / "events/webhooks/background-check-result.json").read_text("utf-8"))
ORDER = {"checks": ["education", "employment", "credit"], "consent_reference": "SQ-2026-000123"}
BGC_SECRET = LOCAL_BACKGROUND_VENDOR_SECRETS["bgcheck"][0]


def completed_check(
    app_id: str,
    check_id: str = "chk1",
    outcome: str | None = "clear",
    ordered_at: str = "2026-12-01T08:00:00.000000Z",
    status: str = "completed",
    with_result: bool = False,
    facts: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A check as the store keeps it; ``facts``: the vendor's result it completed with
    (``result(check_id)``), if any; ``with_result``: the vendor's sample result (credit included)."""
    if with_result and facts is None:
        facts = RESULT | {"check_reference": check_id}
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
            "result": facts,
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


class FakeVendor:
    """A fake of our ``BackgroundVendor`` interface: idempotent on the reference, can be down."""

    vendor_id = "bgcheck"

    def __init__(self) -> None:
        self.down = False
        self.calls: list[str] = []
        self.orders: dict[str, str] = {}

    def submit(self, order: VendorOrder) -> str:
        self.calls.append(order.reference)
        if self.down:
            raise VendorError("503 from the vendor")
        return self.orders.setdefault(order.reference, f"V-{len(self.orders) + 1:04d}")


def fake_vendor(monkeypatch: pytest.MonkeyPatch) -> FakeVendor:
    """The background-check consumer sends its orders to a ``FakeVendor`` (for this test)."""
    import functions.consumers.background_check_queue as bgc_functions

    fake = FakeVendor()
    monkeypatch.setattr(bgc_functions, "vendor", lambda: fake)
    return fake


def queue_url(stack: Stack, dlq: bool = False) -> str:
    return stack.env["BACKGROUND_CHECK_DEAD_LETTER_QUEUE_URL" if dlq else "BACKGROUND_CHECK_QUEUE_URL"]


def consume(client: Client, stack: Stack) -> int:
    """Deliver the background-check queue to its consumer (it sends the orders to the vendor)."""
    return drain(lambda e: client.lambda_.invoke("background_check_worker", e).payload, queue_url(stack))


def result(check_id: str, **changes: Any) -> dict[str, Any]:
    """The vendor's result for ``check_id`` (``events/webhooks/background-check-result.json``)."""
    body = copy.deepcopy(RESULT)
    body.update(check_reference=check_id, **changes)
    return body


def send_result(api: Api, body: dict[str, Any] | bytes, **kw: Any) -> Any:
    """The vendor posts its result, signed with its local secret unless ``secret=`` says otherwise."""
    headers, raw = signed(body, "bgcheck", **({"secret": BGC_SECRET} | kw))
    return api.call("POST", WEBHOOK, role=None, headers=headers, raw=raw)


def order(api: Api, app_id: str) -> str:
    """HR orders the standard check (``ORDER``); returns the check's id."""
    ordered = api.call("POST", f"/applications/{app_id}/background-checks", body=ORDER)
    assert ordered.status_code == 201, ordered.data
    return str(ordered.data["check_id"])


def checks(api: Api, app_id: str, role: str = "hr") -> Any:
    return api.call("GET", f"/applications/{app_id}/background-checks", role=role)
