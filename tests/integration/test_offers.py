"""Offers end to end over moto: readiness, creation, letter, approval chain, e-signature, onboarding."""

from __future__ import annotations

import io
import json
import threading
from datetime import UTC, date, datetime, timedelta
from typing import Any

import boto3
import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
from chalice.test import Client
from pypdf import PdfReader

from infra.local.vendors import LOCAL_ESIGN_SECRETS, signature_headers
from shared.errors import ServiceUnavailable
from shared.models.offer import ApprovalDecision, OfferStatus
from shared.models.onboarding import OnboardingRequest
from shared.security.tokens import Principal
from shared.services.offers import Offers
from shared.store import objects
from shared.store import queue as queue_store
from shared.store.esign import Envelope, EsignUnavailable
from shared.store.repository import Repository
from tests.support.api import Api
from tests.support.background import assessment_item, completed_check
from tests.support.events import SCHEDULED, drain
from tests.support.hiring import at_background_check, make, new_app, offer_body
from tests.support.ids import person
from tests.support.onboarding import scheduled
from tests.support.stack import REGION, Stack

TODAY = date.today()


def put_item(item: dict[str, Any]) -> None:
    Repository().put_item(item)


def background_check(app_id: str, check_id: str = "bgc1", status: str = "completed", outcome: str = "clear") -> None:
    """A background check item as the background-check feature writes it."""
    put_item(completed_check(app_id, check_id, outcome=outcome or None, status=status))


def assessment(app_id: str, assessment_id: str, status: str) -> None:
    put_item(assessment_item(app_id, assessment_id, status))


def esign_event(offer: dict[str, Any], kind: str = "signed", **changes: Any) -> dict[str, Any]:
    event = {
        "type": kind,
        "offer_id": offer["id"],
        "envelope_id": offer.get("envelope_id") or "env-1",
        "occurred_at": "2026-11-28T10:00:00+08:00",
    }
    return event | changes


def post_esign(api: Api, event: dict[str, Any] | bytes, webhook_id: str = "msg_1", secret: str | None = None) -> Any:
    raw = event if isinstance(event, bytes) else json.dumps(event).encode()
    headers = signature_headers(raw, webhook_id, int(datetime.now(UTC).timestamp()), secret or LOCAL_ESIGN_SECRETS[0])
    return api.call("POST", "/webhooks/esign", role=None, headers=headers, raw=raw)


def take_all(queue_url: str) -> list[str]:
    """Every message on the queue, removed (a consumer's view)."""
    sqs = boto3.client("sqs", region_name=REGION)
    bodies: list[str] = []
    while True:
        out = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, VisibilityTimeout=30)
        messages = out.get("Messages", [])
        if not messages:
            return bodies
        for m in messages:
            bodies.append(m["Body"])
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=m["ReceiptHandle"])


class FakeVendor:
    """Our ``EsignVendor`` interface, recording envelopes; ``down`` simulates an outage."""

    def __init__(self) -> None:
        self.sent: list[Envelope] = []
        self.down = False

    def send(self, envelope: Envelope) -> str:
        if self.down:
            raise EsignUnavailable("vendor answered 503")
        self.sent.append(envelope)
        return f"env-{len(self.sent)}"


@pytest.fixture
def vendor(monkeypatch: pytest.MonkeyPatch) -> FakeVendor:
    fake = FakeVendor()
    monkeypatch.setattr("functions.consumers.esign_queue.esign_vendor", lambda: fake)
    return fake


def run_esign_worker(client: Client, stack: Stack) -> int:
    def invoke(event: dict[str, Any]) -> Any:
        try:
            return client.lambda_.invoke("esign_worker", event).payload
        except BatchProcessingError:  # every record failed: Lambda retries the whole batch
            return {"batchItemFailures": [{"itemIdentifier": r["messageId"]} for r in event["Records"]]}

    return drain(invoke, stack.env["ESIGN_QUEUE_URL"])


def sent_offer(api: Api, client: Client, stack: Stack, req_id: str, n: int = 1) -> tuple[str, dict[str, Any]]:
    """An offer made, approved by the department's manager and sent to the (fake) vendor."""
    app_id = at_background_check(api, req_id, n)
    offer = api.call("POST", f"/applications/{app_id}/offers", body=offer_body()).data
    approved = api.call(
        "POST", f"/applications/{app_id}/offers/{offer['id']}/approvals", role="manager", body={"decision": "approve"}
    )
    assert approved.status_code == 200, approved.data
    run_esign_worker(client, stack)
    offer = api.call("GET", f"/applications/{app_id}/offers/{offer['id']}").data
    assert offer["status"] == "sent"
    return app_id, offer


