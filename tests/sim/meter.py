"""AWS API calls of one hiring event, counted with botocore event hooks, by stage; and the capacity
units, bytes and Lambda time that the on-demand prices (``tests/sim/costs.py``) are applied to.

* ``before-call`` / ``after-call`` hooks on every client the product creates (``shared.store.aws``:
  DynamoDB, S3, SQS, Step Functions, SES; powertools idempotency uses the same DynamoDB client;
  powertools parameters' SSM client once it exists) count each call as ``service.Operation``.
* DynamoDB capacity is estimated from item sizes, as DynamoDB bills it: a write costs one WRU per
  started KB of the item (for an update, the larger of the item before and after; the meter keeps
  the last size it saw of every key), once more for each global secondary index the item is in
  (all three project ALL), twice inside a transaction; a read costs one RRU per started 4 KB
  (half eventually consistent), a Query summed over the page.
* Requests through the API (``client.http``) are API Gateway requests and Lambda invocations;
  ``client.lambda_.invoke`` (SQS batches, S3 events) Lambda invocations, and for an SQS batch the
  two requests the event source mapping makes (receive, delete batch). Their in-process time
  stands in for Lambda duration: moto's own time is inside it, so it errs on the high side.
"""

from __future__ import annotations

import json
import math
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("dynamodb", "s3", "sqs", "stepfunctions", "ses", "secretsmanager")
UNBILLED = "reconciliation (the audit's own reads)"  # the same label as tests.sim.event.UNBILLED
WRITES = {"PutItem", "UpdateItem", "DeleteItem"}
READS = {"GetItem", "Query", "Scan"}


def memory_mb() -> dict[str, int]:
    """Each function's configured memory (``.chalice/config.json``); ``api_handler`` serves the API."""
    config = json.loads((ROOT / ".chalice" / "config.json").read_text("utf-8"))
    default = int(config.get("lambda_memory_size", 128))
    sizes = {name: int(c.get("lambda_memory_size", default)) for name, c in config.get("lambda_functions", {}).items()}
    return defaultdict(lambda: default, sizes)


def _size(item: dict[str, Any]) -> int:
    """An item's size as DynamoDB counts it, approximately: attribute names and values in UTF-8
    (the wire format's type tags make this a slight over-estimate)."""
    return len(json.dumps(item, ensure_ascii=False, separators=(",", ":")).encode())


def _key(table: str, item: dict[str, Any]) -> tuple[str, str, str]:
    def plain(value: Any) -> str:
        return str(next(iter(value.values()))) if isinstance(value, dict) and value else ""

    return table, plain(item.get("pk")), plain(item.get("sk"))


def _indexes(item: dict[str, Any]) -> int:
    return sum(1 for name in item if name.startswith("gsi") and name.endswith("pk"))


