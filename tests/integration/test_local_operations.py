"""Local parity: the local stack's admin port shows what the AWS dashboard and alarms would show,
as far as the local stack can compute it (``infra/local/operations.py``)."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import boto3

from infra.local.admin import AdminServer
from infra.local.operations import snapshot
from tests.support.api import Api
from tests.support.hiring import deliver, new_app
from tests.support.stack import REGION
from tests.support.webhooks import canonical


class _NoPump:
    def status(self) -> dict[str, list[dict[str, object]]]:
        return {"sources": [{"name": "notification_worker", "invocations": 3, "failed": 1}], "streams": []}


def _view(api: Api) -> dict[str, Any]:
    clients = {s: boto3.client(s, region_name=REGION) for s in ("cloudformation", "sqs", "stepfunctions")}
    machine = api.stack.env["PROBATION_STATE_MACHINE_ARN"]
    return snapshot(
        clients["cloudformation"], clients["sqs"], clients["stepfunctions"], "talent", machine, _NoPump().status()
    )


def test_a_dead_lettered_message_raises_its_alarm_and_the_metrics_count_deliveries(api: Api, req_id: str) -> None:
    # Given a quiet stack: every alarm the local stack can compute is OK
    before = _view(api)
    assert {a["state"] for a in before["alarms"]} == {"OK"}
    names = {a["name"] for a in before["alarms"]}
    assert {"NotificationDeadLetterQueueDepthAlarm", "StreamDeadLetterQueueDepthAlarm"} <= names
    assert {"ProbationExecutionsFailedAlarm", "ProbationExecutionsTimedOutAlarm"} <= names
    assert len([q for q in before["queues"].values() if q["dead_letter"]]) == 7

    # When a message lands in the notification dead-letter queue and the vendor delivers a result
    sqs = boto3.client("sqs", region_name=REGION)
    dlq = before["queues"]["NotificationDeadLetterQueue"]["url"]
    sqs.send_message(QueueUrl=dlq, MessageBody=json.dumps({"kind": "invitation", "application_id": "a1"}))
    app = new_app(api, req_id)
    assert deliver(api, canonical(req_id, application_id=app["id"])).status_code == 200
    after = _view(api)

    # Then that queue's alarm is in ALARM with its depth, the others stay OK
    states = {a["name"]: (a["state"], a["value"]) for a in after["alarms"]}
    assert states["NotificationDeadLetterQueueDepthAlarm"] == ("ALARM", 1)
    assert [n for n, (state, _) in states.items() if state == "ALARM"] == ["NotificationDeadLetterQueueDepthAlarm"]
    assert after["queues"]["NotificationDeadLetterQueue"]["visible"] == 1
    # and the delivery is counted among the business metrics, the consumers' failures shown
    assert after["metrics"].get("Deliveries/stored", 0) == before["metrics"].get("Deliveries/stored", 0) + 1
    assert after["consumers"] == [{"name": "notification_worker", "invocations": 3, "failed": 1}]
    assert after["executions"]["FAILED"] == 0


def test_the_admin_port_serves_the_operations_view() -> None:
    # Given the admin endpoint with an operations view
    view = {"alarms": [{"name": "EsignDeadLetterQueueDepthAlarm", "state": "ALARM", "value": 2}]}
    server = AdminServer(_NoPump(), "127.0.0.1", 0, lambda: view)  # type: ignore[arg-type]
    server.start()
    try:
        # When an operator asks for it, Then it is served as JSON
        with urllib.request.urlopen(f"{server.url}/operations", timeout=10) as response:
            assert json.loads(response.read()) == view
    finally:
        server.stop()