# -- readiness and creation --------------------------------------------------------------------------


def test_offer_is_refused_with_every_blocker_until_the_application_is_ready(api: Api, req_id: str) -> None:
    # Given an application at background_check with no background check yet
    app_id = at_background_check(api, req_id, clear=False)
    url = f"/applications/{app_id}/offers"
    # When HR makes an offer / Then 409 names the missing check
    refused = api.call("POST", url, body=offer_body())
    assert refused.status_code == 409
    assert [d["code"] for d in refused.data["error"]["details"]] == ["background_check_missing"]
    # Given a check still open and a supplementary assessment requested
    background_check(app_id, "bgc1", status="submitted", outcome="")
    assessment(app_id, "as1", "requested")
    details = api.call("POST", url, body=offer_body()).data["error"]["details"]
    # Then both reasons are reported with their references
    assert [(d["code"], d["ref"]) for d in details] == [
        ("background_check_open", "bgc1"),
        ("assessment_pending", "as1"),
    ]
    # Given the assessment approved but without a result, the check completed with a concern
    assessment(app_id, "as1", "approved")
    background_check(app_id, "bgc1", outcome="consider")
    details = api.call("POST", url, body=offer_body()).data["error"]["details"]
    assert {d["code"] for d in details} == {"background_check_not_clear", "assessment_pending"}
    # When both are settled: the check clear and the assessment completed
    background_check(app_id, "bgc1")
    assessment(app_id, "as1", "completed")
    created = api.call("POST", url, body=offer_body())
    # Then the offer is made and the application moved to offer
    assert created.status_code == 201, created.data
    assert created.data["status"] == "pending_approval" and created.data["next_step"] == "department_manager"
    assert api.call("GET", f"/applications/{app_id}").data["stage"] == "offer"


def test_offer_needs_the_background_check_stage_and_hr(api: Api, req_id: str) -> None:
    # Given an application still at screened (nothing else about it matters)
    app_id = str(new_app(api, req_id)["id"])
    background_check(app_id)
    early = api.call("POST", f"/applications/{app_id}/offers", body=offer_body())
    assert early.status_code == 409 and early.data["error"]["details"][0]["current_stage"] == "screened"
    # and other roles may not make offers at all
    ready = at_background_check(api, req_id, 2)
    for role in ("manager", "interviewer", "it"):
        assert api.call("POST", f"/applications/{ready}/offers", role=role, body=offer_body()).status_code == 403
    assert api.call("POST", "/applications/nope/offers", body=offer_body()).status_code == 404


def test_idempotency_key_replays_the_same_offer_and_refuses_another_body(api: Api, req_id: str) -> None:
    app_id = at_background_check(api, req_id)
    url = f"/applications/{app_id}/offers"
    key = {"Idempotency-Key": "offer-create-7f3a"}
    # When HR sends the same request twice with one key
    first = api.call("POST", url, body=offer_body(), headers=key)
    again = api.call("POST", url, body=offer_body(), headers=key)
    # Then the same offer comes back and only one exists
    assert first.status_code == again.status_code == 201
    assert first.data["id"] == again.data["id"]
    assert len(api.call("GET", url).data["items"]) == 1
    # When the key is reused with another body / Then 409 and nothing new
    other = api.call("POST", url, body=offer_body(grade="P6"), headers=key)
    assert other.status_code == 409 and "Idempotency-Key" in other.data["error"]["message"]
    # and without a key a second offer is refused while the first stands
    standing = api.call("POST", url, body=offer_body())
    assert standing.status_code == 409 and standing.data["error"]["details"][0]["offer_id"] == first.data["id"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"annual_salary": 250_000}, "annual_salary"),
        ({"annual_salary": 119_999}, "annual_salary"),
        ({"start_date": TODAY.isoformat()}, "start_date"),
        ({"expires_on": (TODAY - timedelta(days=1)).isoformat()}, "expires_on"),
        ({"expires_on": (TODAY + timedelta(days=60)).isoformat()}, "expires_on"),
        ({"grade": ""}, "grade"),
        ({"bonus": 1}, "bonus"),
    ],
)
def test_bad_offer_input_is_400_naming_the_field_and_changes_nothing(
    api: Api, req_id: str, changes: dict[str, Any], field: str
) -> None:
    app_id = at_background_check(api, req_id)
    response = api.call("POST", f"/applications/{app_id}/offers", body=offer_body(**changes))
    assert response.status_code == 400
    assert response.data["error"]["details"][0]["field"] == field
    assert api.call("GET", f"/applications/{app_id}").data["stage"] == "background_check"
    assert api.call("GET", f"/applications/{app_id}/offers").data["items"] == []


