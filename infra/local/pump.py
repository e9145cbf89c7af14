"""The local event pump: does for the Chalice app's event handlers what AWS Lambda would do.

* ``on_sqs_message``: an event source mapping. Long-polls the queue, hands the handler a real
  Lambda SQS event (the messages' own ids, receipt handles, attributes, ``eventSourceARN``) and
  honours ``batchItemFailures`` (``ReportBatchItemFailures``): successful records are deleted, failed
  ones become visible again after ``retry_delay_seconds``. If the handler raises, the whole batch
  is retried. The queue's own redrive policy moves a message to its DLQ after ``maxReceiveCount``
  receives (moto implements this on receive).
* ``on_cw_event``: an EventBridge rule with the handler's event pattern and, as its target, a
  local queue ``local-events-<name>``; each message is one event, one invocation. Like Lambda's
  asynchronous invocation the event is tried three times, then parked in ``local-events-<name>-dlq``.
  S3 object events reach the rule through the bucket's EventBridge notifications.
* ``on_dynamodb_record``: a stream event source mapping (``infra/local/streams.py``): the table's
  stream read from the oldest record, the deployed mapping's filter applied, batches retried from
  the first failed record, a record that keeps failing sent to the on-failure queue.
* ``schedule``: fired on demand (``fire_schedule``) and, optionally, all of them every N seconds.

``pump_once()`` drives every source one step, synchronously, for tests; ``start()`` runs pollers in
threads until ``stop()``.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import KW_ONLY, dataclass, field
from typing import Any, Literal

from botocore.exceptions import ClientError
from chalice.app import (
    Chalice,
    CloudWatchEventConfig,
    DynamoDBEventConfig,
    ScheduledEventConfig,
    ScheduleExpression,
    SQSEventConfig,
)
from chalice.local import LambdaContext

from infra.local.streams import MotoStreamTail, StreamSource
from shared import clock

log = logging.getLogger("infra.local.pump")

ACCOUNT_ID = "123456789012"  # moto's default account
ASYNC_ATTEMPTS = 3  # an asynchronous Lambda invocation: the first try and two retries
MAX_RECEIVE = 10  # SQS ReceiveMessage limit per call


@dataclass(frozen=True)
class FunctionSettings:
    """What Lambda would enforce for one function (only reported locally, never enforced)."""

    timeout_seconds: int = 60
    memory_mb: int = 128


@dataclass
class Source:
    """One event source of one handler, delivered through an SQS queue."""

    kind: Literal["sqs", "events"]
    name: str  # the handler's name in ``app.handler_map``
    queue_url: str
    queue_arn: str
    batch_size: int = 1
    dlq_url: str | None = None
    invocations: int = 0
    delivered: int = 0
    failed: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count(self, delivered: int, failed: int) -> None:
        with self.lock:
            self.invocations += 1
            self.delivered += delivered
            self.failed += failed


@dataclass(frozen=True)
class Schedule:
    name: str
    expression: str


@dataclass
class BatchOutcome:
    succeeded: list[str]
    failed: list[str]
    error: str | None = None


QueueResolver = Callable[[SQSEventConfig], str]


def _safe_name(raw: str, limit: int) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", raw)[:limit]


def _lambda_message_attributes(attributes: dict[str, Any]) -> dict[str, Any]:
    """SQS API message attributes -> the shape Lambda puts into an SQS event record."""
    converted: dict[str, Any] = {}
    for name, attr in attributes.items():
        binary = attr.get("BinaryValue")
        converted[name] = {
            "stringValue": attr.get("StringValue"),
            "binaryValue": base64.b64encode(binary).decode("ascii") if binary is not None else None,
            "stringListValues": list(attr.get("StringListValues", [])),
            "binaryListValues": [base64.b64encode(b).decode("ascii") for b in attr.get("BinaryListValues", [])],
            "dataType": attr.get("DataType", "String"),
        }
    return converted


def sqs_event(messages: Iterable[dict[str, Any]], queue_arn: str, region: str) -> dict[str, Any]:
    """The event Lambda's SQS event source mapping would pass for these received messages."""
    return {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": dict(m.get("Attributes", {})),
                "messageAttributes": _lambda_message_attributes(m.get("MessageAttributes", {})),
                "md5OfBody": m.get("MD5OfBody", ""),
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": region,
            }
            for m in messages
        ]
    }


