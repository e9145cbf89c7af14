"""Background checks: HR orders, the consumer sends to the vendor (backoff, DLQ, nothing lost), the
vendor's signed result arrives by webhook, HR may review it; the archive shows the confidence."""

from __future__ import annotations

import json
import time
from typing import Any

import boto3
import pytest
from chalice.test import Client

from infra.local.vendors import LOCAL_VENDOR_SECRETS
from shared.domain.readiness import offer_blockers
from shared.errors import Conflict
from shared.models.background import BackgroundCheckOrder
from shared.services.background_checks import BackgroundChecks
from shared.settings import reset_settings
from shared.store import aws, queue
from shared.store.repository import Repository
from tests.support.api import Api
from tests.support.background import (
    ORDER,
    RESULT,
    WEBHOOK,
    FakeVendor,
    checks,
    consume,
    fake_vendor,
    order,
    queue_url,
    result,
    send_result,
)
from tests.support.events import SCHEDULED, sqs_event
from tests.support.hiring import deliver, evaluated_app, new_app
from tests.support.stack import REGION, Stack
from tests.support.webhooks import canonical


def submitted(api: Api, client: Client, stack: Stack, req_id: str) -> tuple[str, str]:
    """(application id, check id): an evaluated application whose check HR ordered and the consumer
    sent to the vendor."""
    app_id = evaluated_app(api, req_id)["id"]
    check_id = order(api, app_id)
    consume(client, stack)
    return app_id, check_id


@pytest.fixture
def vendor(monkeypatch: pytest.MonkeyPatch) -> FakeVendor:
    return fake_vendor(monkeypatch)


def dimension(confidence: dict[str, Any], name: str) -> dict[str, Any]:
    return next(d for d in confidence["dimensions"] if d["dimension"] == name)


def test_order_consumer_webhook_and_archive_confidence(
    api: Api, client: Client, stack: Stack, req_id: str, vendor: FakeVendor
) -> None:
    # Given an evaluated application
    app_id = evaluated_app(api, req_id)["id"]
    # When HR orders a background check
    ordered = api.call("POST", f"/applications/{app_id}/background-checks", body=ORDER)
    # Then the check is ordered and the application moved to background_check in the same write
    assert ordered.status_code == 201, ordered.data
    check_id = ordered.data["check_id"]
    assert ordered.data["status"] == "ordered" and ordered.data["outcome"] is None
    assert api.call("GET", f"/applications/{app_id}").data["stage"] == "background_check"
    audit = Repository().audit.page(f"application:{app_id}").items
    assert any(a["action"] == "background_check.order" and a["details"]["to"] == "background_check" for a in audit)
    # And no outbox entry is left: the order message is on the queue
    assert Repository().query("PENDING#bgc").items == []

    # When the consumer takes the order message
    consume(client, stack)
    # Then the vendor got the order once, and the check is submitted with the vendor's reference
    assert vendor.calls == [check_id]
    listed = checks(api, app_id).data
    assert listed["items"][0]["status"] == "submitted" and listed["items"][0]["vendor_reference"] == "V-0001"

    # When the vendor's signed result arrives
    delivered = send_result(api, result(check_id))
    # Then it is stored: completed, clear (no discrepancy, clean credit)
    assert delivered.status_code == 200, delivered.data
    assert delivered.data == {"status": "completed", "webhook_id": delivered.data["webhook_id"], "check_id": check_id}
    stored = checks(api, app_id).data
    assert stored["items"][0]["status"] == "completed" and stored["items"][0]["outcome"] == "clear"
    assert [h["action"] for h in stored["items"][0]["history"]] == ["ordered", "submitted", "completed"]
    # And the offer-readiness rule over the partition sees a clear, completed check
    partition = Repository().query(f"APP#{app_id}", limit=100).items
    assert offer_blockers(partition) == []

    # When HR opens the talent archive
    archive = api.call("GET", f"/candidates/{app_id}").data
    # Then each AI dimension score shows its confidence and the reasons
    confidence = archive["background"]["confidence"]
    assert confidence["based_on_check"] == check_id
    customer = dimension(confidence, "customer_orientation")
    # 0.7 + 0.15 (verified customer manager) − 0.05 (one unverified job) + 0.05 (education as declared)
    assert customer["score"] == 88 and customer["confidence"] == pytest.approx(0.85)
    assert any(r["reason_zh"].startswith("核实：曾任客户经理，绩效前10%") for r in customer["reasons"])
    assert any(r["code"] == "employment_unverified" for r in customer["reasons"])
    assert any(r["reason_zh"] == "核实：学历与申报一致（郑州大学 本科）" for r in customer["reasons"])
    assert dimension(confidence, "logic")["confidence"] == pytest.approx(0.7)
    assert confidence["flags"] == ["employment_unverified"]
    assert archive["background"]["checks"][0]["result"]["employment"][0]["performance_rank"] == "top_10_percent"
    # And the department's manager sees the same section
    manager = api.call("GET", f"/candidates/{app_id}", role="manager").data
    assert manager["background"]["confidence"] == confidence
    # And an assigned interviewer sees no background facts
    api.call("PUT", f"/applications/{app_id}/interviewers", body={"usernames": ["interviewer.demo"]})
    report = api.call("GET", f"/candidates/{app_id}", role="interviewer").data
    assert report["view"] == "interviewer" and "background" not in report
    assert checks(api, app_id, "interviewer").status_code == 403
    assert checks(api, app_id, "it").status_code == 403
    assert checks(api, app_id, "manager2").status_code == 403  # another department