def test_salary_is_proposed_from_the_band_and_the_ai_score_or_taken_within_it(api: Api, req_id: str) -> None:
    # Given the band 120,000–220,000 a year and a weighted AI score of 80 (half-way from 60 to 100)
    proposed = api.call("POST", f"/applications/{at_background_check(api, req_id, 1)}/offers", body=offer_body())
    # Then the proposal is the middle of the band, explained
    assert proposed.data["annual_salary"] == 170_000 and proposed.data["salary_source"] == "proposed"
    assert "confidence-weighted score 80 (AI weighted score 80)" in proposed.data["salary_basis"]  # no facts: as scored
    # Given a score of 95 / Then 120,000 + 100,000 × 0.875
    high = at_background_check(api, req_id, 2, score=95)
    assert api.call("POST", f"/applications/{high}/offers", body=offer_body()).data["annual_salary"] == 207_500
    # Given HR's own figure within the band / Then it is kept
    given = api.call(
        "POST", f"/applications/{at_background_check(api, req_id, 3)}/offers", body=offer_body(annual_salary=150_000)
    )
    assert (given.data["annual_salary"], given.data["salary_source"]) == (150_000, "given")


def test_letter_is_stored_as_html_and_pdf_with_the_chinese_text(api: Api, stack: Stack, req_id: str) -> None:
    app_id = at_background_check(api, req_id)
    note = "请携带<script>alert(1)</script>原件"
    offer = api.call("POST", f"/applications/{app_id}/offers", body=offer_body(note=note)).data
    name = api.call("GET", f"/applications/{app_id}").data["name"]
    # Then both documents sit under offers/<application>/<offer> in the bucket, encrypted with our key
    prefix = f"offers/{app_id}/{offer['id']}"
    s3 = boto3.client("s3", region_name=REGION)
    head = s3.head_object(Bucket=stack.env["BUCKET_NAME"], Key=f"{prefix}.pdf")
    assert head["ServerSideEncryption"] == "aws:kms" and head["ContentType"] == "application/pdf"
    # and the PDF's text holds the name, the title and the salary
    pdf = objects.get_document(f"{prefix}.pdf")
    assert pdf is not None
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert name in text and "对公客户经理（2027届校园招聘）" in text and "170,000" in text
    assert "录用通知书" in text and "身份证" in text
    # and the HTML page escapes the note and lists the default documents
    page = (objects.get_document(f"{prefix}.html") or b"").decode()
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert all(d in page for d in ("身份证", "学历学位证书", "离职证明", "体检报告", "银行卡"))
    # and the reads hand out short-lived links to both
    links = api.call("GET", f"/applications/{app_id}/offers/{offer['id']}").data["documents"]
    assert links["expires_in"] <= 300 and ".pdf" in links["pdf_url"] and ".html" in links["html_url"]


def test_offers_are_read_by_hr_and_the_departments_managers_only(api: Api, req_id: str) -> None:
    app_id = at_background_check(api, req_id)
    offer = api.call("POST", f"/applications/{app_id}/offers", body=offer_body()).data
    one = f"/applications/{app_id}/offers/{offer['id']}"
    assert api.call("GET", one, role="manager").data["annual_salary"] == 170_000
    assert api.call("GET", f"/applications/{app_id}/offers", role="manager").status_code == 200
    for role in ("manager2", "interviewer", "it"):
        assert api.call("GET", one, role=role).status_code == 403
    assert api.call("GET", f"/applications/{app_id}/offers/nope").status_code == 404


def test_archive_has_an_offer_section_for_hr_and_managers_never_for_interviewers(api: Api, req_id: str) -> None:
    app_id = at_background_check(api, req_id)
    api.call("POST", f"/applications/{app_id}/offers", body=offer_body())
    api.call("PUT", f"/applications/{app_id}/interviewers", body={"usernames": ["interviewer.demo"]})
    assert api.call("GET", f"/applications/{app_id}").data["offers"][0]["annual_salary"] == 170_000
    assert api.call("GET", f"/candidates/{app_id}", role="manager").data["offers"][0]["status"] == "pending_approval"
    report = api.call("GET", f"/applications/{app_id}", role="interviewer").data
    assert report["view"] == "interviewer" and "offers" not in report and "170000" not in json.dumps(report)
    assert api.call("GET", f"/applications/{app_id}", role="it").status_code == 403


