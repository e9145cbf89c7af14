"""Vendor outages and poison messages, through the real HTTP adapters and the SQS consumers.

The background-check and e-signature vendors are HTTP servers on loopback ports that refuse
connections, answer 5xx or answer too late. Each failing delivery returns the message to its queue
with an exponential backoff; after maxReceiveCount it rests in the dead-letter queue; the redrive
(``infra.local.redrive``, the stand-in for ``start-message-move-task``) after the vendor is back
delivers it exactly once: one order at the vendor, one envelope, no e-mail twice. An unparseable
message in each consumer's batch fails alone and reaches the dead-letter queue; its batch-mates are
processed. And every queue of the template has a dead-letter queue and a redrive policy.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
from chalice.test import Client

import functions.consumers.background_check_queue as bgc_functions
from infra.local.redrive import move_messages, source_queue_of
from shared.store import aws
from shared.store.background_vendor import HttpBackgroundVendor
from shared.store.esign import HttpEsignVendor
from shared.store.repository import Repository
from tests.support.api import Api
from tests.support.background import ORDER, checks
from tests.support.events import sqs_event
from tests.support.hiring import approve, at_background_check, evaluated_app, make, offer_body
from tests.support.mail import sent_mail
from tests.support.onboarding import Onboard
from tests.support.stack import REGION
from tests.support.vendor_server import VendorServer, refused_url

MAX_RECEIVES = 5  # maxReceiveCount of every queue in infra/template.json


@pytest.fixture
def server() -> Iterator[VendorServer]:
    s = VendorServer()
    yield s
    s.stop()


class Vendors:
    """Where the product's adapters send: the server, or a port where nothing listens."""

    def __init__(self, server: VendorServer) -> None:
        self.server = server
        self.url = server.base_url

    def outage(self, how: str) -> None:
        self.server.mode = "up" if how == "refused" else how
        self.url = refused_url() if how == "refused" else self.server.base_url

    def back(self) -> None:
        self.server.mode = "up"
        self.url = self.server.base_url


@pytest.fixture
def vendors(server: VendorServer, monkeypatch: pytest.MonkeyPatch) -> Vendors:
    v = Vendors(server)
    monkeypatch.setattr(bgc_functions, "vendor", lambda: HttpBackgroundVendor(v.url, timeout=0.3))
    monkeypatch.setattr(
        "functions.consumers.esign_queue.esign_vendor", lambda: HttpEsignVendor(v.url + "/envelopes", timeout=0.3)
    )
    return v


def dead_letter_url(url: str) -> str:
    """The dead-letter queue the queue's redrive policy names."""
    sqs = boto3.client("sqs", region_name=REGION)
    policy = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["RedrivePolicy"])["Attributes"]["RedrivePolicy"]
    name = json.loads(policy)["deadLetterTargetArn"].split(":")[-1]
    return str(sqs.get_queue_url(QueueName=name)["QueueUrl"])


