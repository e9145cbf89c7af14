"""Logs and metrics of every function: one powertools ``Logger`` and one ``Metrics`` (CloudWatch
embedded metric format), created once, configured explicitly (importing this module reads no
environment).

Every log line of an invocation carries the Lambda context (function name, memory, ARN, request
id, ``cold_start``: the ``observe`` middleware, registered for every event type) and a
``correlation_id`` that follows one business event across functions:

* a request to the API: its API Gateway request id; a vendor delivery: its ``webhook-id``, which the
  table stream's consumer finds again on the history entry it projects;
* a queue message: its SQS message id; a probation cycle's message: the cycle's execution name
  (``probation-<employee id>``), the name Step Functions shows for it;
* a table stream record: the ``webhook_id`` of the result it carries, else its event id.

Log lines carry ids and outcomes only, never personal data (``tests/integration/test_pii_logging.py``).

Business metrics live in one namespace; their only dimension besides powertools' ``service`` is
``outcome``, a value of a short closed list (``BUSINESS_METRICS``): never an id, so the number of
metric series stays fixed however large the hiring event. The dashboard (``infra/monitoring.py``)
draws exactly this catalogue.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit, single_metric
from chalice.app import Request

from shared.errors import DomainError, Unauthenticated
from shared.services.probation import execution_name

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

SERVICE = "talent-lifecycle"
NAMESPACE = "TalentLifecycle"
OUTCOME = "outcome"  # the one business dimension

logger = Logger(service=SERVICE)
metrics = Metrics(namespace=NAMESPACE, service=SERVICE)

# metric name -> the outcomes it is counted by (empty: counted without an outcome)
BUSINESS_METRICS: dict[str, tuple[str, ...]] = {
    # vendor deliveries (AI results, background checks, e-signature events) by what became of them
    "Deliveries": ("stored", "duplicate", "parked", "refused_signature", "refused_payload"),
    "ImportRows": ("accepted", "rejected", "duplicate"),  # rows of bulk imports
    "ShortlistSize": (),  # applications in a proposed shortlist
    "OffersSigned": (),
    "OnboardingMessages": ("onboarded", "duplicate"),  # an onboarding message: a new hire, or a redelivery
    "DeadLetterMoves": (),  # messages a consumer failed on their last receive: next stop, the DLQ
}


@contextmanager
def delivery() -> Iterator[None]:
    """Count a vendor delivery refused inside the block (bad signature, or a payload refused with
    400 / 404 / 409 / 413) before the refusal goes on to the caller."""
    try:
        yield
    except Unauthenticated:
        metric("Deliveries", "refused_signature")
        raise
    except DomainError:
        metric("Deliveries", "refused_payload")
        raise


# the work queues' maxReceiveCount (infra/template.json RedrivePolicy; a package test keeps them equal)
MAX_RECEIVES = 5


# What this process has counted, by "<metric>" or "<metric>/<outcome>": the local stack runs every
# function in one process, and its admin port shows these beside the alarms (infra/local/operations.py).
_TOTALS: dict[str, float] = {}
_TOTALS_LOCK = threading.Lock()


def totals() -> dict[str, float]:
    with _TOTALS_LOCK:
        return dict(sorted(_TOTALS.items()))


def metric(name: str, outcome: str | None = None, value: float = 1) -> None:
    """One business metric datum, written at once as its own EMF line (its ``outcome`` dimension
    must not reach the request's other metrics). Only the catalogue's names and outcomes are
    accepted: a typo or an id as outcome fails loudly instead of creating a new metric series."""
    outcomes = BUSINESS_METRICS.get(name)
    if outcomes is None or (outcome is None) != (not outcomes) or (outcome is not None and outcome not in outcomes):
        raise ValueError(f"{name} / {outcome} is not in BUSINESS_METRICS")
    with single_metric(
        name=name, unit=MetricUnit.Count, value=value, namespace=NAMESPACE, default_dimensions={"service": SERVICE}
    ) as datum:
        if outcome is not None:
            datum.add_dimension(name=OUTCOME, value=outcome)
    with _TOTALS_LOCK:
        key = name if outcome is None else f"{name}/{outcome}"
        _TOTALS[key] = _TOTALS.get(key, 0) + value


WEBHOOK_ID = "webhook-id"
_UNSAFE = re.compile(r"[^A-Za-z0-9_.:#-]")  # a header's value becomes a log field: ids only, bounded


def _safe(value: str) -> str:
    return _UNSAFE.sub("_", value)[:128]


def http_correlation_id(request: Request) -> str | None:
    """A vendor delivery's ``webhook-id``, else the request id."""
    headers: Any = request.headers or {}
    delivered = headers.get(WEBHOOK_ID) if request.path.startswith("/webhooks/") else None
    if delivered:
        return _safe(delivered)
    # API Gateway's request id; chalice local gives none, then the function's own invocation id
    request_id = (request.context or {}).get("requestId") or getattr(request.lambda_context, "aws_request_id", None)
    return _safe(str(request_id)) if request_id else None


def message_correlation_id(record: SQSRecord) -> str:
    """A probation cycle's execution name for its messages, else the message id."""
    try:
        body = json.loads(record.body)
    except ValueError:
        body = None
    if isinstance(body, dict) and str(body.get("kind", "")).startswith("probation_") and body.get("employee_id"):
        return _safe(execution_name(str(body["employee_id"])))
    return record.message_id


def stream_correlation_id(record: DynamoDBRecord) -> str:
    """The webhook id of the result a history entry carries, else the record's event id."""
    image = (record.raw_event.get("dynamodb") or {}).get("NewImage") or {}
    webhook_id = (image.get("webhook_id") or {}).get("S")
    return _safe(webhook_id) if webhook_id else str(record.event_id or "")


def observe(event: Any, get_response: Callable[[Any], Any]) -> Any:
    """Chalice middleware for every event type: the invocation's log lines get the Lambda context
    (previous keys cleared) and, for a request, its correlation id; a batch consumer sets each
    record's own (``functions/batch.py``)."""
    http = isinstance(event, Request)
    context = event.lambda_context if http else getattr(event, "context", None)

    def run(_event: Any, _context: Any) -> Any:
        logger.set_correlation_id(http_correlation_id(event) if http else None)
        return get_response(event)

    if context is None or not hasattr(context, "aws_request_id"):
        return run(None, None)
    return logger.inject_lambda_context(run, clear_state=True)({}, context)