# -- approval ----------------------------------------------------------------------------------------


def test_default_chain_is_the_departments_manager(api: Api, stack: Stack, req_id: str) -> None:
    app_id = at_background_check(api, req_id)
    offer = api.call("POST", f"/applications/{app_id}/offers", body=offer_body()).data
    url = f"/applications/{app_id}/offers/{offer['id']}/approvals"
    # HR cannot decide a manager's step; another department's manager, interviewers and IT may not approve
    hr = api.call("POST", url, body={"decision": "approve"})
    assert hr.status_code == 403 and "manager" in hr.data["error"]["message"]
    for role in ("manager2", "interviewer", "it"):
        assert api.call("POST", url, role=role, body={"decision": "approve"}).status_code == 403
    assert api.call("POST", url, role="manager", body={"decision": "maybe"}).status_code == 400
    # When the department's manager approves
    approved = api.call("POST", url, role="manager", body={"decision": "approve", "comment": "同意", "version": 1})
    # Then the offer is approved and exactly one e-signature request is queued
    assert approved.status_code == 200 and approved.data["status"] == "approved"
    assert approved.data["approvals"][0]["by"] == "manager.demo"
    bodies = take_all(stack.env["ESIGN_QUEUE_URL"])
    assert [json.loads(b) for b in bodies] == [{"offer_id": offer["id"], "application_id": app_id}]
    # and nothing waits any more
    assert api.call("POST", url, role="manager", body={"decision": "approve"}).status_code == 409


def test_two_step_chain_needs_a_second_hr_person(api: Api, stack: Stack) -> None:
    req = make(api, offer_approval_chain=["department_manager", "hr_director"]).data
    assert req["offer_approval_chain"] == ["department_manager", "hr_director"]
    app_id = at_background_check(api, req["id"])
    offer = api.call("POST", f"/applications/{app_id}/offers", body=offer_body()).data
    url = f"/applications/{app_id}/offers/{offer['id']}/approvals"
    step1 = api.call("POST", url, role="manager", body={"decision": "approve"}).data
    assert (step1["status"], step1["next_step"]) == ("pending_approval", "hr_director")
    # The HR person who made the offer may not approve it; a manager may not decide the HR step
    assert api.call("POST", url, body={"decision": "approve"}).status_code == 403
    assert api.call("POST", url, role="manager", body={"decision": "approve"}).status_code == 403
    director = stack.forge(**{"cognito:username": "hr.director", "sub": "director-sub"})
    done = api.call(
        "POST", url, role=None, headers={"Authorization": f"Bearer {director}"}, body={"decision": "approve"}
    )
    assert done.status_code == 200 and done.data["status"] == "approved"
    assert len(take_all(stack.env["ESIGN_QUEUE_URL"])) == 1


def test_rejected_offer_closes_and_hr_may_make_a_new_one(api: Api, stack: Stack, req_id: str) -> None:
    app_id = at_background_check(api, req_id)
    offer = api.call("POST", f"/applications/{app_id}/offers", body=offer_body()).data
    url = f"/applications/{app_id}/offers/{offer['id']}/approvals"
    rejected = api.call("POST", url, role="manager", body={"decision": "reject", "comment": "薪资过高"})
    assert rejected.data["status"] == "rejected" and rejected.data["closed_at"]
    assert take_all(stack.env["ESIGN_QUEUE_URL"]) == []
    # The application stays at offer, and a new offer may be made
    assert api.call("GET", f"/applications/{app_id}").data["stage"] == "offer"
    again = api.call("POST", f"/applications/{app_id}/offers", body=offer_body(annual_salary=150_000))
    assert again.status_code == 201 and again.data["id"] != offer["id"]


def test_stale_version_and_racing_approvals_exactly_one_wins(api: Api, stack: Stack, req_id: str) -> None:
    app_id = at_background_check(api, req_id)
    offer_id = api.call("POST", f"/applications/{app_id}/offers", body=offer_body()).data["id"]
    url = f"/applications/{app_id}/offers/{offer_id}/approvals"
    assert api.call("POST", url, role="manager", body={"decision": "approve", "version": 7}).status_code == 409
    # Given two managers' decisions that both read the offer before either writes
    barrier = threading.Barrier(2)

    class Racing(Offers):
        def require(self, application_id: str, offer_id: str) -> Any:
            found = super().require(application_id, offer_id)
            barrier.wait(timeout=10)
            return found

    manager = Principal(sub="m", username="manager.demo", roles=frozenset({"manager"}), department="零售金融部")
    app = Repository().applications.require(app_id)
    outcomes: list[str] = []

    def decide(decision: str) -> None:
        try:
            Racing(send=lambda q, b: None).decide(app, offer_id, manager, ApprovalDecision(decision=decision), None)
            outcomes.append("won")
        except Exception as exc:  # the loser's Conflict
            outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=decide, args=(d,)) for d in ("approve", "reject")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["Conflict", "won"]
    assert len(api.call("GET", f"/applications/{app_id}/offers/{offer_id}").data["approvals"]) == 1


