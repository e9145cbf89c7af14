"""Faults injected into the product's own AWS clients by botocore ``before-send`` hooks over moto.

A hook that returns a response stops the request before it reaches moto: the client sees exactly
what AWS would answer (throttling, a 5xx, a refused send) and its retry policy runs as in AWS.
Backoff sleeps are recorded, not slept (no wall-clock waits in tests).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from botocore.awsrequest import AWSResponse

from shared.store import aws


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._body


# (HTTP status, error code) of each kind of fault
KINDS: dict[str, tuple[int, str]] = {
    "throttle": (400, "ProvisionedThroughputExceededException"),
    "5xx": (500, "InternalServerError"),
    "unavailable": (503, "ServiceUnavailable"),
    "throttling": (400, "ThrottlingException"),  # Step Functions, SQS and most JSON services
}


@dataclass
class Faults:
    """``inject("dynamodb", "TransactWriteItems", "throttle", times=2)``: the next two calls fail."""

    injected: Counter[str] = field(default_factory=Counter)
    calls: Counter[str] = field(default_factory=Counter)
    backoffs: list[float] = field(default_factory=list)
    _plan: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    _hooked: set[tuple[str, str]] = field(default_factory=set)

    def inject(self, service: str, operation: str, kind: str, times: int = 1_000_000) -> None:
        self._plan[(service, operation)] = [kind] * times
        if (service, operation) not in self._hooked:
            self._hooked.add((service, operation))
            # first, so the fault answers before moto's own before-send handler sees the request
            aws.client(service).meta.events.register_first(
                f"before-send.{service}.{operation}", self._hook(service, operation)
            )

    def clear(self) -> None:
        self._plan.clear()

    def _hook(self, service: str, operation: str) -> Any:
        protocol = aws.client(service).meta.service_model.protocol

        def before_send(request: Any, **_: Any) -> AWSResponse | None:
            self.calls[f"{service}.{operation}"] += 1
            plan = self._plan.get((service, operation))
            if not plan:
                return None
            kind = plan.pop()
            # moto's handler runs after this one in the same emit: point the request where moto serves
            # nothing, so the faulted call has no side effect (as when AWS refuses it)
            url = request.url
            request.url = "https://fault-injected.invalid/"
            self.injected[f"{service}.{operation}.{kind}"] += 1
            status, code = KINDS[kind]
            if protocol == "query":  # SES: an XML error document
                body = (
                    f"<ErrorResponse><Error><Type>Receiver</Type><Code>{code}</Code>"
                    f"<Message>injected {kind}</Message></Error><RequestId>fault</RequestId></ErrorResponse>"
                ).encode()
            else:
                body = json.dumps({"__type": f"com.amazonaws#{code}", "message": f"injected {kind}"}).encode()
            headers = {
                "x-amzn-errortype": code,
                "x-amzn-query-error": f"{code};Sender",
                "content-type": "application/x-amz-json-1.0",
            }
            return AWSResponse(url, status, headers, _Raw(body))

        return before_send


def installed(monkeypatch: Any) -> Faults:
    """A ``Faults`` whose backoff delays (botocore's and the queue helper's) are recorded, not slept."""
    from botocore.retries import standard

    from shared.store import queue as queue_module

    f = Faults()

    def no_sleep_backoff(self: Any, context: Any) -> float:
        f.backoffs.append(1.0)
        return 0.0

    monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount", no_sleep_backoff)
    # only the queue helper's own clock (patching ``time.sleep`` itself would stop every thread's waits)
    monkeypatch.setattr(queue_module, "time", SimpleNamespace(sleep=f.backoffs.append))
    return f
