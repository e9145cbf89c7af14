"""Supplementary assessments (补充测评) in tests: where a manager's requests live, and the consumer that
mails HR's decision."""

from __future__ import annotations

from chalice.test import Client

from tests.support.api import Api
from tests.support.bodies import ASSESSMENT_REASON, NEGOTIATION
from tests.support.events import deliver_notifications
from tests.support.hiring import at_stage, make, new_app


def base(app_id: str) -> str:
    """The application's assessment requests (``POST`` asks, ``…/{id}/decision`` decides)."""
    return f"/applications/{app_id}/assessment-requests"


def run_notification_worker(api: Api, client: Client) -> None:
    """Deliver the NotificationQueue to its consumer (what the SQS event source does in AWS)."""
    deliver_notifications(client, api.stack)


def assessment_requested(api: Api) -> tuple[str, str]:
    """(application id, request id): an application at second_interview whose department's manager
    asked for the negotiation simulation."""
    req_id = str(make(api).data["id"])
    app_id = str(new_app(api, req_id)["id"])
    at_stage(api, app_id, "shortlisted", "second_interview")
    body = {"reason": ASSESSMENT_REASON, "assessment": NEGOTIATION}
    created = api.call("POST", base(app_id), role="manager", body=body)
    assert created.status_code == 201, created.data
    return app_id, str(created.data["request_id"])