# -- e-signature -------------------------------------------------------------------------------------


def test_esign_worker_sends_once_through_the_vendor_adapter(
    api: Api, client: Client, stack: Stack, vendor: FakeVendor, req_id: str
) -> None:
    app_id, offer = sent_offer(api, client, stack, req_id)
    # Then our adapter got one envelope with the PDF and the candidate as signer
    assert len(vendor.sent) == 1
    envelope = vendor.sent[0]
    assert envelope.offer_id == offer["id"] and envelope.document_pdf.startswith(b"%PDF")
    assert offer["envelope_id"] == "env-1" and offer["sent_at"]
    # When the same message is delivered again / Then the vendor is not called again
    sqs = boto3.client("sqs", region_name=REGION)
    sqs.send_message(
        QueueUrl=stack.env["ESIGN_QUEUE_URL"],
        MessageBody=json.dumps({"offer_id": offer["id"], "application_id": app_id}),
    )
    run_esign_worker(client, stack)
    assert len(vendor.sent) == 1


def test_vendor_outage_fails_the_message_which_is_retried_and_nothing_is_lost(
    api: Api, client: Client, stack: Stack, vendor: FakeVendor, req_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # (the backoff before the redelivery is left out here: test_faults_vendors.py covers it)
    monkeypatch.setattr("shared.services.background_checks.delay_message", lambda *_: None)
    app_id = at_background_check(api, req_id)
    offer = api.call("POST", f"/applications/{app_id}/offers", body=offer_body()).data
    api.call(
        "POST", f"/applications/{app_id}/offers/{offer['id']}/approvals", role="manager", body={"decision": "approve"}
    )
    # Given the vendor is down / When the worker runs
    vendor.down = True
    run_esign_worker(client, stack)
    # Then the offer is still approved and the message is back on the queue
    one = f"/applications/{app_id}/offers/{offer['id']}"
    assert api.call("GET", one).data["status"] == "approved"
    attrs = boto3.client("sqs", region_name=REGION).get_queue_attributes(
        QueueUrl=stack.env["ESIGN_QUEUE_URL"], AttributeNames=["ApproximateNumberOfMessages"]
    )
    assert attrs["Attributes"]["ApproximateNumberOfMessages"] == "1"
    # When the vendor is back / Then the retried message sends it
    vendor.down = False
    run_esign_worker(client, stack)
    assert api.call("GET", one).data["status"] == "sent" and len(vendor.sent) == 1


def test_signed_moves_the_stage_and_puts_exactly_one_onboarding_message(
    api: Api, client: Client, stack: Stack, vendor: FakeVendor, req_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app_id, offer = sent_offer(api, client, stack, req_id)
    sends: list[str] = []
    real = queue_store.send_all

    def counting(url: str, bodies: Any) -> None:
        sends.extend(bodies)
        real(url, bodies)

    monkeypatch.setattr(queue_store, "send_all", counting)
    # When the vendor reports the offer signed
    first = post_esign(api, esign_event(offer), webhook_id="msg_signed")
    # Then the offer is signed, the application at offer_signed
    assert first.status_code == 200 and first.data == {
        "status": "applied",
        "webhook_id": "msg_signed",
        "offer_id": offer["id"],
        "offer_status": "signed",
    }
    assert api.call("GET", f"/applications/{app_id}").data["stage"] == "offer_signed"
    signed = api.call("GET", f"/applications/{app_id}/offers/{offer['id']}").data
    assert signed["status"] == "signed" and signed["signed_at"] == "2026-11-28T02:00:00Z"
    # When the vendor retries the same delivery, and reports it again under a new id
    assert post_esign(api, esign_event(offer), webhook_id="msg_signed").data["status"] == "duplicate"
    assert post_esign(api, esign_event(offer), webhook_id="msg_signed_again").data["status"] == "duplicate"
    # and sends other news under a used id: 409 naming webhook-id (one id is one delivery)
    reused = post_esign(api, esign_event(offer, "declined"), webhook_id="msg_signed")
    assert reused.status_code == 409 and reused.data["error"]["details"][0]["field"] == "webhook-id"
    # Then exactly one onboarding message was sent, and it is the contract's
    assert len(sends) == 1
    bodies = take_all(stack.env["ONBOARDING_QUEUE_URL"])
    assert len(bodies) == 1
    message = OnboardingRequest.model_validate_json(bodies[0])
    assert (message.offer_id, message.application_id, message.grade) == (offer["id"], app_id, "P5")
    assert message.title == "对公客户经理（2027届校园招聘）" and "身份证" in message.documents_to_bring
    assert message.signed_at == "2026-11-28T02:00:00Z" and message.department == "零售金融部"
    # and nothing is left in the outbox
    assert Repository().query("PENDING#offers").items == []


def test_onboarding_message_refused_by_the_queue_is_sent_by_the_reconciliation(
    api: Api, client: Client, stack: Stack, vendor: FakeVendor, req_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app_id, offer = sent_offer(api, client, stack, req_id)
    real = queue_store.send_all

    def refusing(url: str, bodies: Any) -> None:
        raise ServiceUnavailable("the work queue did not accept every message")

    monkeypatch.setattr(queue_store, "send_all", refusing)
    # When the signature arrives while the queue refuses
    assert post_esign(api, esign_event(offer)).status_code == 200
    # Then the stage moved and the message waits in the outbox (the transaction wrote it)
    assert api.call("GET", f"/applications/{app_id}").data["stage"] == "offer_signed"
    assert len(Repository().query("PENDING#offers").items) == 1
    assert take_all(stack.env["ONBOARDING_QUEUE_URL"]) == []
    # When the reconciliation runs with the queue back / Then it is sent once, and not again
    monkeypatch.setattr(queue_store, "send_all", real)
    assert Offers().reconcile(min_age_seconds=0)["resent"] == 1
    assert Offers().reconcile(min_age_seconds=0)["resent"] == 0
    bodies = take_all(stack.env["ONBOARDING_QUEUE_URL"])
    assert [OnboardingRequest.model_validate_json(b).offer_id for b in bodies] == [offer["id"]]
    # and the scheduled function leaves young records to the request that wrote them
    assert client.lambda_.invoke("reconcile_offer_outbox", SCHEDULED).payload == {"resent": 0, "failed": 0, "young": 0}


def test_declined_rejects_the_application(
    api: Api, client: Client, stack: Stack, vendor: FakeVendor, req_id: str
) -> None:
    app_id, offer = sent_offer(api, client, stack, req_id)
    answer = post_esign(api, esign_event(offer, "declined"))
    assert answer.status_code == 200 and answer.data["offer_status"] == "declined"
    assert api.call("GET", f"/applications/{app_id}").data["stage"] == "rejected"
    assert take_all(stack.env["ONBOARDING_QUEUE_URL"]) == []
    # a late "signed" for a declined offer changes nothing
    late = post_esign(api, esign_event(offer), webhook_id="msg_late")
    assert late.status_code == 409
    assert api.call("GET", f"/applications/{app_id}/offers/{offer['id']}").data["status"] == "declined"


def test_expired_keeps_the_stage_and_allows_a_new_offer(
    api: Api, client: Client, stack: Stack, vendor: FakeVendor, req_id: str
) -> None:
    app_id, offer = sent_offer(api, client, stack, req_id)
    assert post_esign(api, esign_event(offer, "expired")).data["offer_status"] == "expired"
    assert api.call("GET", f"/applications/{app_id}").data["stage"] == "offer"
    assert take_all(stack.env["ONBOARDING_QUEUE_URL"]) == []
    again = api.call("POST", f"/applications/{app_id}/offers", body=offer_body())
    assert again.status_code == 201
    assert [o["status"] for o in api.call("GET", f"/applications/{app_id}/offers").data["items"]] == [
        "pending_approval",
        "expired",
    ]


def test_bad_esign_callbacks_change_nothing(
    api: Api, client: Client, stack: Stack, vendor: FakeVendor, req_id: str
) -> None:
    app_id, offer = sent_offer(api, client, stack, req_id)
    forged = "whsec_" + "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE="
    assert post_esign(api, esign_event(offer), secret=forged).status_code == 401
    assert api.call("POST", "/webhooks/esign", role=None, body=esign_event(offer)).status_code == 401
    bad = post_esign(api, esign_event(offer, "lost"))
    assert bad.status_code == 400 and bad.data["error"]["details"][0]["field"] == "type"
    missing = post_esign(api, {k: v for k, v in esign_event(offer).items() if k != "envelope_id"}, webhook_id="m2")
    assert missing.status_code == 400 and missing.data["error"]["details"][0]["field"] == "envelope_id"
    when = post_esign(api, esign_event(offer, occurred_at="yesterday"), webhook_id="m3")
    assert when.status_code == 400 and when.data["error"]["details"][0]["field"] == "occurred_at"
    other = post_esign(api, esign_event(offer, envelope_id="env-999"), webhook_id="m4")
    assert other.status_code == 400 and other.data["error"]["details"][0]["field"] == "envelope_id"
    assert post_esign(api, b"not json", webhook_id="m5").status_code == 400
    assert post_esign(api, esign_event(offer, offer_id="nope"), webhook_id="m6").status_code == 404
    # Then the offer is still out for signature and the application at offer
    assert api.call("GET", f"/applications/{app_id}/offers/{offer['id']}").data["status"] == "sent"
    assert api.call("GET", f"/applications/{app_id}").data["stage"] == "offer"
    # and a rejected delivery id can still be used for a valid report later (nothing was recorded)
    assert post_esign(api, esign_event(offer), webhook_id="m4").data["status"] == "applied"


def test_signed_before_the_offer_is_marked_sent_asks_the_vendor_to_retry(api: Api, req_id: str) -> None:
    app_id = at_background_check(api, req_id)
    offer = api.call("POST", f"/applications/{app_id}/offers", body=offer_body()).data
    api.call(
        "POST", f"/applications/{app_id}/offers/{offer['id']}/approvals", role="manager", body={"decision": "approve"}
    )
    early = post_esign(api, esign_event(offer))
    assert early.status_code == 503 and early.headers["Retry-After"] == "5"
    assert OfferStatus(api.call("GET", f"/applications/{app_id}/offers/{offer['id']}").data["status"]) is (
        OfferStatus.approved
    )


# -- the requisition's headcount ---------------------------------------------------------------------


def test_an_offer_beyond_the_headcount_is_409_unless_hr_records_an_override(api: Api) -> None:
    # Given a requisition for one person, with one offer already made
    req_id = make(api, headcount=1).data["id"]
    first = at_background_check(api, req_id, 1)
    assert api.call("POST", f"/applications/{first}/offers", body=offer_body()).status_code == 201
    # When HR makes an offer to a second ready applicant
    second = at_background_check(api, req_id, 2)
    refused = api.call("POST", f"/applications/{second}/offers", body=offer_body())
    # Then it is refused, naming the headcount, what takes it, and the override
    assert refused.status_code == 409, refused.data
    detail = refused.data["error"]["details"][0]
    assert detail == {
        "code": "headcount_reached",
        "field": "headcount_override",
        "headcount": 1,
        "filled_count": 0,
        "offers_outstanding": 1,
    }
    assert api.call("GET", f"/applications/{second}").data["stage"] == "background_check"
    # When HR records an override with a reason, then the offer is made and the override audited
    body = offer_body(headcount_override="第一人选可能放弃，经分管行长批准超编一人")
    made = api.call("POST", f"/applications/{second}/offers", body=body)
    assert made.status_code == 201, made.data
    audit = api.call("GET", f"/audit?subject=application:{second}").data["items"]
    created = next(a for a in audit if a["action"] == "offer.create")
    assert created["details"]["headcount_override"] == "第一人选可能放弃，经分管行长批准超编一人"


def test_signed_offers_fill_the_requisition_which_then_takes_no_plain_offer(
    api: Api, client: Client, stack: Stack, vendor: FakeVendor
) -> None:
    # Given a requisition for one person and a sent offer
    req_id = make(api, headcount=1).data["id"]
    _, offer = sent_offer(api, client, stack, req_id)
    # When the candidate signs
    assert post_esign(api, esign_event(offer), webhook_id="msg_fill").status_code == 200
    # Then the requisition counts one filled and is filled
    req = api.call("GET", f"/requisitions/{req_id}").data
    assert (req["filled_count"], req["status"]) == (1, "filled")
    # and a repeated callback counts nothing more
    assert post_esign(api, esign_event(offer), webhook_id="msg_fill").data["status"] == "duplicate"
    assert api.call("GET", f"/requisitions/{req_id}").data["filled_count"] == 1
    # and another offer is refused with the signed count
    other = at_background_check(api, req_id, 2)
    refused = api.call("POST", f"/applications/{other}/offers", body=offer_body())
    assert refused.status_code == 409 and refused.data["error"]["details"][0]["filled_count"] == 1


def test_a_requisition_on_hold_takes_no_offer(api: Api, req_id: str) -> None:
    # Given a ready applicant of a requisition HR put on hold
    app_id = at_background_check(api, req_id)
    api.call("POST", f"/requisitions/{req_id}/status", body={"status": "on_hold", "reason": "编制冻结"})
    # When HR makes an offer, then it is refused naming the status, even with an override
    refused = api.call("POST", f"/applications/{app_id}/offers", body=offer_body(headcount_override="急需"))
    assert refused.status_code == 409
    assert refused.data["error"]["details"] == [{"code": "requisition_on_hold"}]


# -- the start date: hired and active -----------------------------------------------------------------


def test_hired_needs_the_start_date_and_the_daily_schedule_activates_on_it(
    api: Api, client: Client, stack: Stack, vendor: FakeVendor, req_id: str
) -> None:
    # Given a signed offer starting in 40 days, and the employee onboarding made from it
    app_id, offer = sent_offer(api, client, stack, req_id)
    assert post_esign(api, esign_event(offer), webhook_id="msg_start").status_code == 200
    drain(lambda e: client.lambda_.invoke("onboarding_worker", e).payload, stack.env["ONBOARDING_QUEUE_URL"])
    assert api.call("GET", f"/employees/{app_id}").data["status"] == "onboarding"
    start = offer["start_date"]
    # When HR moves the application to hired before the start date
    refused = api.call("POST", f"/applications/{app_id}/transitions", body={"to": "hired", "reason": "入职"})
    # Then 409 names the start date not yet reached, and nothing changes
    assert refused.status_code == 409
    missing = refused.data["error"]["details"][0]["missing"]
    assert missing[0]["code"] == "start_date_not_reached" and start in missing[0]["message"]
    assert api.call("GET", f"/applications/{app_id}").data["stage"] == "offer_signed"
    # When the daily schedule runs the day before the start date, then nobody is activated
    day_before = (date.fromisoformat(start) - timedelta(days=1)).isoformat()
    assert client.lambda_.invoke("start_dates_daily", scheduled(day_before)).payload["activated"] == 0
    # When it runs on the start date
    counts = client.lambda_.invoke("start_dates_daily", scheduled(start)).payload
    # Then the employee is active and the application hired, each audited
    assert counts == {"activated": 1, "hired": 1, "conflicts": 0}
    assert api.call("GET", f"/employees/{app_id}").data["status"] == "active"
    assert api.call("GET", f"/applications/{app_id}").data["stage"] == "hired"
    actions = [a["action"] for a in api.call("GET", f"/audit?subject=employee:{app_id}").data["items"]]
    assert "employee.activate" in actions
    # and running again the same day changes nothing
    assert client.lambda_.invoke("start_dates_daily", scheduled(start)).payload["activated"] == 0


def test_one_person_from_application_to_active_employee_to_a_second_application(
    api: Api, client: Client, stack: Stack, vendor: FakeVendor, req_id: str
) -> None:
    # Given person 5 applied, was offered, signed, onboarded and started (the start-date schedule)
    app_id, offer = sent_offer(api, client, stack, req_id, n=5)
    assert post_esign(api, esign_event(offer), webhook_id="msg_person").status_code == 200
    drain(lambda e: client.lambda_.invoke("onboarding_worker", e).payload, stack.env["ONBOARDING_QUEUE_URL"])
    assert client.lambda_.invoke("start_dates_daily", scheduled(offer["start_date"])).payload["hired"] == 1
    person_id = api.call("GET", f"/applications/{app_id}").data["person_id"]
    # When the same person applies to another requisition a year later
    other = make(api, title="理财经理（社会招聘）").data["id"]
    again = api.call("POST", f"/requisitions/{other}/applications", body=person(5))
    # Then the application links to the same archive, and HR is told the person is an employee
    assert again.status_code == 201, again.data
    assert again.data["person_id"] == person_id
    assert again.data["known_person"]["employee_status"] == "active"
    assert again.data["known_person"]["note_zh"].endswith("，现为员工")
    # And the person's archive shows both applications and the employment
    archive = api.call("GET", f"/people/{person_id}").data
    assert [(a["application_id"], a["stage"]) for a in archive["applications"]] == [
        (app_id, "hired"),
        (again.data["id"], "screened"),
    ]
    assert [(e["employee_id"], e["status"]) for e in archive["employment"]] == [(app_id, "active")]
    # and the person, an employee, is not erased through the archive
    refused = api.call("DELETE", f"/people/{person_id}", body={"reason": "本人要求"})
    assert refused.status_code == 409
