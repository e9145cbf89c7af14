"""Concurrency races, with the interleaving forced deterministically: a hook between a request's read
and its conditional write runs the rival request to completion first (the worst case of two
concurrent requests). Exactly one wins, the other is 409 (or, where the change is additive, applied
again to a fresh read); no update is lost, the audit trail records each change once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from chalice.test import Client

from shared.store.applications import ApplicationStore
from shared.store.offers import OfferStore
from shared.store.probation import ProbationStore
from shared.store.repository import Repository
from tests.support.api import Api
from tests.support.hiring import approve, at_background_check, make, new_app, offer_body
from tests.support.probation import FAST, awaiting, finished, hire, until
from tests.support.stack import REGION


class Race:
    """The first call of ``cls.method`` first lets ``rival`` run to its end, then goes on with what it
    had read: the rival's write lands between this request's read and its conditional write."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, cls: type, method: str, rival: Callable[[], Any]) -> None:
        self.rival_response: Any = None
        self.armed = True
        real = getattr(cls, method)

        def interleaved(store: Any, *args: Any, **kwargs: Any) -> Any:
            if self.armed:
                self.armed = False
                self.rival_response = rival()
            return real(store, *args, **kwargs)

        monkeypatch.setattr(cls, method, interleaved)


def audit_actions(subject: str) -> list[str]:
    return [str(a["action"]) for a in Repository().audit.page(subject, limit=100).items]