def arn_of(url: str) -> str:
    sqs = boto3.client("sqs", region_name=REGION)
    return str(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"])


def invoker(client: Client, worker: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def invoke(event: dict[str, Any]) -> dict[str, Any]:
        try:
            return dict(client.lambda_.invoke(worker, event).payload or {})
        except BatchProcessingError:  # every record failed: the invocation errs, SQS redelivers them all
            return {"batchItemFailures": [{"itemIdentifier": r["messageId"]} for r in event["Records"]]}

    return invoke


class Delivery:
    """SQS's event source for one queue, by hand: receive, invoke, delete what succeeded; a failed
    message stays until its visibility ends (the test lets that time pass: visibility 0)."""

    def __init__(self, client: Client, worker: str, url: str, dlq_url: str) -> None:
        self.invoke = invoker(client, worker)
        self.url, self.dlq_url, self.arn = url, dlq_url, arn_of(url)
        self.sqs = boto3.client("sqs", region_name=REGION)
        self.backoffs: list[int] = []
        aws.client("sqs").meta.events.register(
            "before-parameter-build.sqs.ChangeMessageVisibility",
            lambda params, **_: self.backoffs.append(params["VisibilityTimeout"]),
        )

    def once(self) -> tuple[list[dict[str, Any]], set[str]]:
        """One delivery of whatever is visible: (messages, ids reported failed)."""
        messages = self.sqs.receive_message(QueueUrl=self.url, MaxNumberOfMessages=10, AttributeNames=["All"]).get(
            "Messages", []
        )
        if not messages:
            return [], set()
        response = self.invoke(sqs_event(messages, self.arn))
        failed = {f["itemIdentifier"] for f in response.get("batchItemFailures", [])}
        for m in messages:
            if m["MessageId"] in failed:  # (time passes: the backoff is over)
                self.sqs.change_message_visibility(
                    QueueUrl=self.url, ReceiptHandle=m["ReceiptHandle"], VisibilityTimeout=0
                )
            else:
                self.sqs.delete_message(QueueUrl=self.url, ReceiptHandle=m["ReceiptHandle"])
        return messages, failed

    def until_quiet(self, rounds: int = MAX_RECEIVES + 2) -> int:
        deliveries = 0
        for _ in range(rounds):
            messages, _failed = self.once()
            if not messages:
                break
            deliveries += 1
        return deliveries

    def dead(self) -> list[dict[str, Any]]:
        return list(
            self.sqs.receive_message(QueueUrl=self.dlq_url, MaxNumberOfMessages=10, VisibilityTimeout=0).get(
                "Messages", []
            )
        )

    def redrive(self) -> int:
        return move_messages(self.sqs, arn_of(self.dlq_url))


def bgc_delivery(client: Client, stack: Any) -> Delivery:
    env = stack.env
    return Delivery(
        client,
        "background_check_worker",
        env["BACKGROUND_CHECK_QUEUE_URL"],
        env["BACKGROUND_CHECK_DEAD_LETTER_QUEUE_URL"],
    )


def esign_delivery(client: Client, stack: Any) -> Delivery:
    return Delivery(client, "esign_worker", stack.env["ESIGN_QUEUE_URL"], stack.env["ESIGN_DEAD_LETTER_QUEUE_URL"])


OUTAGES = ["refused", "5xx", "slow"]


@pytest.mark.parametrize("outage", OUTAGES)
def test_background_vendor_outage_dead_letters_then_the_redrive_orders_once(
    api: Api, client: Client, stack: Any, vendors: Vendors, outage: str
) -> None:
    # Given an order on the queue, and the background-check vendor down
    app_id = evaluated_app(api, str(make(api).data["id"]))["id"]
    check_id = api.call("POST", f"/applications/{app_id}/background-checks", body=ORDER).data["check_id"]
    vendors.outage(outage)
    delivery = bgc_delivery(client, stack)
    mails_before = len(sent_mail())
    # When SQS delivers it again and again
    deliveries = delivery.until_quiet()
    # Then every delivery failed and backed off exponentially, and after maxReceiveCount it is dead-lettered
    assert deliveries == MAX_RECEIVES
    assert delivery.backoffs == [30 * 2**n for n in range(1, MAX_RECEIVES + 1)]
    assert [json.loads(m["Body"])["check_id"] for m in delivery.dead()] == [check_id]
    assert checks(api, app_id).data["items"][0]["status"] == "ordered"
    assert vendors.server.accepted_posts == {} or outage == "slow"  # a slow vendor took it, answered late
    # When the vendor is back and the dead-letter queue is redriven
    vendors.back()
    assert delivery.redrive() == 1
    delivery.until_quiet()
    # Then the vendor holds exactly one order (a request it took but answered too late carried the
    # same Idempotency-Key), the check is submitted with its reference, and nothing is left anywhere
    assert list(vendors.server.accepted) == [check_id]
    if outage != "slow":
        assert dict(vendors.server.accepted_posts) == {check_id: 1}
    stored = checks(api, app_id).data["items"][0]
    assert stored["status"] == "submitted" and stored["vendor_reference"] == vendors.server.accepted[check_id]
    assert delivery.dead() == [] and delivery.until_quiet() == 0
    # And a second redrive (a repeated command) finds nothing and orders nothing
    posts = sum(vendors.server.accepted_posts.values())
    assert delivery.redrive() == 0
    assert sum(vendors.server.accepted_posts.values()) == posts
    assert len(sent_mail()) == mails_before


@pytest.mark.parametrize("outage", OUTAGES)
def test_esign_vendor_outage_dead_letters_then_the_redrive_sends_one_envelope(
    api: Api, client: Client, stack: Any, vendors: Vendors, outage: str
) -> None:
    # Given an approved offer whose envelope message is on the queue, and the e-sign vendor down
    app_id = at_background_check(api, str(make(api).data["id"]))
    offer = api.call("POST", f"/applications/{app_id}/offers", body=offer_body()).data
    vendors.outage(outage)
    assert approve(api, app_id, offer["id"]).status_code == 200
    delivery = esign_delivery(client, stack)
    mails_before = len(sent_mail())
    # When SQS delivers it until maxReceiveCount
    assert delivery.until_quiet() == MAX_RECEIVES
    # Then each failure backed off exponentially and the message rests in the dead-letter queue
    assert delivery.backoffs == [30 * 2**n for n in range(1, MAX_RECEIVES + 1)]
    assert [json.loads(m["Body"])["offer_id"] for m in delivery.dead()] == [offer["id"]]
    url = f"/applications/{app_id}/offers/{offer['id']}"
    assert api.call("GET", url).data["status"] == "approved"
    # When the vendor is back and the dead-letter queue is redriven
    vendors.back()
    assert delivery.redrive() == 1
    delivery.until_quiet()
    # Then exactly one envelope exists (one Idempotency-Key at the vendor) and the offer is sent with it
    assert list(vendors.server.accepted) == [offer["id"]]
    if outage != "slow":
        assert dict(vendors.server.accepted_posts) == {offer["id"]: 1}
    posts = sum(vendors.server.accepted_posts.values())
    sent = api.call("GET", url).data
    assert sent["status"] == "sent" and sent["envelope_id"] == "env-V-0001"
    # And a duplicate delivery of the same message sends nothing again, and no e-mail went out twice
    boto3.client("sqs", region_name=REGION).send_message(
        QueueUrl=delivery.url, MessageBody=json.dumps({"offer_id": offer["id"], "application_id": app_id})
    )
    delivery.until_quiet()
    assert sum(vendors.server.accepted_posts.values()) == posts
    mails = [(tuple(m.destinations["ToAddresses"]), m.subject) for m in sent_mail()[mails_before:]]
    assert len(mails) == len(set(mails))


# -- poison messages ---------------------------------------------------------------------------------
POISON = "{not json"


def benign(worker: str) -> str:
    """A well-formed message the consumer handles as a no-op (its object does not exist)."""
    return {
        "background_check_worker": json.dumps({"application_id": "nobody", "check_id": "none"}),
        "esign_worker": json.dumps({"offer_id": "none", "application_id": "nobody"}),
        # an invitation already sent (its marker says so): the consumer stops without mailing
        "notification_worker": json.dumps(
            {"application_id": "x", "proposal_id": "p1", "starts_at": "2026-12-01T09:00:00+08:00", "place": "总行"}
        ),
    }[worker]


CONSUMERS = [
    ("background_check_worker", "BACKGROUND_CHECK"),
    ("esign_worker", "ESIGN"),
    ("notification_worker", "NOTIFICATION"),
    ("onboarding_worker", "ONBOARDING"),
    ("import_worker", "IMPORT"),
]


@pytest.mark.parametrize(("worker", "queue"), CONSUMERS)
def test_a_poison_message_fails_alone_and_reaches_the_dead_letter_queue(
    api: Api, client: Client, stack: Any, worker: str, queue: str
) -> None:
    # Given a queue holding an unparseable message and a well-formed batch-mate
    url = stack.env[f"{queue}_QUEUE_URL"]
    dlq = dead_letter_url(url)
    processed: Callable[[], bool]
    if worker == "onboarding_worker":
        ob = Onboard(api, client)
        mate_app = ob.hire(1)
        mate = json.dumps(ob.message(mate_app))
        processed = lambda: api.call("GET", f"/employees/{mate_app}").status_code == 200  # noqa: E731
    elif worker == "import_worker":
        mate = json.dumps(
            {
                "kind": "video_copy",
                "application_id": "nobody",
                "video_url": "https://vendor.example/v.mp4",
                "webhook_id": "w1",
            }
        )
        processed = lambda: True  # noqa: E731 (checked below: not reported failed)
    else:
        if worker == "notification_worker":
            Repository().put_item({"pk": "APP#x", "sk": "INVITE#p1", "status": "sent"})
        mate = benign(worker)
        processed = lambda: True  # noqa: E731
    sqs = boto3.client("sqs", region_name=REGION)
    sqs.send_message(QueueUrl=url, MessageBody=POISON)
    sqs.send_message(QueueUrl=url, MessageBody=mate)
    delivery = Delivery(client, worker, url, dlq)
    # When the consumer gets both in one batch
    messages: list[dict[str, Any]] = []
    while len(messages) < 2:  # (moto may hand them out one call at a time)
        got, failed = delivery.once()
        messages += got
        # Then only the poison message is reported failed
        assert {m["Body"] for m in got if m["MessageId"] in failed} <= {POISON}
    assert processed()
    # When SQS keeps redelivering the poison message
    delivery.until_quiet()
    # Then after maxReceiveCount it rests in the dead-letter queue, and the work queue is empty
    assert [m["Body"] for m in delivery.dead()] == [POISON]
    assert sqs.receive_message(QueueUrl=url, VisibilityTimeout=0).get("Messages", []) == []


# -- the template ------------------------------------------------------------------------------------
def test_every_queue_of_the_template_has_a_dead_letter_queue_the_redrive_finds(stack: Any) -> None:
    # Given the template's queues: the dead-letter queues are those a redrive policy (or an
    # EventBridge target) names; every other one is a work queue
    with open("infra/template.json", encoding="utf-8") as handle:
        resources = json.load(handle)["Resources"]
    queues = {name: r for name, r in resources.items() if r["Type"] == "AWS::SQS::Queue"}
    policies = {name: q["Properties"].get("RedrivePolicy") for name, q in queues.items()}
    dead = {p["deadLetterTargetArn"]["Fn::GetAtt"][0] for p in policies.values() if p}
    work = [name for name in queues if name not in dead and not name.endswith("DeadLetterQueue")]
    # Then every work queue has a redrive policy to a queue of the template, after 5 receives
    assert work and all(policies[name] for name in work), [n for n in work if not policies[n]]
    for name in work:
        assert policies[name]["maxReceiveCount"] == MAX_RECEIVES, name
        assert policies[name]["deadLetterTargetArn"]["Fn::GetAtt"][0] in queues, name
    # And in the deployed (local) stack the redrive finds each dead-letter queue's work queue
    sqs = boto3.client("sqs", region_name=REGION)
    for name in work:
        url = next(u for u in sqs.list_queues()["QueueUrls"] if f"-{name}-" in u or u.endswith(f"/{name}"))
        assert source_queue_of(sqs, arn_of(dead_letter_url(url))) == url, name