def test_a_redelivered_order_is_not_submitted_twice(
    api: Api, client: Client, stack: Stack, req_id: str, vendor: FakeVendor
) -> None:
    # Given an order the consumer already submitted
    app_id, check_id = submitted(api, client, stack, req_id)
    # When the same order message is delivered again (at-least-once delivery)
    queue.send_all(queue_url(stack), [json.dumps({"application_id": app_id, "check_id": check_id})])
    consume(client, stack)
    # Then the vendor was asked once, and the check is unchanged
    assert vendor.calls == [check_id]
    assert checks(api, app_id).data["items"][0]["version"] == 2


def test_vendor_outage_backs_off_then_dead_letters_and_loses_nothing(
    api: Api, client: Client, stack: Stack, req_id: str, vendor: FakeVendor
) -> None:
    # Given the vendor is down and an order is on the queue
    vendor.down = True
    app_id = evaluated_app(api, req_id)["id"]
    check_id = order(api, app_id)
    sqs = aws.client("sqs")
    delays: list[int] = []
    sqs.meta.events.register(
        "before-parameter-build.sqs.ChangeMessageVisibility",
        lambda params, **_: delays.append(params["VisibilityTimeout"]),
    )
    arn = sqs.get_queue_attributes(QueueUrl=queue_url(stack), AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    for receive in range(1, 6):
        # When the consumer gets the message (receive 1..5) and the vendor refuses it
        got = sqs.receive_message(QueueUrl=queue_url(stack), AttributeNames=["All"], MaxNumberOfMessages=1)
        [message] = got["Messages"]
        assert message["Attributes"]["ApproximateReceiveCount"] == str(receive)
        response = client.lambda_.invoke("background_check_worker", sqs_event([message], arn)).payload
        # Then the message is reported failed and hidden for 30 s × 2^(receive count)
        assert response["batchItemFailures"] == [{"itemIdentifier": message["MessageId"]}]
        assert delays[-1] == 30 * 2**receive
        assert "Messages" not in sqs.receive_message(QueueUrl=queue_url(stack), MaxNumberOfMessages=1)
        # (time passes: the backoff is over)
        sqs.change_message_visibility(
            QueueUrl=queue_url(stack), ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
        )
    # When SQS would deliver it a sixth time
    # Then after maxReceiveCount (5) it is in the dead-letter queue, and the check is still ordered
    assert "Messages" not in sqs.receive_message(QueueUrl=queue_url(stack), MaxNumberOfMessages=1)
    dead = sqs.receive_message(QueueUrl=queue_url(stack, dlq=True), MaxNumberOfMessages=10)["Messages"]
    assert [json.loads(m["Body"])["check_id"] for m in dead] == [check_id]
    assert len(vendor.calls) == 5
    assert checks(api, app_id).data["items"][0]["status"] == "ordered"
    # When the vendor is back and the dead-letter queue is redriven (docs/features.md)
    vendor.down = False
    for m in dead:
        sqs.send_message(QueueUrl=queue_url(stack), MessageBody=m["Body"])
        sqs.delete_message(QueueUrl=queue_url(stack, dlq=True), ReceiptHandle=m["ReceiptHandle"])
    consume(client, stack)
    # Then the order reaches the vendor: nothing was lost
    assert checks(api, app_id).data["items"][0]["status"] == "submitted"


def test_an_order_the_queue_refused_is_sent_by_the_reconciliation(
    api: Api, client: Client, stack: Stack, req_id: str, vendor: FakeVendor, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the queue refuses messages when HR orders
    app_id = evaluated_app(api, req_id)["id"]
    monkeypatch.setenv("BACKGROUND_CHECK_QUEUE_URL", queue_url(stack) + "-gone")
    reset_settings()
    ordered = api.call("POST", f"/applications/{app_id}/background-checks", body=ORDER)
    # Then the order is still stored (201) and waits in the outbox
    assert ordered.status_code == 201
    assert [i["check_id"] for i in Repository().query("PENDING#bgc").items] == [ordered.data["check_id"]]
    monkeypatch.setenv("BACKGROUND_CHECK_QUEUE_URL", queue_url(stack))
    reset_settings()
    service = BackgroundChecks(Repository(), lambda bodies: queue.send_all(queue_url(stack), bodies))
    # When the reconciliation runs within the grace period, it leaves the young order alone
    assert service.reconcile() == {"examined": 0, "resent": 0, "failed": 0}
    # When it runs later
    later = BackgroundChecks(
        Repository(), lambda bodies: queue.send_all(queue_url(stack), bodies), clock=lambda: time.time() + 600
    )
    assert later.reconcile() == {"examined": 1, "resent": 1, "failed": 0}
    # Then the order is queued, the outbox is empty, and the consumer submits it
    assert Repository().query("PENDING#bgc").items == []
    consume(client, stack)
    assert vendor.calls == [ordered.data["check_id"]]
    # And the scheduled function is wired (nothing left to send)
    assert client.lambda_.invoke("reconcile_background_orders", SCHEDULED).payload == {
        "examined": 0,
        "resent": 0,
        "failed": 0,
    }


def test_duplicate_webhook_changes_nothing_and_bad_deliveries_store_nothing(
    api: Api, client: Client, stack: Stack, req_id: str, vendor: FakeVendor
) -> None:
    app_id, check_id = submitted(api, client, stack, req_id)
    before = checks(api, app_id).data["items"][0]
    # When the payload is bad, the signature wrong, the check unknown or the body too large
    bad = send_result(api, result(check_id, employment=[{"employer": "x", "role": "y", "verified": True}]))
    assert bad.status_code == 400
    assert {d["field"] for d in bad.data["error"]["details"]} == {"employment.0.start_date"}
    no_date = send_result(api, {k: v for k, v in result(check_id).items() if k != "completed_at"})
    assert no_date.status_code == 400 and no_date.data["error"]["details"][0]["field"] == "completed_at"
    future = send_result(api, result(check_id, completed_at="2099-01-01T00:00:00Z"))
    assert future.status_code == 400 and future.data["error"]["details"][0]["field"] == "completed_at"
    interview_key = send_result(api, result(check_id), secret=LOCAL_VENDOR_SECRETS["aivendor"][0])
    assert interview_key.status_code == 401
    unsigned = api.call("POST", WEBHOOK, role=None, body=result(check_id))
    assert unsigned.status_code == 401
    assert send_result(api, result("no-such-check")).status_code == 404
    huge = send_result(api, b"{" + b" " * (5 * 1_048_576) + b"}")
    assert huge.status_code == 413
    # Then nothing changed
    assert checks(api, app_id).data["items"][0] == before
    # When a valid result arrives twice with the same webhook-id
    first = send_result(api, result(check_id), webhook_id="msg_bgc_1")
    again = send_result(api, result(check_id), webhook_id="msg_bgc_1")
    # Then the retry is a 2xx duplicate and changes nothing
    assert first.data["status"] == "completed" and again.status_code == 200 and again.data["status"] == "duplicate"
    after = checks(api, app_id).data["items"][0]
    assert after["version"] == before["version"] + 1
    # And the same webhook-id with another body is 409 naming it (one id is one delivery)
    reused = send_result(api, result(check_id, discrepancies=["另一份结果"]), webhook_id="msg_bgc_1")
    assert reused.status_code == 409 and reused.data["error"]["details"][0]["field"] == "webhook-id"
    assert checks(api, app_id).data["items"][0] == after
    # And a different, later result for the completed check is ignored: the first stands
    late = send_result(api, result(check_id, discrepancies=["另一份结果"]))
    assert late.status_code == 200 and late.data["status"] == "ignored"
    assert checks(api, app_id).data["items"][0] == after


def test_discrepancy_lowers_confidence_and_hr_review_is_recorded(
    api: Api, client: Client, stack: Stack, req_id: str, vendor: FakeVendor
) -> None:
    app_id, check_id = submitted(api, client, stack, req_id)
    # When the vendor reports an education discrepancy
    education = {"school": "郑州大学", "degree": "大专", "verified": True, "discrepancy": "申报本科，核实为大专"}
    send_result(api, result(check_id, education=education, employment=RESULT["employment"][:1]))
    # Then the check completes as "consider", with a flag and lower confidence everywhere
    listed = checks(api, app_id).data
    assert listed["items"][0]["outcome"] == "consider"
    assert "education_discrepancy" in listed["confidence"]["flags"]
    assert listed["confidence"]["overall_confidence"] == pytest.approx(0.5)
    assert dimension(listed["confidence"], "logic")["confidence"] == pytest.approx(0.5)
    assert dimension(listed["confidence"], "customer_orientation")["confidence"] == pytest.approx(0.65)
    assert offer_blockers(Repository().query(f"APP#{app_id}", limit=100).items)[0].code == "background_check_not_clear"
    review = f"/applications/{app_id}/background-checks/{check_id}/review"
    # And the manager may read but not change it; nor order another
    assert checks(api, app_id, "manager").status_code == 200
    assert api.call("POST", review, role="manager", body={"outcome": "clear", "reason": "x"}).status_code == 403
    assert api.call("POST", f"/applications/{app_id}/background-checks", role="manager", body=ORDER).status_code == 403
    assert api.call("POST", review, role="interviewer", body={"outcome": "clear", "reason": "x"}).status_code == 403
    # When HR reviews without a reason
    missing = api.call("POST", review, body={"outcome": "clear"})
    # Then 400 names the field
    assert missing.status_code == 400 and missing.data["error"]["details"][0]["field"] == "reason"
    # When HR reviews with a reason but a stale version
    stale = api.call("POST", review, body={"outcome": "clear", "reason": "x", "version": 1})
    assert stale.status_code == 409
    # When HR sets the outcome to clear with a reason
    reason = "候选人提供了学信网认证报告，申报笔误"
    reviewed = api.call("POST", review, body={"outcome": "clear", "reason": reason})
    # Then it is recorded in the check's history and the audit trail
    assert reviewed.status_code == 200 and reviewed.data["outcome"] == "clear"
    last = reviewed.data["history"][-1]
    assert last["action"] == "reviewed" and last["actor"] == "hr.demo" and last["reason"] == reason
    audit = Repository().audit.page(f"application:{app_id}").items
    assert any(a["action"] == "background_check.review" and a["details"]["reason"] == reason for a in audit)
    assert offer_blockers(Repository().query(f"APP#{app_id}", limit=100).items) == []
    # And the confidence follows HR's review, with HR's reason: the vendor's deduction is taken back
    after = checks(api, app_id).data["confidence"]
    assert after["overall_confidence"] == pytest.approx(0.7)
    assert dimension(after, "customer_orientation")["confidence"] == pytest.approx(0.85)
    taken = [r for r in after["overall_reasons"] if r["code"] == "hr_review_cleared"]
    assert len(taken) == 1 and taken[0]["delta"] == pytest.approx(0.2) and reason in taken[0]["reason_zh"]
    # And an unknown check is 404
    unknown = api.call(
        "POST", f"/applications/{app_id}/background-checks/nope/review", body={"outcome": "clear", "reason": "x"}
    )
    assert unknown.status_code == 404


def test_orders_only_at_evaluated_or_again_after_a_failed_or_consider_check(
    api: Api, client: Client, stack: Stack, req_id: str, vendor: FakeVendor
) -> None:
    # Given an application still at ai_interviewed
    early = new_app(api, req_id, 7)
    deliver(api, canonical(req_id, application_id=early["id"]))
    # Then ordering is 409 naming the stage
    refused = api.call("POST", f"/applications/{early['id']}/background-checks", body=ORDER)
    assert refused.status_code == 409 and "ai_interviewed" in refused.data["error"]["message"]
    assert refused.data["error"]["details"][0]["current_stage"] == "ai_interviewed"
    # Given an evaluated application with an open check
    app_id = evaluated_app(api, req_id)["id"]
    check_id = order(api, app_id)
    # Then a second order is 409 while the first is open, and an open check cannot be reviewed
    again = api.call("POST", f"/applications/{app_id}/background-checks", body=ORDER)
    assert again.status_code == 409 and again.data["error"]["details"][0]["check_state"] == "ordered"
    review = f"/applications/{app_id}/background-checks/{check_id}/review"
    assert api.call("POST", review, body={"outcome": "clear", "reason": "x"}).status_code == 409
    # When the vendor reports that it could not complete the check
    consume(client, stack)
    failed = send_result(api, result(check_id, status="failed", failure_reason="授权书无效"))
    assert failed.data["status"] == "failed"
    # Then HR may order a new one; the application stays at background_check
    second = api.call("POST", f"/applications/{app_id}/background-checks", body=ORDER)
    assert second.status_code == 201
    listed = checks(api, app_id).data
    assert listed["stage"] == "background_check"
    assert [c["status"] for c in listed["items"]] == ["ordered", "failed"]
    assert listed["items"][1]["failure_reason"] == "授权书无效"


def test_bad_orders_are_400_and_idempotency_key_returns_the_same_check(
    api: Api, req_id: str, vendor: FakeVendor
) -> None:
    app_id = evaluated_app(api, req_id)["id"]
    path = f"/applications/{app_id}/background-checks"
    for body, field in (
        ({"checks": [], "consent_reference": "C1"}, "checks"),
        ({"checks": ["dna"], "consent_reference": "C1"}, "checks.0"),
        ({"checks": ["credit"]}, "consent_reference"),
        ({"checks": ["credit", "credit"], "consent_reference": "C1"}, "body"),
        (ORDER | {"extra": 1}, "extra"),
    ):
        bad = api.call("POST", path, body=body)
        assert bad.status_code == 400 and bad.data["error"]["details"][0]["field"] == field, bad.data
    assert checks(api, app_id).data["items"] == []
    assert api.call("POST", "/applications/nope/background-checks", body=ORDER).status_code == 404
    # When HR retries an order with the same Idempotency-Key
    first = api.call("POST", path, body=ORDER, headers={"Idempotency-Key": "order-1"})
    second = api.call("POST", path, body=ORDER, headers={"Idempotency-Key": "order-1"})
    # Then the same check comes back, and there is one check
    assert first.status_code == second.status_code == 201
    assert first.data["check_id"] == second.data["check_id"]
    assert len(checks(api, app_id).data["items"]) == 1


def test_two_racing_orders_exactly_one_wins(api: Api, req_id: str) -> None:
    # Given two HR users who read the same evaluated application
    app_id = evaluated_app(api, req_id)["id"]
    repo = Repository()
    app = repo.applications.require(app_id)
    service = BackgroundChecks(repo)
    order = BackgroundCheckOrder.model_validate(ORDER)
    # When both order
    service.order(app, order, "hr.a", "hr", None)
    # Then the second, written against the version both read, is a conflict
    with pytest.raises(Conflict):
        service.order(app, order, "hr.b", "hr", None)
    assert len(checks(api, app_id).data["items"]) == 1


def test_the_queue_and_its_dead_letter_queue_come_from_the_template(stack: Stack) -> None:
    sqs = boto3.client("sqs", region_name=REGION)
    attrs = sqs.get_queue_attributes(QueueUrl=queue_url(stack), AttributeNames=["All"])["Attributes"]
    dlq = sqs.get_queue_attributes(QueueUrl=queue_url(stack, dlq=True), AttributeNames=["All"])["Attributes"]
    assert json.loads(attrs["RedrivePolicy"]) == {"deadLetterTargetArn": dlq["QueueArn"], "maxReceiveCount": 5}
    assert int(attrs["VisibilityTimeout"]) >= 6 * 30
    assert attrs["KmsMasterKeyId"] == dlq["KmsMasterKeyId"] == stack.env["KMS_KEY_ID"]
