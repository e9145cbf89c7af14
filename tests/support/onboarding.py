"""Onboarding in tests: hires whose offers were signed, the messages the offer feature puts on the
onboarding queue, and the consumer and daily schedule driven by hand."""

from __future__ import annotations

import json
from typing import Any

import boto3
from chalice.test import Client

from shared.models.common import new_id
from tests.support.api import Api
from tests.support.events import drain
from tests.support.hiring import deliver, make, new_app
from tests.support.stack import REGION
from tests.support.webhooks import canonical

START = "2027-01-11"  # a Monday: IT due 2027-01-06, admin 2027-01-07, HR documents 2027-01-04, contract 2027-01-08


def scheduled(day: str) -> dict[str, Any]:
    """The onboarding_daily schedule's event on ``day``."""
    return {
        "version": "0",
        "id": new_id(),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": f"{day}T01:00:00Z",
        "region": REGION,
        "resources": ["arn:aws:events:us-east-1:123456789012:rule/onboarding_daily"],
        "detail": {},
    }


class Onboard:
    """A requisition with a teamwork bar of 80 and hires whose AI result scores teamwork 70."""

    def __init__(self, api: Api, client: Client) -> None:
        self.api, self.client = api, client
        bar = {"logic": 70, "expression": 75, "customer_orientation": 80, "teamwork": 80}
        self.req_id = str(make(api, competency_bar=bar).data["id"])
        self.queue_url = api.stack.env["ONBOARDING_QUEUE_URL"]
        self.sqs = boto3.client("sqs", region_name=REGION)

    def hire(self, n: int, **scores: Any) -> str:
        app_id = new_app(self.api, self.req_id, n)["id"]
        result = canonical(self.req_id, application_id=app_id, **scores)
        assert deliver(self.api, result).status_code == 200
        return str(app_id)

    def message(self, app_id: str, **changes: Any) -> dict[str, Any]:
        return {
            "offer_id": f"offer-{app_id}",
            "application_id": app_id,
            "requisition_id": self.req_id,
            "name": "张伟",
            "email": f"hire-{app_id[:8]}@example.com",
            "department": "零售金融部",
            "role_family": "customer_manager",
            "title": "对公客户经理",
            "grade": "P5",
            "start_date": START,
            "signed_at": "2026-12-01T08:00:00Z",
            "documents_to_bring": ["身份证原件", "学历学位证书", "离职证明"],
        } | changes

    def put(self, *bodies: dict[str, Any] | str) -> None:
        for body in bodies:
            self.sqs.send_message(
                QueueUrl=self.queue_url, MessageBody=body if isinstance(body, str) else json.dumps(body)
            )

    def invoke(self, event: dict[str, Any]) -> dict[str, Any]:
        try:
            return dict(self.client.lambda_.invoke("onboarding_worker", event).payload)
        except Exception:  # every record failed: the invocation errs and AWS retries the whole batch
            return {"batchItemFailures": [{"itemIdentifier": r["messageId"]} for r in event["Records"]]}

    def receive(self, count: int) -> list[dict[str, Any]]:
        messages: list[dict[str, Any]] = []
        while len(messages) < count:
            out = self.sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=10, AttributeNames=["All"])
            messages += out.get("Messages", [])
        return messages

    def drain(self) -> None:
        drain(self.invoke, self.queue_url)

    def daily(self, day: str) -> dict[str, int]:
        return dict(self.client.lambda_.invoke("onboarding_daily", scheduled(day)).payload)

    def onboarded(self, app_id: str, **changes: Any) -> str:
        self.put(self.message(app_id, **changes))
        self.drain()
        return app_id
