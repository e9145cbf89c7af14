"""The hiring flow as tests drive it through the API: a requisition, applications, signed AI results,
stage moves, up to an application ready for a background check or an offer."""

from __future__ import annotations

import copy
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from shared.domain.stages import Stage
from shared.models.common import Dimension
from tests.support.api import Api
from tests.support.archive import ai_result, update_application
from tests.support.background import write_completed_check
from tests.support.ids import person
from tests.support.webhooks import canonical, signed

ROOT = Path(__file__).resolve().parents[2]
SAMPLE: dict[str, Any] = json.loads((ROOT / "events" / "requisition-customer-manager.json").read_text("utf-8"))
WEBHOOK = "/webhooks/interview-results"
INTERVIEW = {"starts_at": "2026-12-08T09:30:00+08:00", "place": "郑州市郑东新区中原银行总部 8 楼 801 室"}


def make(api: Api, **changes: Any) -> Any:
    """HR creates the sample requisition, with ``changes``."""
    body = copy.deepcopy(SAMPLE)
    body.update(changes)
    return api.call("POST", "/requisitions", body=body)


def new_app(api: Api, req_id: str, n: int = 1, **extra: Any) -> dict[str, Any]:
    """HR creates application ``n`` (``tests.support.ids.person(n)``) in the requisition."""
    response = api.call("POST", f"/requisitions/{req_id}/applications", body=person(n) | extra)
    assert response.status_code == 201, response.data
    return dict(response.data)


def deliver(api: Api, body: Any, vendor: str = "aivendor", settle: bool = True, **kw: Any) -> Any:
    """The vendor delivers an AI result, signed (``signed``'s keywords: webhook_id, timestamp, secret)."""
    headers, raw = signed(body, vendor, **kw)
    return api.call("POST", WEBHOOK, role=None, headers=headers, raw=raw, settle=settle)


def scored_apps(api: Api, req_id: str, n: int) -> list[dict[str, Any]]:
    """``n`` applications with AI results; the weighted score rises with the index, and logic is under
    the sample's bar (70) for the first two."""
    apps = [new_app(api, req_id, 100 + i) for i in range(n)]
    for i, app in enumerate(apps):
        deliver(api, canonical(req_id, application_id=app["id"], logic=60 + 3 * i, customer_orientation=70 + 2 * i))
    return apps


def at_stage(api: Api, app_id: str, *stages: str) -> None:
    """HR moves the application through ``stages``, in order."""
    for stage in stages:
        moved = api.call("POST", f"/applications/{app_id}/transitions", body={"to": stage, "reason": "流程推进"})
        assert moved.status_code == 200, moved.data


def evaluate(api: Api, app_id: str) -> None:
    """The department's manager records a second-interview evaluation (the evidence ``evaluated`` needs)."""
    body = {
        "ratings": {"logic": 80, "customer_orientation": 78},
        "comment": "案例具体，逻辑清楚",
        "recommendation": "hire",
    }
    recorded = api.call("POST", f"/applications/{app_id}/evaluations", role="manager", body=body)
    assert recorded.status_code == 201, recorded.data


def evaluated_app(api: Api, req_id: str, n: int = 1) -> dict[str, Any]:
    """An application with an AI result, moved by HR through the second interview to ``evaluated``
    after the department's manager evaluated it."""
    app = new_app(api, req_id, n)
    assert deliver(api, canonical(req_id, application_id=app["id"])).status_code == 200
    at_stage(api, app["id"], "shortlisted", "second_interview")
    evaluate(api, app["id"])
    at_stage(api, app["id"], "evaluated")
    return app


def at_background_check(api: Api, req_id: str, n: int = 1, score: float = 80.0, clear: bool = True) -> str:
    """An application at background_check with an AI score (and, by default, a clear check ``bgc1``)."""
    app_id = str(new_app(api, req_id, n)["id"])
    scores = {Dimension.logic: score, Dimension.customer_orientation: score}
    update_application(app_id, stage=Stage.background_check, ai=ai_result(scores, overall=score))
    if clear:
        write_completed_check(api.stack.env["TABLE_NAME"], app_id, check_id="bgc1")
    return app_id


def offer_body(**changes: Any) -> dict[str, Any]:
    """An offer HR makes: starts in 40 days, expires in 14."""
    today = date.today()
    body = {
        "grade": "P5",
        "start_date": (today + timedelta(days=40)).isoformat(),
        "work_location": "郑州市郑东新区商务外环路 23 号",
        "expires_on": (today + timedelta(days=14)).isoformat(),
    }
    return body | changes


def approve(api: Api, app_id: str, offer_id: str) -> Any:
    """The department's manager approves the offer."""
    url = f"/applications/{app_id}/offers/{offer_id}/approvals"
    return api.call("POST", url, role="manager", body={"decision": "approve"})