def test_two_hr_users_moving_one_application_one_wins_the_other_is_409(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a screened application
    app_id = str(new_app(api, str(make(api).data["id"]))["id"])
    url = f"/applications/{app_id}/transitions"
    before = audit_actions(f"application:{app_id}").count("stage.transition")
    # And HR user B rejecting it between HR user A's read and A's write
    race = Race(
        monkeypatch,
        ApplicationStore,
        "update",
        lambda: api.call("POST", url, body={"to": "rejected", "reason": "岗位匹配度不足"}),
    )
    # When HR user A shortlists it
    a = api.call("POST", url, body={"to": "shortlisted", "reason": "笔试优秀"})
    # Then exactly one wins (B, who wrote first) and A gets 409 naming the conflict
    assert race.rival_response.status_code == 200, race.rival_response.data
    assert a.status_code == 409, a.data
    assert a.data["error"]["code"] == "conflict"
    # And the application is where the winner put it, with one change in the audit trail
    app = api.call("GET", f"/applications/{app_id}").data
    assert app["stage"] == "rejected"
    assert audit_actions(f"application:{app_id}").count("stage.transition") == before + 1


def test_two_hr_users_moving_one_application_with_real_threads(api: Api, client: Client) -> None:
    # Given a screened application and two HR users who press "move" at the same moment
    app_id = str(new_app(api, str(make(api).data["id"]))["id"])
    url = f"/applications/{app_id}/transitions"
    start = threading.Barrier(2)
    results: dict[str, int] = {}

    def move(to: str, reason: str) -> None:
        start.wait()
        results[to] = api.call("POST", url, body={"to": to, "reason": reason}).status_code

    threads = [
        threading.Thread(target=move, args=("shortlisted", "笔试优秀")),
        threading.Thread(target=move, args=("rejected", "岗位匹配度不足")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    # Then at most one change was applied per version: the final stage is one of the two, and the
    # audit trail has exactly as many transitions as 200s
    stage = api.call("GET", f"/applications/{app_id}").data["stage"]
    moved = [to for to, status in results.items() if status == 200]
    assert sorted(results.values()) in ([200, 409], [200, 200])
    assert stage in moved
    assert audit_actions(f"application:{app_id}").count("stage.transition") == len(moved)


def esign_messages(stack: Any) -> int:
    sqs = boto3.client("sqs", region_name=REGION)
    attrs = sqs.get_queue_attributes(
        QueueUrl=stack.env["ESIGN_QUEUE_URL"],
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return int(attrs["ApproximateNumberOfMessages"]) + int(attrs["ApproximateNumberOfMessagesNotVisible"])


def test_two_approvals_of_one_offer_one_wins_one_envelope_message(
    api: Api, stack: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given an offer waiting for the department manager's approval
    app_id = at_background_check(api, str(make(api).data["id"]))
    offer = api.call("POST", f"/applications/{app_id}/offers", body=offer_body()).data
    # And the same approval sent twice at once (a double click), the second landing mid-way
    race = Race(monkeypatch, OfferStore, "transact", lambda: approve(api, app_id, offer["id"]))
    first = approve(api, app_id, offer["id"])
    # Then exactly one approval is taken and the other is 409
    assert sorted([first.status_code, race.rival_response.status_code]) == [200, 409]
    # And one approval record, one e-signature message: the envelope will be sent once
    stored = api.call("GET", f"/applications/{app_id}/offers/{offer['id']}").data
    assert stored["status"] == "approved"
    assert esign_messages(stack) == 1
    approvals = [a for a in audit_actions(f"application:{app_id}") if a.startswith("offer.approv")]
    assert len(approvals) == 1, approvals


def test_two_offers_made_at_once_for_the_last_place_one_wins_the_other_is_409(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a requisition with one place and two applicants ready for an offer
    req_id = str(make(api, headcount=1).data["id"])
    first_app, second_app = at_background_check(api, req_id, 1), at_background_check(api, req_id, 2)
    # And HR user B making an offer to the second between HR user A's headcount check and A's write
    race = Race(
        monkeypatch,
        OfferStore,
        "transact",
        lambda: api.call("POST", f"/applications/{second_app}/offers", body=offer_body()),
    )
    first = api.call("POST", f"/applications/{first_app}/offers", body=offer_body())
    # Then B's offer is made and A's is 409, naming the requisition
    assert race.rival_response.status_code == 201, race.rival_response.data
    assert first.status_code == 409, first.data
    assert req_id in first.data["error"]["message"]
    # And A's retry checks the headcount again and is refused: one place, one offer
    again = api.call("POST", f"/applications/{first_app}/offers", body=offer_body())
    assert again.status_code == 409 and "headcount" in again.data["error"]["message"], again.data
    assert api.call("GET", f"/applications/{first_app}").data["stage"] == "background_check"
    assert [a for a in audit_actions(f"application:{first_app}") if a == "offer.create"] == []


def test_the_probation_decision_sent_twice_at_once_is_taken_once(
    api: Api, client: Client, stack: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a final review waiting for the manager
    hire("race-d")
    durations = {**FAST, "decision_timeout": 120, "heartbeat": 120}
    arn = api.call("POST", "/employees/race-d/probation/confirm", body={"durations": durations}).data["execution_arn"]
    until(awaiting(api, "race-d"), client, stack)
    url = "/employees/race-d/probation/decision"
    # And the manager's "not confirm" landing between the read and the write of their "confirm"
    race = Race(
        monkeypatch,
        ProbationStore,
        "put",
        lambda: api.call("POST", url, role="manager", body={"decision": "not_confirm", "reason": "目标未达成"}),
    )
    first = api.call("POST", url, role="manager", body={"decision": "confirm"})
    # Then one decision is taken (the one written first) and the other is 409
    assert race.rival_response.status_code == 200, race.rival_response.data
    assert first.status_code == 409, first.data
    # And the state machine got exactly that one decision
    done = until(finished(api, "race-d", arn), client, stack)
    assert (done["status"], done["outcome"]) == ("completed", "not_confirmed")
    assert audit_actions("employee:race-d").count("probation:decision") == 1


def test_progress_recorded_concurrently_on_one_goal_counts_both(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a running probation with a count goal
    hire("race-p")
    durations = {**FAST, "check_in": 600, "mid_term": 600, "end": 600}
    assert api.call("POST", "/employees/race-p/probation/confirm", body={"durations": durations}).status_code == 201
    goals = api.call("GET", "/employees/race-p/probation").data["goals"]
    goal = next(g for g in goals if g["measure"] == "count")
    today = __import__("datetime").date.today().isoformat()
    url = "/employees/race-p/probation/progress"
    # And the manager recording 2 visits while HR's record of 3 visits lands between read and write
    race = Race(
        monkeypatch,
        ProbationStore,
        "put",
        lambda: api.call("POST", url, body={"goal_id": goal["id"], "amount": 3, "date": today, "note": "HR"}),
    )
    mine = api.call(
        "POST", url, role="manager", body={"goal_id": goal["id"], "amount": 2, "date": today, "note": "经理"}
    )
    # Then both are counted: no lost update (the loser re-applies its increment to a fresh read)
    assert race.rival_response.status_code == 200 and mine.status_code == 200, mine.data
    after = next(g for g in api.call("GET", "/employees/race-p/probation").data["goals"] if g["id"] == goal["id"])
    assert after["achieved"] == goal["achieved"] + 5
    assert audit_actions("employee:race-p").count("probation:progress") == 2
