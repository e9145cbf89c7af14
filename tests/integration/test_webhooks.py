"""AI interview results by signed webhook: exactly once, newest wins, unknown applications parked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest

from infra.local.vendors import LOCAL_VENDOR_SECRETS
from shared.models.common import Dimension
from shared.store import aws
from tests.support.api import Api
from tests.support.events import SCHEDULED
from tests.support.hiring import WEBHOOK, deliver, make, new_app
from tests.support.ids import person
from tests.support.stack import REGION
from tests.support.webhooks import canonical, signed


def count_calls() -> list[str]:
    calls: list[str] = []
    aws.client("dynamodb").meta.events.register("before-call.dynamodb", lambda model, **_: calls.append(model.name))
    return calls


def stored_deliveries(stack_env: dict[str, str]) -> int:
    """History entries and parked results: what a delivery leaves behind."""
    ddb = boto3.client("dynamodb", region_name=REGION)
    items = ddb.scan(TableName=stack_env["TABLE_NAME"])["Items"]  # test-only inspection of the whole table
    return sum(1 for i in items if i["sk"]["S"].startswith("SCORE#") or i["pk"]["S"].startswith("WEBHOOK#"))


def test_first_delivery_is_one_write_and_a_duplicate_changes_nothing(api: Api, req_id: str) -> None:
    # Given an application and a warm function (requisition and secrets cached by an earlier delivery)
    app = new_app(api, req_id)
    other = new_app(api, req_id, 2)
    assert deliver(api, canonical(req_id, application_id=other["id"])).status_code == 200
    calls = count_calls()
    body = canonical(req_id, application_id=app["id"])
    # When the vendor delivers a result
    first = deliver(api, body, webhook_id="msg_first", settle=False)
    # Then it is stored with ONE DynamoDB call: a transaction of the delivery record (new), the check that
    # the application is the requisition's, and the history entry
    assert first.status_code == 200 and first.data["status"] == "stored"
    assert calls == ["TransactWriteItems"]
    # And the table's stream applies it to the application in one transaction
    calls.clear()
    assert api.settle() == 1
    assert calls == ["TransactWriteItems"]
    stored = api.call("GET", f"/applications/{app['id']}").data
    assert stored["ai"]["dimension_scores"]["logic"] == 85
    assert stored["ai"]["webhook_id"] == "msg_first" and stored["ai"]["vendor_id"] == "aivendor"
    weights = make.__globals__["SAMPLE"]["dimension_weights"]
    expected = sum(weights[d] * s for d, s in body["dimension_scores"].items()) / sum(weights.values())
    assert stored["ai"]["weighted_score"] == pytest.approx(expected, abs=1e-3)
    # When the same delivery is retried (same webhook-id)
    calls.clear()
    again = deliver(api, body, webhook_id="msg_first", settle=False)
    # Then 2xx, one call, and nothing changed (nothing for the stream either)
    assert again.status_code == 200 and again.data["status"] == "duplicate"
    assert calls == ["TransactWriteItems"]
    assert api.settle() == 0
    assert api.call("GET", f"/applications/{app['id']}").data["version"] == stored["version"]


def test_older_result_never_overwrites_but_is_kept(api: Api, req_id: str) -> None:
    app = new_app(api, req_id)
    newer = canonical(req_id, application_id=app["id"], completed_at="2026-11-28T10:00:00Z", logic=90)
    older = canonical(req_id, application_id=app["id"], completed_at="2026-11-27T10:00:00Z", logic=40)
    assert deliver(api, newer).data["status"] == "stored"
    # When an older result arrives late
    late = deliver(api, older)
    # Then it is accepted, kept in history (marked superseded), and the newer one stays current
    assert late.status_code == 200 and late.data["status"] == "stored"
    assert api.call("GET", f"/applications/{app['id']}").data["ai"]["dimension_scores"]["logic"] == 90
    from shared.store.results import ResultStore

    history = ResultStore().history(app["id"])
    assert sorted((h.dimension_scores[Dimension.logic], h.superseded) for h in history) == [(40, True), (90, False)]
    assert all(h.raw_payload and h.webhook_id and h.received_at for h in history)


def test_result_for_an_unknown_applicant_is_parked_then_attached(api: Api, req_id: str) -> None:
    # Given a result for an applicant HR has not imported yet
    parked = deliver(api, canonical(req_id, external_ref="EXT-42"))
    assert parked.status_code == 202 and parked.data["status"] == "parked"
    # When HR creates the application with that reference
    app = new_app(api, req_id, 5, external_ref="EXT-42")
    # Then the result is attached (moved into its history on creation, applied by the stream)
    app = api.call("GET", f"/applications/{app['id']}").data
    assert app["ai"] is not None and app["ai"]["dimension_scores"]["logic"] == 85
    # And the parked copy is gone (a scheduled reconciliation finds nothing left)
    assert api.client.lambda_.invoke("reconcile_parked_results", SCHEDULED).payload["examined"] == 0


def test_reconciliation_attaches_what_raced_past_creation(api: Api, req_id: str) -> None:
    # Given a result parked for an application id that exists only later (written without attach)
    from shared.services.applications import Applications
    from shared.store.audit import AuditEntry
    from shared.store.repository import Repository
    from shared.store.results import ResultStore

    repo = Repository()
    req = repo.requisitions.require(req_id)
    from shared.models.application import ApplicationCreate

    app = Applications(repo).build(req, ApplicationCreate.model_validate(person(6)), source="test")
    # (parked by the webhook: no such application yet)
    assert deliver(api, canonical(req_id, application_id=app.id)).status_code == 202
    assert not ResultStore().history(app.id)
    repo.applications.create(app, "hash-6", AuditEntry(subject="x", actor="t", action="t", details={}))
    # When the scheduled reconciliation runs
    counts = api.client.lambda_.invoke("reconcile_parked_results", SCHEDULED).payload
    # Then the result is attached
    assert counts == {"examined": 1, "attached": 1, "still_parked": 0, "videos_resent": 0}
    api.settle()
    assert repo.applications.require(app.id).ai is not None


def test_a_reused_webhook_id_with_another_body_is_409_and_the_first_delivery_stands(
    api: Api, req_id: str, stack: Any, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a result stored and applied under webhook-id msg_once
    app = new_app(api, req_id)
    first = canonical(req_id, application_id=app["id"], logic=85)
    assert deliver(api, first, webhook_id="msg_once").data["status"] == "stored"
    before = stored_deliveries(stack.env)
    caplog.clear()

    # When the vendor sends another result under the same id: other scores, and other scores with
    # another completed_at (the key of the history entry; it used to be answered "stored" and never applied)
    changed = canonical(req_id, application_id=app["id"], logic=40)
    later = canonical(req_id, application_id=app["id"], logic=40, completed_at="2026-11-29T09:30:00+08:00")
    answers = [deliver(api, body, webhook_id="msg_once") for body in (changed, later)]

    # Then each is 409 naming webhook-id, nothing is stored, the first result stands, and the refusal
    # is logged as the vendor's fault
    for answer in answers:
        assert answer.status_code == 409, answer.data
        assert answer.data["error"]["details"][0]["field"] == "webhook-id"
    assert stored_deliveries(stack.env) == before
    assert api.call("GET", f"/applications/{app['id']}").data["ai"]["dimension_scores"]["logic"] == 85
    faults = [r for r in caplog.records if r.getMessage().startswith("vendor fault")]
    assert [(r.levelname, r.getMessage(), getattr(r, "webhook_id", None)) for r in faults] == 2 * [
        ("WARNING", "vendor fault: a webhook-id reused with another body", "msg_once")
    ]
    # And the first body again is still a duplicate
    assert deliver(api, first, webhook_id="msg_once").data["status"] == "duplicate"


def test_a_result_for_an_application_of_another_requisition_is_refused_with_the_reason(
    api: Api, req_id: str, stack: Any
) -> None:
    # Given an application of another requisition
    other_req = make(api).data["id"]
    theirs = new_app(api, other_req, 3)
    before = stored_deliveries(stack.env)
    # When a result for this requisition names it
    answer = deliver(api, canonical(req_id, application_id=theirs["id"]))
    # Then it is 400 naming application_id, and nothing is stored or parked
    assert answer.status_code == 400, answer.data
    assert answer.data["error"]["details"] == [
        {"field": "application_id", "message": f"not an application of requisition {req_id}"}
    ]
    assert stored_deliveries(stack.env) == before
    assert api.call("GET", f"/applications/{theirs['id']}").data["ai"] is None


def test_a_result_for_an_application_that_does_not_exist_is_answered_parked(api: Api, req_id: str) -> None:
    # When a result names an application id nobody has created (it used to be answered "stored")
    answer = deliver(api, canonical(req_id, application_id="app-not-yet"))
    # Then the answer says what happened to it: parked, 202
    assert answer.status_code == 202 and answer.data["status"] == "parked"
    counts = api.client.lambda_.invoke("reconcile_parked_results", SCHEDULED).payload
    assert counts["examined"] == 1 and counts["still_parked"] == 1


def test_second_vendor_format_is_normalised(api: Api, req_id: str) -> None:
    app = new_app(api, req_id, 7, external_ref="VENDOR-REF-0002")
    payload = json.loads(Path("events/webhooks/mianshi-result.json").read_text("utf-8"))
    payload["data"]["candidate"]["jobCode"] = req_id
    response = deliver(api, payload, vendor="mianshi")
    assert response.status_code == 200, response.data
    ai = api.call("GET", f"/applications/{app['id']}").data["ai"]
    assert ai["vendor_id"] == "mianshi" and ai["dimension_scores"]["expression"] == 55.0
    assert ai["model_version"] == "mianshi-engine-3.2"


def test_rotated_key_is_accepted(api: Api, req_id: str) -> None:
    app = new_app(api, req_id)
    old_key = LOCAL_VENDOR_SECRETS["aivendor"][1]
    assert deliver(api, canonical(req_id, application_id=app["id"]), secret=old_key).status_code == 200


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (lambda h, b: (h | {"webhook-signature": "v1,AAAA"}, b), "no webhook-signature matches"),
        (lambda h, b: ({k: v for k, v in h.items() if k != "webhook-id"}, b), "webhook-id"),
        (lambda h, b: (h, b.replace(b"85", b"99", 1)), "no webhook-signature matches"),
    ],
)
def test_bad_signatures_are_401_and_store_nothing(api: Api, req_id: str, stack: Any, tamper: Any, message: str) -> None:
    app = new_app(api, req_id)
    headers, raw = tamper(*signed(canonical(req_id, application_id=app["id"])))
    response = api.call("POST", WEBHOOK, role=None, headers=headers, raw=raw)
    assert response.status_code == 401 and message in response.data["error"]["message"]
    assert stored_deliveries(stack.env) == 0


def test_stale_and_future_timestamps_are_401(api: Api, req_id: str, stack: Any) -> None:
    import time

    app = new_app(api, req_id)
    body = canonical(req_id, application_id=app["id"])
    assert deliver(api, body, timestamp=int(time.time()) - 301).status_code == 401
    assert deliver(api, body, timestamp=int(time.time()) + 301).status_code == 401
    assert stored_deliveries(stack.env) == 0


def test_vendor_cannot_speak_for_another(api: Api, req_id: str) -> None:
    app = new_app(api, req_id)
    response = deliver(api, canonical(req_id, application_id=app["id"]), vendor="mianshi")
    # mianshi's key but the canonical body (parsed by mianshi's adapter) is refused
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"dimension_scores": {"logic": 120}}, "dimension_scores.logic"),
        ({"dimension_scores": {"innovation": 80}}, "dimension_scores"),  # not assessed by this requisition
        ({"dimension_scores": {"charisma": 80}}, "dimension_scores.charisma"),
        ({"overall_score": "high"}, "overall_score"),
        ({"completed_at": "yesterday"}, "completed_at"),
        ({"surprise": True}, "surprise"),
    ],
)
def test_bad_payloads_are_400_naming_the_field(api: Api, req_id: str, stack: Any, changes: dict, field: str) -> None:
    app = new_app(api, req_id)
    body = canonical(req_id, application_id=app["id"]) | changes
    response = deliver(api, body)
    assert response.status_code == 400, response.data
    assert any(d["field"].startswith(field) for d in response.data["error"]["details"]), response.data
    assert stored_deliveries(stack.env) == 0
    assert api.call("GET", f"/applications/{app['id']}").data["ai"] is None


def test_oversize_body_is_413(api: Api, req_id: str, stack: Any) -> None:
    body = canonical(req_id, application_id="x")
    body["questions"][0]["transcript_excerpt"] = "字" * 10
    raw = json.dumps(body).encode() + b" " * (5 * 1_048_576)
    headers, raw = signed(raw)
    assert api.call("POST", WEBHOOK, role=None, headers=headers, raw=raw).status_code == 413
    assert stored_deliveries(stack.env) == 0


def test_weighted_scores_are_indexed_for_a_descending_shortlist(api: Api, req_id: str) -> None:
    apps = [new_app(api, req_id, n) for n in range(10, 14)]
    for i, app in enumerate(apps):
        deliver(api, canonical(req_id, application_id=app["id"], logic=50 + i * 10, customer_orientation=60 + i))
    ddb = boto3.client("dynamodb", region_name=REGION)
    out = ddb.query(
        TableName=api.stack.env["TABLE_NAME"],
        IndexName="gsi3",
        KeyConditionExpression="gsi3pk = :p",
        ExpressionAttributeValues={":p": {"S": f"REQ#{req_id}#SCORED"}},
        ScanIndexForward=False,
        Limit=2,
    )
    assert [i["id"]["S"] for i in out["Items"]] == [apps[3]["id"], apps[2]["id"]]


def test_vendor_video_url_is_queued_once_and_never_lost(api: Api, req_id: str, monkeypatch: Any) -> None:
    # Given a result that carries the vendor's video URL
    from shared.errors import ServiceUnavailable
    from shared.services import intake

    app = new_app(api, req_id)
    body = canonical(req_id, application_id=app["id"]) | {"video_url": "http://127.0.0.1:9/videos/a.mp4"}
    sent: list[list[str]] = []
    monkeypatch.setattr(intake.queue, "send_all", lambda url, bodies: sent.append(list(bodies)))
    # When it is delivered twice
    deliver(api, body, webhook_id="msg_video")
    deliver(api, body, webhook_id="msg_video")
    # Then exactly one copy request was queued
    assert [json.loads(b[0])["kind"] for b in sent] == ["video_copy"]

    # Given the queue is down for the next result
    def refuse(url: str, bodies: list[str]) -> None:
        raise ServiceUnavailable("queue down")

    monkeypatch.setattr(intake.queue, "send_all", refuse)
    assert deliver(api, body, webhook_id="msg_video_2").data["status"] == "stored"
    # When the queue is back and the scheduled reconciliation runs
    sent.clear()
    monkeypatch.setattr(intake.queue, "send_all", lambda url, bodies: sent.append(list(bodies)))
    counts = api.client.lambda_.invoke("reconcile_parked_results", SCHEDULED).payload
    # Then the copy request is sent after all
    assert counts["videos_resent"] == 1
    assert json.loads(sent[0][0])["webhook_id"] == "msg_video_2"


def test_a_later_change_keeps_the_application_in_the_score_index(api: Api, req_id: str) -> None:
    # Given a scored application
    app = new_app(api, req_id, 20)
    deliver(api, canonical(req_id, application_id=app["id"]))
    ddb = boto3.client("dynamodb", region_name=REGION)

    def indexed() -> list[str]:
        out = ddb.query(
            TableName=api.stack.env["TABLE_NAME"],
            IndexName="gsi3",
            KeyConditionExpression="gsi3pk = :p",
            ExpressionAttributeValues={":p": {"S": f"REQ#{req_id}#SCORED"}},
        )
        return [i["id"]["S"] for i in out["Items"]]

    assert indexed() == [app["id"]]
    # When HR changes the application (interviewers assigned: a whole-item write)
    api.call("PUT", f"/applications/{app['id']}/interviewers", body={"usernames": ["interviewer.demo"]})
    # Then it is still in the shortlist index
    assert indexed() == [app["id"]]
    # And when HR rejects it, it leaves the index (the shortlist reads only candidates still in the pool)
    api.call(
        "POST",
        f"/requisitions/{req_id}/screening/decisions",
        body={"decisions": [{"application_id": app["id"], "decision": "reject", "reason": "x"}]},
    )
    assert indexed() == []


def test_requisition_counts_each_scored_application_once(api: Api, req_id: str) -> None:
    # Given two applications
    first, second = new_app(api, req_id, 30), new_app(api, req_id, 31)
    # When the first gets a result, a duplicate, a newer and an older one, and the second one result
    body = canonical(req_id, application_id=first["id"], completed_at="2026-11-28T10:00:00Z")
    deliver(api, body, webhook_id="msg_count_1")
    deliver(api, body, webhook_id="msg_count_1")
    deliver(api, canonical(req_id, application_id=first["id"], completed_at="2026-11-28T11:00:00Z"))
    deliver(api, canonical(req_id, application_id=first["id"], completed_at="2026-11-27T11:00:00Z"))
    deliver(api, canonical(req_id, application_id=second["id"]))
    # Then the requisition counts two scored applications
    assert api.call("GET", f"/requisitions/{req_id}").data["scored_count"] == 2


def test_first_result_moves_a_screened_application_to_ai_interviewed(api: Api, req_id: str) -> None:
    # Given one applicant who passed screening and one proposed for rejection (awaiting HR)
    passed = new_app(api, req_id, 40)
    pending = api.call("POST", f"/requisitions/{req_id}/applications", body=person(41, resume="应届毕业生")).data
    assert (passed["stage"], pending["stage"]) == ("screened", "applied")
    calls = count_calls()
    # When both get their first AI result
    deliver(api, canonical(req_id, application_id=passed["id"]))
    first_calls = list(calls)
    deliver(api, canonical(req_id, application_id=pending["id"]))
    # Then the screened one moved to ai_interviewed in the projection's single transaction, listed
    # under its new stage
    assert first_calls == ["TransactWriteItems", "TransactWriteItems"]
    assert api.call("GET", f"/applications/{passed['id']}").data["stage"] == "ai_interviewed"
    listed = api.call("GET", f"/requisitions/{req_id}/applications?stage=ai_interviewed").data["items"]
    assert [i["id"] for i in listed] == [passed["id"]]
    # And the one awaiting HR's decision keeps its stage (no automated decision), with its result stored
    after = api.call("GET", f"/applications/{pending['id']}").data
    assert after["stage"] == "applied" and after["ai"] is not None