class Meter:
    def __init__(self) -> None:
        self.stage = "setup"
        self.calls: dict[str, Counter[str]] = defaultdict(Counter)  # stage -> "service.Operation" -> n
        self.units: dict[str, defaultdict[str, float]] = defaultdict(lambda: defaultdict(float))  # WRU, GB-s, ...
        self.sizes: dict[tuple[str, str, str], int] = {}
        self.indexes: dict[tuple[str, str, str], int] = {}  # global secondary indexes an item is in
        self.memory = memory_mb()
        self.hooked: list[Any] = []

    # -- botocore hooks --------------------------------------------------------------------------
    def hook(self) -> None:
        from shared.store import aws

        for service in SERVICES:
            self._register(aws.client(service))

    def _register(self, client: Any) -> None:
        client.meta.events.register("before-call", self.before, unique_id=f"sim-meter-before-{id(self)}")
        client.meta.events.register("after-call", self.after, unique_id=f"sim-meter-after-{id(self)}")
        self.hooked.append(client)

    def unhook(self) -> None:
        for client in self.hooked:
            client.meta.events.unregister("before-call", unique_id=f"sim-meter-before-{id(self)}")
            client.meta.events.unregister("after-call", unique_id=f"sim-meter-after-{id(self)}")
        self.hooked.clear()

    def before(self, model: Any, params: dict[str, Any], **_: Any) -> None:
        service = model.service_model.endpoint_prefix
        self.calls[self.stage][f"{service}.{model.name}"] += 1
        if service == "dynamodb":
            self._writes(model.name, params)
        elif service == "s3" and model.name in ("PutObject", "UploadPart"):
            body = params.get("body")
            sent = params["headers"].get("Content-Length", 0)
            length = len(body) if isinstance(body, bytes | bytearray) else int(sent)
            self.units[self.stage]["s3 bytes stored"] += length
        elif service == "email":
            self.units[self.stage]["ses messages"] += 1

    def _writes(self, operation: str, params: dict[str, Any]) -> None:
        if operation not in WRITES | {"TransactWriteItems", "BatchWriteItem"}:
            return
        body = json.loads(params.get("body") or b"{}")
        if operation in WRITES:
            self._write(body, transactional=False, kind=operation)
        elif operation == "TransactWriteItems":
            for entry in body["TransactItems"]:
                kind, request = next(iter(entry.items()))
                self._write(request, transactional=True, kind=kind)
        else:
            for table, requests in body["RequestItems"].items():
                for request in requests:
                    kind, inner = next(iter(request.items()))
                    self._write({"TableName": table, **inner}, transactional=False, kind=kind)

    def _write(self, request: dict[str, Any], transactional: bool, kind: str) -> None:
        table = request["TableName"]
        if kind == "ConditionCheck":  # a transaction's read of an item: 2 RRU per 4 KB, no write
            size = self.sizes.get(_key(table, request["Key"]), 1024)
            self.units[self.stage]["dynamodb RRU"] += 2 * math.ceil(size / 4096)
            return
        item = request.get("Item") or request.get("Key") or {}
        key = _key(table, item)
        before = self.sizes.get(key, 0)
        if kind in ("Put", "PutItem", "PutRequest"):
            after, indexes = _size(item), max(_indexes(item), self.indexes.get(key, 0))
            self.indexes[key] = _indexes(item)
        else:  # an update rewrites the whole item (and its index copies); a delete removes them
            after, indexes = max(before, _size(request)), self.indexes.get(key, 0)
            indexes = max(indexes, request.get("UpdateExpression", "").count("gsi") // 2)
        if kind in ("Delete", "DeleteItem", "DeleteRequest"):
            self.sizes.pop(key, None)
        else:
            self.sizes[key] = after
        units = max(1, math.ceil(max(before, after) / 1024)) * (1 + indexes)
        self.units[self.stage]["dynamodb WRU"] += units * (2 if transactional else 1)

    def after(self, model: Any, parsed: dict[str, Any], params: dict[str, Any] | None = None, **_: Any) -> None:
        if model.service_model.endpoint_prefix != "dynamodb" or model.name not in READS | {"BatchGetItem"}:
            return
        request = json.loads((params or {}).get("body") or b"{}")
        table = request.get("TableName", "")
        factor = 1.0 if request.get("ConsistentRead") else 0.5
        if model.name == "GetItem":
            item = parsed.get("Item") or {}
            size = _size(item) if item else 0
            if item:
                self.sizes[_key(table, item)] = size
                self.indexes[_key(table, item)] = _indexes(item)
            self.units[self.stage]["dynamodb RRU"] += factor * max(1, math.ceil(size / 4096))
        elif model.name in ("Query", "Scan"):
            items = parsed.get("Items") or []
            total = 0
            for item in items:
                size = _size(item)
                total += size
                self.sizes[_key(table, item)] = size
                self.indexes[_key(table, item)] = _indexes(item)
            self.units[self.stage]["dynamodb RRU"] += factor * max(1, math.ceil(total / 4096))
        else:
            for items in (parsed.get("Responses") or {}).values():
                for item in items:
                    self.units[self.stage]["dynamodb RRU"] += factor * max(1, math.ceil(_size(item) / 4096))

    # -- requests and invocations ----------------------------------------------------------------
    def invoked(self, function: str, seconds: float, api: bool = False, sqs_batch: bool = False) -> None:
        counts = self.calls[self.stage]
        counts["lambda.Invoke"] += 1
        if api:
            counts["apigateway.Request"] += 1
        if sqs_batch:  # what the event source mapping does for each batch it delivers
            counts["sqs.ReceiveMessage (event source)"] += 1
            counts["sqs.DeleteMessageBatch (event source)"] += 1
        self.units[self.stage]["lambda GB-s"] += seconds * self.memory[function] / 1024

    def add(self, what: str, amount: float, calls: bool = False) -> None:
        if calls:
            self.calls[self.stage][what] += int(amount)
        else:
            self.units[self.stage][what] += amount

    @contextmanager
    def during(self, stage: str) -> Iterator[None]:
        previous, self.stage = self.stage, stage
        try:
            yield
        finally:
            self.stage = previous

    def wrap(self, client: Any) -> MeteredClient:
        return MeteredClient(client, self)

    # -- the table -------------------------------------------------------------------------------
    def billed_stages(self) -> list[str]:
        return [s for s in self.calls if s != UNBILLED]

    def by_service(self, stage: str) -> Counter[str]:
        out: Counter[str] = Counter()
        for name, n in self.calls[stage].items():
            out[name.split(".")[0]] += n
        return out


class _Http:
    def __init__(self, http: Any, meter: Meter) -> None:
        self.http, self.meter = http, meter

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        began = time.perf_counter()
        response = getattr(self.http, method)(path, **kwargs)
        self.meter.invoked("api_handler", time.perf_counter() - began, api=True)
        return response

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.request("get", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Any:
        return self.request("post", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> Any:
        return self.request("put", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self.request("delete", path, **kwargs)


class _Lambda:
    def __init__(self, lambda_: Any, meter: Meter) -> None:
        self.lambda_, self.meter = lambda_, meter

    def invoke(self, function: str, event: Any = None) -> Any:
        began = time.perf_counter()
        out = self.lambda_.invoke(function, event)
        records = (event or {}).get("Records") or [{}] if isinstance(event, dict) else [{}]
        sqs_batch = records[0].get("eventSource") == "aws:sqs"
        self.meter.invoked(function, time.perf_counter() - began, sqs_batch=sqs_batch)
        return out


class MeteredClient:
    """``chalice.test.Client`` with every request and invocation counted and timed."""

    def __init__(self, client: Any, meter: Meter) -> None:
        self.http = _Http(client.http, meter)
        self.lambda_ = _Lambda(client.lambda_, meter)
