"""What the AWS dashboard and alarms would show, computed on the local stack: ``GET /operations`` at
the admin port (``infra/local/admin.py``).

* ``queues``: every queue of the stack with its depth (visible and in flight) and URL (to redrive with
  ``python -m infra.local.redrive``), dead-letter queues marked;
* ``executions``: the probation state machine's executions by status;
* ``alarms``: the alarms the local stack can evaluate, by the names the template gives them
  (``infra/monitoring.py``): ``<Queue>DepthAlarm`` for every dead-letter queue (ALARM with any
  message), ``ProbationExecutionsFailedAlarm`` and ``ProbationExecutionsTimedOutAlarm`` (ALARM with
  any such execution). The others (errors, throttles, latency, iterator age, SES reputation) need
  CloudWatch's own metrics, which moto does not produce;
* ``metrics``: the business metrics the functions counted since the stack started, by
  ``<metric>/<outcome>`` (``functions/observability.py``: every function runs in this process);
* ``consumers``: the event pump's invocations and failures per event source.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from functions.observability import totals
from infra.monitoring import dead_letter_queues
from infra.outputs import load_template

EXECUTION_STATUSES = ("RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED")
EXECUTION_ALARMS = {"FAILED": "ProbationExecutionsFailedAlarm", "TIMED_OUT": "ProbationExecutionsTimedOutAlarm"}


def _queues(cfn: Any, stack: str) -> dict[str, str]:
    """Logical id -> URL of every queue of the stack."""
    found: dict[str, str] = {}
    for page in cfn.get_paginator("list_stack_resources").paginate(StackName=stack):
        for resource in page["StackResourceSummaries"]:
            if resource["ResourceType"] == "AWS::SQS::Queue" and resource.get("PhysicalResourceId"):
                found[resource["LogicalResourceId"]] = resource["PhysicalResourceId"]
    return found


def _depth(sqs: Any, url: str) -> dict[str, int]:
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
    return {"visible": int(attributes.get(names[0], 0)), "in_flight": int(attributes.get(names[1], 0))}


def _executions(sfn: Any, machine_arn: str) -> dict[str, int]:
    counts = dict.fromkeys(EXECUTION_STATUSES, 0)
    for status in EXECUTION_STATUSES:
        for page in sfn.get_paginator("list_executions").paginate(stateMachineArn=machine_arn, statusFilter=status):
            counts[status] += len(page["executions"])
    return counts


def snapshot(
    cfn: Any,
    sqs: Any,
    sfn: Any,
    stack: str,
    machine_arn: str,
    pump_status: Mapping[str, Any] | None = None,
    template: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The operator's view of the local stack now (see the module doc)."""
    dead_letters = set(dead_letter_queues(template or load_template()))
    queues = {
        name: {**_depth(sqs, url), "dead_letter": name in dead_letters, "url": url}
        for name, url in sorted(_queues(cfn, stack).items())
    }
    executions = _executions(sfn, machine_arn)
    alarms = [
        {"name": f"{name}DepthAlarm", "state": "ALARM" if queue["visible"] else "OK", "value": queue["visible"]}
        for name, queue in queues.items()
        if queue["dead_letter"]
    ]
    alarms += [
        {"name": alarm, "state": "ALARM" if executions[status] else "OK", "value": executions[status]}
        for status, alarm in EXECUTION_ALARMS.items()
    ]
    consumers = [
        {"name": s["name"], "invocations": s["invocations"], "failed": s["failed"]}
        for s in [*(pump_status or {}).get("sources", []), *(pump_status or {}).get("streams", [])]
    ]
    return {"alarms": alarms, "queues": queues, "executions": executions, "metrics": totals(), "consumers": consumers}


def view(
    client: Callable[[str], Any], stack: str, machine_arn: str, pump_status: Callable[[], Mapping[str, Any]]
) -> Callable[[], dict[str, Any]]:
    """``snapshot`` bound to the running stack's clients, for the admin endpoint."""
    template = load_template()
    return lambda: snapshot(
        client("cloudformation"), client("sqs"), client("stepfunctions"), stack, machine_arn, pump_status(), template
    )
