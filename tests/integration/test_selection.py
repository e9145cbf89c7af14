"""Stage transitions, bulk moves, the shortlist and second-interview invitations."""

from __future__ import annotations

import threading
from functools import cached_property
from typing import Any

from chalice.test import Client

from shared.domain.stages import Stage
from shared.services.selection import Selection
from shared.store.applications import ApplicationStore
from shared.store.repository import Repository
from tests.support.api import Api
from tests.support.events import drain
from tests.support.hiring import INTERVIEW, new_app, scored_apps
from tests.support.mail import sent_mail


def test_single_transition_names_the_stage_and_the_allowed_ones(api: Api, req_id: str) -> None:
    app = new_app(api, req_id)
    moved = api.call(
        "POST", f"/applications/{app['id']}/transitions", body={"to": "ai_interviewed", "reason": "AI 面试完成"}
    )
    assert moved.status_code == 200 and moved.data["stage"] == "ai_interviewed"
    illegal = api.call("POST", f"/applications/{app['id']}/transitions", body={"to": "hired", "reason": "x"})
    assert illegal.status_code == 409
    detail = illegal.data["error"]["details"][0]
    assert detail["current_stage"] == "ai_interviewed" and "shortlisted" in detail["allowed"]
    stale = api.call(
        "POST",
        f"/applications/{app['id']}/transitions",
        body={"to": "shortlisted", "reason": "x", "expected_version": 1},
    )
    assert stale.status_code == 409 and "version" in stale.data["error"]["message"]
    assert (
        api.call(
            "POST", f"/applications/{app['id']}/transitions", role="manager", body={"to": "rejected", "reason": "x"}
        ).status_code
        == 403
    )
    assert api.call("POST", "/applications/nope/transitions", body={"to": "rejected", "reason": "x"}).status_code == 404