def batch_outcome(message_ids: list[str], response: Any) -> BatchOutcome:
    """Apply Lambda's ``ReportBatchItemFailures`` rules to a handler's return value.

    No ``batchItemFailures`` (or an empty list) means every record succeeded. A failure whose
    ``itemIdentifier`` is missing or not in the batch makes Lambda retry the whole batch."""
    failures = response.get("batchItemFailures") if isinstance(response, dict) else None
    if not failures:
        return BatchOutcome(succeeded=list(message_ids), failed=[])
    failed: set[str] = set()
    for failure in failures:
        ident = failure.get("itemIdentifier") if isinstance(failure, dict) else None
        if not ident or ident not in message_ids:
            return BatchOutcome(
                succeeded=[], failed=list(message_ids), error=f"invalid batchItemFailures entry {failure!r}"
            )
        failed.add(ident)
    return BatchOutcome(
        succeeded=[m for m in message_ids if m not in failed], failed=[m for m in message_ids if m in failed]
    )


def scheduled_event(rule_arn: str, region: str, account_id: str = ACCOUNT_ID) -> dict[str, Any]:
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": account_id,
        "time": clock.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": region,
        "resources": [rule_arn],
        "detail": {},
    }


@dataclass(eq=False)
class EventPump:
    app: Chalice
    _: KW_ONLY
    sqs: Any
    events: Any
    region: str = "us-east-1"
    stage: str = "dev"
    resolve_queue: QueueResolver | None = None  # default: the queue of the source's name
    function_settings: Callable[[str], FunctionSettings] | None = None  # default: FunctionSettings()
    retry_delay_seconds: int = 1
    account_id: str = ACCOUNT_ID
    stream_tail: Callable[[DynamoDBEventConfig], MotoStreamTail] | None = None
    stream_filters: dict[str, dict[str, Any]] = field(default_factory=dict)
    stream_failure: Callable[[dict[str, Any], str], None] | None = None
    sources: list[Source] = field(default_factory=list, init=False)
    schedules: dict[str, Schedule] = field(default_factory=dict, init=False)
    streams: list[StreamSource] = field(default_factory=list, init=False)
    _stop: threading.Event = field(default_factory=threading.Event, init=False, repr=False)
    _threads: list[threading.Thread] = field(default_factory=list, init=False, repr=False)
    _ready: bool = field(default=False, init=False, repr=False)

    def _settings_of(self, name: str) -> FunctionSettings:
        return self.function_settings(name) if self.function_settings else FunctionSettings()

    # -- set-up ---------------------------------------------------------------------------------

    def setup(self) -> None:
        """Resolve the SQS sources, create the EventBridge rules and their local queues."""
        for config in self.app.event_sources:
            if isinstance(config, SQSEventConfig):
                url = (self.resolve_queue or self._queue_by_name)(config)
                self.sources.append(
                    Source("sqs", config.name, url, self._queue_arn(url), batch_size=max(1, config.batch_size))
                )
            elif isinstance(config, CloudWatchEventConfig):
                self.sources.append(self._route_events(config))
            elif isinstance(config, ScheduledEventConfig):
                expression = config.schedule_expression
                text = expression.to_string() if isinstance(expression, ScheduleExpression) else str(expression)
                self.schedules[config.name] = Schedule(config.name, text)
            elif isinstance(config, DynamoDBEventConfig) and self.stream_tail:
                self.streams.append(
                    StreamSource(
                        config.name,
                        self.stream_tail(config),
                        self.invoke,
                        pattern=self.stream_filters.get(config.name),
                        batch_size=max(1, config.batch_size),
                        on_failure=self.stream_failure,
                    )
                )
            else:
                log.warning("event source %s (%s) is not pumped locally", config.name, type(config).__name__)
        self._ready = True

    def _queue_by_name(self, config: SQSEventConfig) -> str:
        if config.queue_arn:
            name = config.queue_arn.rsplit(":", 1)[-1]
        elif config.queue:
            name = config.queue
        else:
            raise ValueError(f"SQS handler {config.name} names no queue")
        return str(self.sqs.get_queue_url(QueueName=name)["QueueUrl"])

    def _queue_arn(self, url: str) -> str:
        attrs = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
        return str(attrs["QueueArn"])

    def _route_events(self, config: CloudWatchEventConfig) -> Source:
        base = _safe_name(f"local-events-{config.name}", 76)
        dlq_url = self.sqs.create_queue(QueueName=f"{base}-dlq")["QueueUrl"]
        redrive = json.dumps({"deadLetterTargetArn": self._queue_arn(dlq_url), "maxReceiveCount": ASYNC_ATTEMPTS})
        url = self.sqs.create_queue(QueueName=base, Attributes={"VisibilityTimeout": "60", "RedrivePolicy": redrive})[
            "QueueUrl"
        ]
        arn = self._queue_arn(url)
        rule = _safe_name(f"local-{config.name}", 64)
        self.events.put_rule(Name=rule, EventPattern=json.dumps(config.event_pattern), State="ENABLED")
        self.events.put_targets(Rule=rule, Targets=[{"Id": "local-pump", "Arn": arn}])
        return Source("events", config.name, url, arn, batch_size=MAX_RECEIVE, dlq_url=dlq_url)

    # -- invocation -----------------------------------------------------------------------------

    def function_name(self, name: str) -> str:
        return f"{self.app.app_name}-{self.stage}-{name}"

    def context(self, name: str) -> LambdaContext:
        settings = self._settings_of(name)
        context = LambdaContext(
            self.function_name(name), settings.memory_mb, max_runtime_ms=settings.timeout_seconds * 1000
        )
        context.invoked_function_arn = (
            f"arn:aws:lambda:{self.region}:{self.account_id}:function:{self.function_name(name)}"
        )
        context.log_group_name = f"/aws/lambda/{self.function_name(name)}"
        context.log_stream_name = f"local/{uuid.uuid4().hex}"
        return context

    def invoke(self, name: str, event: dict[str, Any]) -> Any:
        """Call the handler as Lambda would (``handler_map`` includes Chalice's middleware)."""
        handler = self.app.handler_map[name]
        context = self.context(name)
        started = time.monotonic()
        try:
            return handler(event, context)
        finally:
            elapsed = time.monotonic() - started
            limit = self._settings_of(name).timeout_seconds
            if elapsed > limit:
                log.warning("%s ran %.1fs; Lambda would have stopped it after %ss", name, elapsed, limit)

    # -- polling --------------------------------------------------------------------------------

    def _receive(self, source: Source, wait_seconds: int) -> list[dict[str, Any]]:
        messages: list[dict[str, Any]] = []
        wait = wait_seconds
        while len(messages) < source.batch_size:
            response = self.sqs.receive_message(
                QueueUrl=source.queue_url,
                MaxNumberOfMessages=min(MAX_RECEIVE, source.batch_size - len(messages)),
                WaitTimeSeconds=wait,
                MessageSystemAttributeNames=["All"],
                MessageAttributeNames=["All"],
            )
            received = response.get("Messages", [])
            if not received:
                break
            messages.extend(received)
            wait = 0  # only the first call of a batch waits
        return messages

    def _delete(self, source: Source, messages: list[dict[str, Any]]) -> None:
        for start in range(0, len(messages), MAX_RECEIVE):
            chunk = messages[start : start + MAX_RECEIVE]
            entries = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(chunk)]
            self.sqs.delete_message_batch(QueueUrl=source.queue_url, Entries=entries)

    def _retry_later(self, source: Source, messages: list[dict[str, Any]]) -> None:
        for start in range(0, len(messages), MAX_RECEIVE):
            chunk = messages[start : start + MAX_RECEIVE]
            entries = [
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": self.retry_delay_seconds}
                for i, m in enumerate(chunk)
            ]
            self.sqs.change_message_visibility_batch(QueueUrl=source.queue_url, Entries=entries)

    def poll(self, source: Source, wait_seconds: int = 0) -> int:
        """Receive one batch from ``source`` and deliver it. Returns the number of messages received."""
        messages = self._receive(source, wait_seconds)
        if not messages:
            return 0
        if source.kind == "sqs":
            self._deliver_batch(source, messages)
        else:
            for message in messages:
                self._deliver_event(source, message)
        return len(messages)

    def _deliver_batch(self, source: Source, messages: list[dict[str, Any]]) -> None:
        ids = [m["MessageId"] for m in messages]
        try:
            response = self.invoke(source.name, sqs_event(messages, source.queue_arn, self.region))
        except Exception:
            log.exception("%s raised; the whole batch of %d will be redelivered", source.name, len(messages))
            outcome = BatchOutcome(succeeded=[], failed=ids, error="handler raised")
        else:
            outcome = batch_outcome(ids, response)
            if outcome.error:
                log.error("%s: %s; the whole batch will be redelivered", source.name, outcome.error)
        by_id = {m["MessageId"]: m for m in messages}
        if outcome.succeeded:
            self._delete(source, [by_id[i] for i in outcome.succeeded])
        if outcome.failed:
            self._retry_later(source, [by_id[i] for i in outcome.failed])
        source.count(len(outcome.succeeded), len(outcome.failed))
        log.info("sqs %s: %d record(s), %d failed", source.name, len(messages), len(outcome.failed))

    def _deliver_event(self, source: Source, message: dict[str, Any]) -> None:
        try:
            event = self._complete_event(json.loads(message["Body"]))
            self.invoke(source.name, event)
        except Exception:
            attempt = message.get("Attributes", {}).get("ApproximateReceiveCount", "?")
            log.exception("%s raised on attempt %s of %d", source.name, attempt, ASYNC_ATTEMPTS)
            self._retry_later(source, [message])
            source.count(0, 1)
            return
        self._delete(source, [message])
        source.count(1, 0)
        log.info("event %s: %s", source.name, event.get("detail-type", "event"))

    def _complete_event(self, event: dict[str, Any]) -> dict[str, Any]:
        """moto's default target input for ``PutEvents`` drops ``account`` (EventBridge sends it,
        and Chalice's ``CloudWatchEvent`` requires it): fill in what is missing."""
        event.setdefault("version", "0")
        event.setdefault("id", str(uuid.uuid4()))
        event.setdefault("account", self.account_id)
        event.setdefault("region", self.region)
        event.setdefault("resources", [])
        event.setdefault("detail", {})
        return event

    def pump_once(self, wait_seconds: int = 0) -> int:
        """One step of every queue-backed source, in order, in the calling thread."""
        if not self._ready:
            self.setup()
        queued = sum(self.poll(source, wait_seconds) for source in self.sources)
        return queued + sum(stream.poll() for stream in self.streams)

    # -- schedules ------------------------------------------------------------------------------

    def fire_schedule(self, name: str) -> Any:
        """Run a scheduled handler now with a ``Scheduled Event``; raises KeyError for unknown names."""
        if not self._ready:
            self.setup()
        if name not in self.schedules:
            raise KeyError(name)
        rule_arn = f"arn:aws:events:{self.region}:{self.account_id}:rule/{self.function_name(name)}-event"
        result = self.invoke(name, scheduled_event(rule_arn, self.region, self.account_id))
        log.info("schedule %s fired", name)
        return result

    def fire_all_schedules(self) -> dict[str, str]:
        outcomes: dict[str, str] = {}
        for name in list(self.schedules):
            try:
                self.fire_schedule(name)
                outcomes[name] = "ok"
            except Exception as exc:
                log.exception("schedule %s raised", name)
                outcomes[name] = f"error: {type(exc).__name__}"
        return outcomes

    # -- threads --------------------------------------------------------------------------------

    def start(self, pollers_per_queue: int = 1, clock_seconds: float | None = None, wait_seconds: int = 1) -> None:
        if not self._ready:
            self.setup()
        self._stop.clear()
        for source in self.sources:
            count = pollers_per_queue if source.kind == "sqs" else 1
            for i in range(count):
                self._spawn(f"pump-{source.name}-{i}", self._poll_loop, source, wait_seconds)
        for stream in self.streams:
            self._spawn(f"pump-{stream.name}", self._stream_loop, stream)
        if clock_seconds and self.schedules:
            self._spawn("pump-clock", self._clock_loop, clock_seconds)

    def _spawn(self, name: str, target: Callable[..., None], *args: Any) -> None:
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def _poll_loop(self, source: Source, wait_seconds: int) -> None:
        # Every step is bounded by the long-poll wait (seconds) plus one handler run.
        while not self._stop.is_set():
            try:
                self.poll(source, wait_seconds)
            except ClientError as exc:
                if self._stop.is_set():
                    return
                log.error("polling %s failed: %s", source.name, exc)
                self._stop.wait(1)
            except Exception:
                if self._stop.is_set():
                    return
                log.exception("polling %s failed", source.name)
                self._stop.wait(1)

    def _stream_loop(self, stream: StreamSource, idle_seconds: float = 0.25) -> None:
        # Lambda polls a stream's shards about four times a second when they are idle.
        while not self._stop.is_set():
            try:
                if stream.poll():
                    continue
            except Exception:
                log.exception("reading the stream for %s failed", stream.name)
            self._stop.wait(idle_seconds)

    def _clock_loop(self, seconds: float) -> None:
        while not self._stop.wait(seconds):
            self.fire_all_schedules()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        alive = [t.name for t in self._threads if t.is_alive()]
        if alive:
            log.warning("pump threads still running at shutdown: %s", ", ".join(alive))
        self._threads = [t for t in self._threads if t.is_alive()]

    def status(self) -> dict[str, Any]:
        return {
            "sources": [
                {
                    "kind": s.kind,
                    "name": s.name,
                    "queue_url": s.queue_url,
                    "invocations": s.invocations,
                    "delivered": s.delivered,
                    "failed": s.failed,
                }
                for s in self.sources
            ],
            "streams": [
                {"name": s.name, "invocations": s.invocations, "delivered": s.delivered, "failed": s.failed}
                for s in self.streams
            ],
            "schedules": {s.name: s.expression for s in self.schedules.values()},
        }
