"""The rejection notice survives a refusing notification queue: it is recorded with HR's rejection,
queued right after or by the ``reconcile_rejection_notices`` safety net, and mailed exactly once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from chalice.test import Client

from shared.store.applications import REJECTION_OUTBOX
from shared.store.repository import Repository
from tests.support.api import Api
from tests.support.bodies import ERASURE_REASON
from tests.support.clock import MovedClock
from tests.support.events import SCHEDULED, deliver_notifications
from tests.support.faults import Faults, installed
from tests.support.hiring import new_app, scored_apps
from tests.support.mail import sent_mail

NOTICE_SUBJECT = "应聘结果通知"
PAST_GRACE = 0.01  # days (about 14 minutes): older than the outbox's grace period of a minute


@pytest.fixture
def faults(stack: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Faults]:
    f = installed(monkeypatch)
    yield f
    f.clear()


def pending() -> list[str]:
    """The applications whose rejection notice is still in the outbox."""
    return [str(i["sk"]) for i in Repository().query(REJECTION_OUTBOX, limit=100).items]


def notices_to(address: str) -> int:
    return len([m for m in sent_mail() if NOTICE_SUBJECT in m.subject and address in m.destinations["ToAddresses"]])


def refuse_notifications(faults: Faults) -> None:
    faults.inject("sqs", "SendMessageBatch", "unavailable")
    faults.inject("sqs", "SendMessage", "unavailable")


def reject(api: Api, app_id: str, role: str = "hr") -> Any:
    return api.call("POST", f"/applications/{app_id}/transitions", role=role, body={"to": "rejected", "reason": "x"})


def test_a_rejection_notice_the_queue_refused_is_sent_once_by_the_safety_net(
    api: Api, client: Client, req_id: str, faults: Faults, business_clock: MovedClock
) -> None:
    # Given an applicant at ai_interviewed (person 100) and a notification queue that refuses everything
    app_id = scored_apps(api, req_id, 1)[0]["id"]
    refuse_notifications(faults)
    # When HR rejects the application
    rejected = reject(api, app_id)
    # Then the rejection still succeeds and its notice is pending, not lost
    assert rejected.status_code == 200, rejected.data
    assert rejected.data["stage"] == "rejected"
    assert faults.injected and pending() == [app_id]
    # When the safety net runs while the queue still refuses (past the grace period)
    business_clock.forward(PAST_GRACE)
    still_down = client.lambda_.invoke("reconcile_rejection_notices", SCHEDULED).payload
    # Then nothing is lost either
    assert still_down == {"resent": 0, "failed": 1, "young": 0}
    assert pending() == [app_id]
    # When the queue is back and the safety net runs, and the notification queue is delivered
    faults.clear()
    assert client.lambda_.invoke("reconcile_rejection_notices", SCHEDULED).payload == {
        "resent": 1,
        "failed": 0,
        "young": 0,
    }
    deliver_notifications(client, api.stack)
    # Then the applicant gets exactly one notice and nothing is pending
    assert notices_to("applicant100@example.com") == 1
    assert pending() == []
    # When the safety net runs again (a retried schedule) and the queue is delivered again
    again = client.lambda_.invoke("reconcile_rejection_notices", SCHEDULED).payload
    deliver_notifications(client, api.stack)
    # Then nothing more is sent
    assert again == {"resent": 0, "failed": 0, "young": 0}
    assert notices_to("applicant100@example.com") == 1


def test_the_safety_net_leaves_a_fresh_notice_to_the_request_that_rejected(
    api: Api, client: Client, req_id: str, faults: Faults
) -> None:
    # Given HR's screening rejection whose notice the queue refused a moment ago
    app = new_app(api, req_id, 5, resume_text="无相关经历")
    refuse_notifications(faults)
    body = {"decisions": [{"application_id": app["id"], "decision": "reject", "reason": "关键词不符"}]}
    decided = api.call("POST", f"/requisitions/{req_id}/screening/decisions", body=body)
    assert decided.status_code == 200 and decided.data["results"][0]["outcome"] == "applied"
    assert pending() == [app["id"]]
    # When the safety net runs within the grace period
    faults.clear()
    young = client.lambda_.invoke("reconcile_rejection_notices", SCHEDULED).payload
    deliver_notifications(client, api.stack)
    # Then it leaves the record alone: nothing queued yet, nothing mailed
    assert young == {"resent": 0, "failed": 0, "young": 1}
    assert pending() == [app["id"]]
    assert notices_to("applicant105@example.com") == 0


def test_a_normal_rejection_sends_one_notice_and_leaves_nothing_pending(api: Api, client: Client, req_id: str) -> None:
    # Given two applicants at ai_interviewed (persons 100 and 101)
    first, second = (a["id"] for a in scored_apps(api, req_id, 2))
    # When a manager's rejection is refused and HR rejects the first, and the queue is delivered
    assert reject(api, second, role="manager").status_code in (403, 409)
    assert reject(api, first).status_code == 200
    deliver_notifications(client, api.stack)
    # Then the first applicant gets exactly one notice, the second none, and nothing is pending
    assert notices_to("applicant100@example.com") == 1
    assert notices_to("applicant101@example.com") == 0
    assert pending() == []


def test_erasure_removes_a_pending_rejection_notice(api: Api, req_id: str, faults: Faults) -> None:
    # Given HR's rejection whose notice the queue refused (pending in the outbox)
    app_id = scored_apps(api, req_id, 1)[0]["id"]
    refuse_notifications(faults)
    assert reject(api, app_id).status_code == 200
    faults.clear()
    assert pending() == [app_id]
    # When HR erases the candidate
    erased = api.call("DELETE", f"/candidates/{app_id}", body=ERASURE_REASON)
    # Then the pending notice is gone with the rest of the person's data
    assert erased.status_code == 200, erased.data
    assert pending() == []