def test_two_racing_transitions_exactly_one_wins(api: Api, req_id: str) -> None:
    # Given an application two HR users act on at the same moment, both having read the same version
    app_id = new_app(api, req_id)["id"]
    barrier = threading.Barrier(2)

    class RacingApplications(ApplicationStore):
        def get(self, application_id: str) -> Any:
            found = super().get(application_id)
            barrier.wait(timeout=10)  # both have read before either writes
            return found

    class RacingRepository(Repository):
        applications = cached_property(RacingApplications)

    results: list[Any] = []

    def act(target: Stage) -> None:
        results.append(Selection(RacingRepository()).transition(app_id, target, "race", "hr.demo", "hr"))

    threads = [threading.Thread(target=act, args=(t,)) for t in (Stage.ai_interviewed, Stage.rejected)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Then exactly one moved and the other got a conflict
    assert sorted(r.outcome for r in results) == ["conflict", "moved"]
    winner = next(r for r in results if r.outcome == "moved")
    assert Repository().applications.require(app_id).stage == winner.stage


def test_bulk_transition_reports_every_item(api: Api, req_id: str) -> None:
    apps = [new_app(api, req_id, 200 + i) for i in range(12)]
    items = [{"application_id": a["id"], "to": "ai_interviewed"} for a in apps[:10]]
    items += [{"application_id": apps[10]["id"], "to": "hired"}, {"application_id": "nope", "to": "rejected"}]
    response = api.call("POST", f"/requisitions/{req_id}/transitions", body={"items": items, "reason": "批量"})
    assert response.status_code == 200
    assert response.data["counts"] == {"moved": 10, "conflict": 1, "not_found": 1}
    assert (
        api.call("GET", f"/requisitions/{req_id}/applications?stage=ai_interviewed&limit=50").data["items"].__len__()
        == 10
    )


def test_shortlist_reads_only_the_top_and_invites_once(api: Api, client: Client, req_id: str) -> None:
    # Given 10 scored applications, one of which HR already rejected
    apps = scored_apps(api, req_id, 10)
    rejected = apps[9]["id"]  # the best one, rejected before the shortlist
    api.call("POST", f"/applications/{rejected}/transitions", body={"to": "rejected", "reason": "撤回"})
    # When HR asks for the shortlist (ratio 0.3 of 10 scored → 3)
    proposal = api.call("POST", f"/requisitions/{req_id}/shortlist").data
    # Then the top 3 still in the pool are proposed, reading exactly 3 items, best first
    assert (proposal["size"], proposal["items_read"]) == (3, 3)
    assert [e["application_id"] for e in proposal["entries"]] == [apps[8]["id"], apps[7]["id"], apps[6]["id"]]
    assert all(e["eligible"] for e in proposal["entries"])
    scores = [e["weighted_score"] for e in proposal["entries"]]
    assert scores == sorted(scores, reverse=True)
    # and nobody moved yet (the AI results moved them to ai_interviewed; the proposal moves no one)
    assert all(api.call("GET", f"/applications/{a['id']}").data["stage"] == "ai_interviewed" for a in apps[:9])
    # When HR confirms with an edit (swaps #3 for a flagged lower one)
    lower = apps[1]["id"]
    confirm = {
        "proposal_id": proposal["proposal_id"],
        "application_ids": [apps[8]["id"], apps[7]["id"], lower],
        "interview": INTERVIEW,
    }
    done = api.call("POST", f"/requisitions/{req_id}/shortlist/confirm", body=confirm).data
    assert done["counts"] == {"moved": 3} and done["invitations_queued"] == 3
    # Then after the notification worker runs, each got one e-mail with the date and place
    queue_url = api.stack.env["NOTIFICATION_QUEUE_URL"]
    drain(lambda e: client.lambda_.invoke("notification_worker", e).payload, queue_url)
    mails = [m for m in sent_mail() if "复试邀请" in m.subject]  # (the one HR rejected is told so, apart)
    assert len(mails) == 3
    assert all("复试邀请" in m.subject and "2026年12月8日 09:30" in m.body and "801 室" in m.body for m in mails)
    # And confirming again sends nobody a second e-mail
    again = api.call("POST", f"/requisitions/{req_id}/shortlist/confirm", body=confirm).data
    assert again["counts"] == {"conflict": 3}
    drain(lambda e: client.lambda_.invoke("notification_worker", e).payload, queue_url)
    assert len([m for m in sent_mail() if "复试邀请" in m.subject]) == 3
    # And those outside the shortlist stay in the pool
    assert api.call("GET", f"/applications/{apps[6]['id']}").data["stage"] == "ai_interviewed"


def test_below_bar_is_flagged_not_dropped(api: Api, req_id: str) -> None:
    apps = scored_apps(api, req_id, 3)
    proposal = api.call("POST", f"/requisitions/{req_id}/shortlist").data
    assert proposal["size"] == 1
    # the requisition's bars are logic 70 and customer_orientation 80: the top one is under both
    assert proposal["entries"][0]["application_id"] == apps[2]["id"]
    assert proposal["entries"][0]["below_bar"] == {"logic": 66.0, "customer_orientation": 74.0}


def test_shortlist_is_hr_only_and_needs_a_real_proposal(api: Api, req_id: str) -> None:
    assert api.call("POST", f"/requisitions/{req_id}/shortlist", role="manager").status_code == 403
    bad = {"proposal_id": "0" * 32, "interview": INTERVIEW}
    assert api.call("POST", f"/requisitions/{req_id}/shortlist/confirm", body=bad).status_code == 404
    missing_place = {"proposal_id": "0" * 32, "interview": {"starts_at": "2026-12-08T09:30:00+08:00"}}
    response = api.call("POST", f"/requisitions/{req_id}/shortlist/confirm", body=missing_place)
    assert response.status_code == 400 and response.data["error"]["details"][0]["field"] == "interview.place"


def test_a_requisition_that_stopped_inviting_sends_no_invitation(api: Api, client: Client, req_id: str) -> None:
    # Given a confirmed shortlist whose invitations are queued
    scored_apps(api, req_id, 4)
    proposal = api.call("POST", f"/requisitions/{req_id}/shortlist").data
    confirm = {"proposal_id": proposal["proposal_id"], "interview": INTERVIEW}
    assert api.call("POST", f"/requisitions/{req_id}/shortlist/confirm", body=confirm).data["invitations_queued"] == 2
    # When HR puts the requisition on hold before the notification worker runs
    hold = {"status": "on_hold", "reason": "预算冻结"}
    assert api.call("POST", f"/requisitions/{req_id}/status", body=hold).status_code == 200
    drain(lambda e: client.lambda_.invoke("notification_worker", e).payload, api.stack.env["NOTIFICATION_QUEUE_URL"])
    # Then nobody is invited, and confirming another shortlist is refused naming the status
    assert sent_mail() == []
    refused = api.call("POST", f"/requisitions/{req_id}/shortlist/confirm", body=confirm)
    assert refused.status_code == 409
    assert refused.data["error"]["details"][0]["status"] == "on_hold"
    # When HR reopens it, then confirming invites again
    reopen = {"status": "open", "reason": "预算恢复"}
    assert api.call("POST", f"/requisitions/{req_id}/status", body=reopen).data["status"] == "open"
    assert api.call("POST", f"/requisitions/{req_id}/shortlist/confirm", body=confirm).status_code == 200
