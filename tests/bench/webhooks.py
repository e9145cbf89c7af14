"""Signed vendor webhooks through the full handler, measured (``make bench``; ``python -m tests.bench
--webhooks-only``): the AWS calls per delivery, the rate, the cost by transaction shape, and whether
the cost stays flat as the table grows. Prints, never asserts."""

from __future__ import annotations

import itertools
import json
import os
import random
import statistics
import time
from collections import Counter
from datetime import timedelta
from typing import Any, TextIO

from tests.support.inprocess import ROOT, product

WEBHOOK = "/webhooks/interview-results"
TRANSCRIPT = "首先拆解问题，其次比较三种方案的成本与收益。"
AREAS = (  # where a function's own time is counted, first match wins
    ("moto: DynamoDB update expressions", "moto/dynamodb/parsing"),
    ("moto: DynamoDB models (items, conditions)", "moto/dynamodb/"),
    ("moto: request parsing and dispatch", "moto/"),
    ("botocore (client, serialisation, events)", "botocore/"),
    ("chalice (local gateway, test client)", "chalice/"),
    ("pydantic", "pydantic"),
    ("powertools (logger, metrics, parameters)", "aws_lambda_powertools/"),
    ("this project (functions/, shared/, infra/)", ROOT.as_posix()),
    ("standard library: copy.deepcopy", "copy.py"),
)


def profile_areas(stats: Any) -> list[tuple[str, float, float]]:
    """Own time of every profiled function, summed by area (library or part of the project)."""
    totals: dict[str, float] = {}
    for (filename, _line, _name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
        area = next((label for label, marker in AREAS if marker in filename), "other (standard library, builtins)")
        totals[area] = totals.get(area, 0.0) + tottime
    whole = sum(totals.values()) or 1.0
    return [(a, t, t / whole) for a, t in sorted(totals.items(), key=lambda kv: -kv[1])]


class WebhookBench:
    """Signed vendor webhooks through the full handler, on one moto backend, inside ``moto_stack``."""

    def __init__(self, stack: Any, client: Any, out: TextIO) -> None:
        import boto3

        from shared.services.applications import Applications
        from shared.store.repository import Repository
        from shared.store.results import ResultStore
        from tests.support.stack import REGION

        self.client, self.out = client, out
        self.rng = random.Random(2026)
        requisition = json.loads((ROOT / "events" / "requisition-customer-manager.json").read_text("utf-8"))
        created = client.http.post(
            "/requisitions",
            headers={"Content-Type": "application/json", **stack.auth("hr")},
            body=json.dumps(requisition).encode(),
        )
        self.req_id: str = json.loads(created.body)["id"]
        self.repo = Repository()
        self.req = self.repo.requisitions.require(self.req_id)
        self.builder = Applications(self.repo)
        self.store = ResultStore(self.repo)
        self.ddb = boto3.client("dynamodb", region_name=REGION)
        self.table = stack.env["TABLE_NAME"]
        self.people = itertools.count()
        self.serial = itertools.count()
        self.history_item: dict[str, Any] = {}

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def applications(self, count: int, ref: str | None = None, repo: Any = None) -> list[str]:
        """Written directly: creating applications is not what is measured here."""
        from shared.models.application import ApplicationCreate
        from shared.store.audit import AuditEntry
        from tests.support.ids import person

        repo = repo or self.repo
        ids = []
        for _ in range(count):
            i = next(self.people)
            data = ApplicationCreate.model_validate(person(i) | ({"external_ref": ref} if ref else {}))
            app = self.builder.build(self.req, data, source=f"bench:{i}")
            audit = AuditEntry(subject=f"application:{app.id}", actor="bench", action="bench", details={})
            assert repo.applications.create(app, f"bench-{i}", audit).status == "created"
            ids.append(app.id)
        return ids

    def completed_at(self) -> str:
        """Every result finished a second after the previous one, all in the past (newest wins)."""
        from shared.models.common import utcnow

        return (utcnow() - timedelta(days=30, seconds=-next(self.serial))).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def result(self, app_id: str | None = None, ref: str | None = None, completed: str | None = None) -> bytes:
        from infra.local.simulator import canonical_payload

        scores = {d.value: self.rng.randint(45, 98) for d in self.req.dimension_weights}
        body = canonical_payload(
            self.req_id,
            scores=scores,
            overall_score=round(statistics.fmean(scores.values()), 1),
            completed_at=completed or self.completed_at(),
            application_id=app_id,
            external_ref=ref,
            questions=[
                {"question_id": "Q1", "dimension": "logic", "score": scores["logic"], "transcript_excerpt": TRANSCRIPT}
            ],
        )
        return json.dumps(body, ensure_ascii=False).encode()

    def deliver(self, headers: dict[str, str], raw: bytes) -> tuple[int, str]:
        response = self.client.http.post(WEBHOOK, headers=headers, body=raw)
        return response.status_code, json.loads(response.body).get("status", "error")

    def signed(self, app_ids: list[str]) -> list[tuple[dict[str, str], bytes]]:
        from infra.local.simulator import signed_request

        return [signed_request(self.result(a)) for a in app_ids]

    def direct(self, app_id: str) -> Any:
        """A delivery as the store receives it from the intake (no HTTP, signature or validation)."""
        from shared.domain.shortlist import weighted_score
        from shared.models.common import iso, utcnow
        from shared.models.interview import ScoreRecord
        from shared.store.results import Delivery

        scores = {d: float(self.rng.randint(45, 98)) for d in self.req.dimension_weights}
        raw = self.result(app_id)
        record = ScoreRecord(
            vendor_id="aivendor",
            model_version="aivendor-scoring-2026.11",
            webhook_id=f"msg_direct_{next(self.serial)}",
            completed_at=self.completed_at(),
            received_at=iso(utcnow()),
            overall_score=80.0,
            dimension_scores=scores,
            weighted_score=weighted_score(scores, dict(self.req.dimension_weights)),
            raw_payload=raw.decode(),
        )
        return Delivery(record.webhook_id, "aivendor", self.req_id, app_id, None, record)

    def bare_put(self) -> None:
        item = self.history_item | {"pk": {"S": f"BENCH#{next(self.serial)}"}, "sk": {"S": "BARE"}}
        self.ddb.put_item(TableName=self.table, Item=item)

    # (a) -------------------------------------------------------------------------------------------
    def calls_per_delivery(self) -> None:
        """DynamoDB calls per delivery, counted by a botocore hook after a warm-up delivery."""
        from infra.local.simulator import signed_request
        from shared.models.common import iso, utcnow
        from shared.store import aws

        warm, first_app, stale_app = self.applications(3)
        self.applications(1, ref="BENCH-REF")
        assert self.deliver(*signed_request(self.result(warm))) == (200, "stored")  # caches requisition, secrets
        assert self.deliver(*signed_request(self.result(stale_app))) == (200, "stored")
        calls: list[str] = []

        def count(model: Any, **_: Any) -> None:
            calls.append(model.name)

        def counted(body: bytes, expected: str, webhook_id: str | None = None) -> str:
            calls.clear()
            status = 202 if expected == "parked" else 200
            assert self.deliver(*signed_request(body, webhook_id=webhook_id)) == (status, expected)
            return f"{len(calls)} ({', '.join(calls)})"

        first = self.result(first_app)
        older = self.result(stale_app, completed=iso(utcnow() - timedelta(days=60)))
        events = aws.client("dynamodb").meta.events
        events.register("before-call.dynamodb", count, unique_id="bench-count")
        try:
            figures = {
                "first delivery": counted(first, "stored", "msg_bench_first"),
                "duplicate": counted(first, "duplicate", "msg_bench_first"),
                "first, addressed by external_ref": counted(self.result(ref="BENCH-REF"), "stored"),
                "older than the stored result": counted(older, "stored"),
                "unknown applicant (parked)": counted(self.result(ref="NOT-IMPORTED"), "parked"),
            }
        finally:
            events.unregister("before-call.dynamodb", unique_id="bench-count")
        for what, figure in figures.items():
            self.say(f"webhook DynamoDB calls, {what}: {figure}")
        # what the table stream's consumer then costs to apply a first and an older result
        projector = self.projector()
        projector.settle()
        applied: dict[str, str] = {}
        events.register("before-call.dynamodb", count, unique_id="bench-count")
        try:
            for what, app_id, completed in (
                ("a first result", self.applications(1)[0], None),
                ("an older result", stale_app, iso(utcnow() - timedelta(days=90))),
            ):
                assert self.deliver(*signed_request(self.result(app_id, completed=completed))) == (200, "stored")
                calls.clear()
                assert projector.settle() == 1
                applied[what] = f"{len(calls)} ({', '.join(calls)})"
        finally:
            events.unregister("before-call.dynamodb", unique_id="bench-count")
        for what, figure in applied.items():
            self.say(f"stream consumer DynamoDB calls to apply {what}: {figure}")
        self.history_item = self.ddb.query(
            TableName=self.table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :s)",
            ExpressionAttributeValues={":pk": {"S": f"APP#{first_app}"}, ":s": {"S": "SCORE#"}},
        )["Items"][0]

    def projector(self) -> Any:
        from tests.support.streams import Projector

        if not hasattr(self, "_projector"):
            self._projector = Projector(self.client, self.table)
        return self._projector

    # (b) -------------------------------------------------------------------------------------------
    def rate(self, n: int, profile: bool) -> None:
        """Deliveries per second through the handler, through the store alone, and bare put_item."""
        import cProfile
        import pstats

        signed = self.signed(self.applications(n))
        direct = [self.direct(a) for a in self.applications(n)]
        statuses: list[tuple[int, str]] = []
        profiler = cProfile.Profile() if profile else None
        seconds = {"bare": 0.0, "store": 0.0, "handler": 0.0, "projection": 0.0}
        projector = self.projector()
        projector.settle()
        projected = 0
        block = 50  # alternate blocks so that machine noise hits all three alike
        for start in range(0, n, block):
            began = time.perf_counter()
            for _ in range(min(block, n - start)):
                self.bare_put()
            seconds["bare"] += time.perf_counter() - began
            began = time.perf_counter()
            for delivery in direct[start : start + block]:
                assert self.store.record(delivery) == "stored"
            seconds["store"] += time.perf_counter() - began
            if profiler is not None:
                profiler.enable()
            began = time.perf_counter()
            for headers, raw in signed[start : start + block]:
                statuses.append(self.deliver(headers, raw))
            seconds["handler"] += time.perf_counter() - began
            if profiler is not None:
                profiler.disable()
            began = time.perf_counter()
            projected += projector.settle()  # the stream consumer applies the block's results
            seconds["projection"] += time.perf_counter() - began
        assert statuses == [(200, "stored")] * n, Counter(statuses)
        assert projected == 2 * n, projected  # the store's and the handler's results
        bare, store, handler = (n / seconds[k] for k in ("bare", "store", "handler"))
        size = len(json.dumps(self.history_item, ensure_ascii=False).encode())
        self.say(
            f"webhooks: {handler:.0f} deliveries/s through the handler vs {bare:.0f} bare put_item/s of the "
            f"history item ({size} bytes): {handler / bare:.2f}x (n={n}, goal >= 0.5x)"
            + (" [under cProfile: the handler figures include its overhead]" if profile else "")
        )
        self.say(
            f"webhooks: the store's write alone {store:.0f} /s ({store / bare:.2f}x bare put_item); "
            f"the handler adds signature, parsing, validation and the gateway: handler / store {handler / store:.2f}x"
        )
        per_result = seconds["projection"] / projected * 1000
        per_delivery = seconds["handler"] / n * 1000
        self.say(
            f"webhooks: the stream consumer applies {projected / seconds['projection']:.0f} results/s "
            f"({per_result:.2f} ms each, asynchronously); delivery + application together "
            f"{per_delivery + per_result:.2f} ms per result vs {1000 / bare:.2f} ms per bare put_item"
        )
        if profiler is not None:
            stats = pstats.Stats(profiler, stream=self.out)
            self.say("profile of the timed handler deliveries, own time by area:")
            for area, secs, share in profile_areas(stats):
                self.say(f"  {area:<44} {secs:6.2f} s  {share:5.1%}")
            stats.sort_stats("cumulative").print_stats(r"(functions|shared|infra|moto/dynamodb)", 30)
            self.transaction_shapes(min(n, 200))

    def transaction_shapes(self, n: int) -> None:
        """What the store's write costs on this backend, by shape: today's (``ResultStore.record``), and
        hand-built variants of its transaction without the requisition's count, with the latest result
        as a separate item written by a conditional Put, and with the delivery and history items only."""
        apps = self.applications(10 * n)
        assert self.deliver(*self.signed(apps[:1])[0]) == (200, "stored")
        self.projector().settle()
        meta = self.ddb.get_item(TableName=self.table, Key={"pk": {"S": f"APP#{apps[0]}"}, "sk": {"S": "META"}})
        ai, t = meta["Item"]["ai"], self.table
        # the application is the requisition's and still open (hired, rejected, withdrawn are closed)
        still_open = {
            ":req": {"S": self.req_id},
            ":h": {"S": "hired"},
            ":r": {"S": "rejected"},
            ":w": {"S": "withdrawn"},
        }

        def op(kind: str, **fields: Any) -> dict[str, Any]:
            return {kind: {"TableName": t, **fields}}

        def delivery(i: int) -> dict[str, Any]:
            item = {"pk": {"S": f"WEBHOOK#shape{i}"}, "sk": {"S": "EVENT"}, "outcome": {"S": "stored"}}
            return op("Put", Item=item, ConditionExpression="attribute_not_exists(pk)")

        def history(i: int, app: str) -> dict[str, Any]:
            return op("Put", Item=self.history_item | {"pk": {"S": f"APP#{app}"}, "sk": {"S": f"SCORE#shape{i}"}})

        def update_application(app: str) -> dict[str, Any]:
            return op(
                "Update",
                Key={"pk": {"S": f"APP#{app}"}, "sk": {"S": "META"}},
                UpdateExpression="SET ai = :ai, gsi3pk = :g, gsi3sk = :s, updated_at = :n ADD version :one",
                ConditionExpression="attribute_exists(pk) AND requisition_id = :req "
                "AND attribute_not_exists(ai) AND NOT (stage IN (:h, :r, :w))",
                ExpressionAttributeValues={
                    ":ai": ai,
                    ":g": {"S": "g"},
                    ":s": {"S": "s"},
                    ":n": {"S": "n"},
                    ":one": {"N": "1"},
                    **still_open,
                },
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )

        def put_latest(app: str) -> dict[str, Any]:
            item = {"pk": {"S": f"APP#{app}"}, "sk": {"S": "AI"}, "ai": ai, "gsi3pk": {"S": "g"}, "gsi3sk": {"S": "s"}}
            return op(
                "Put",
                Item=item,
                ConditionExpression="attribute_not_exists(pk) OR ai.completed_at < :c",
                ExpressionAttributeValues={":c": {"S": "9999"}},
            )

        def scored(app: str) -> dict[str, Any]:
            return op(
                "Update",
                Key={"pk": {"S": f"REQ#{self.req_id}"}, "sk": {"S": "SCORED#00"}},
                UpdateExpression="ADD #c :one",
                ExpressionAttributeNames={"#c": "count"},
                ExpressionAttributeValues={":one": {"N": "1"}},
            )

        def check_application(app: str) -> dict[str, Any]:
            return op(
                "ConditionCheck",
                Key={"pk": {"S": f"APP#{app}"}, "sk": {"S": "META"}},
                ConditionExpression="requisition_id = :req AND NOT (stage IN (:h, :r, :w))",
                ExpressionAttributeValues=still_open,
            )

        def transact(items: list[dict[str, Any]]) -> None:
            self.ddb.transact_write_items(TransactItems=items)

        shapes: dict[str, Any] = {
            "the webhook's write (ResultStore.record: one TransactWriteItems)": lambda i, a: self.store.record(
                self.direct(a)
            ),
            "the stream consumer's (ResultStore.project, first result)": lambda i, a: self.store.project(
                a, self.req_id, self.direct(a).record
            ),
            "before: delivery + history + latest result + count in one transaction": lambda i, a: transact(
                [delivery(i), history(i, a), update_application(a), scored(a)]
            ),
            "without the requisition's count": lambda i, a: transact(
                [delivery(i), history(i, a), update_application(a)]
            ),
            "latest result as its own item (conditional Put), no count": lambda i, a: transact(
                [delivery(i), history(i, a), put_latest(a)]
            ),
            "delivery + history + condition check on the application": lambda i, a: transact(
                [delivery(i), history(i, a), check_application(a)]
            ),
            "delivery + history items only": lambda i, a: transact([delivery(i), history(i, a)]),
            "history item alone, conditional put_item": lambda i, a: self.ddb.put_item(
                **history(i, a)["Put"], ConditionExpression="attribute_not_exists(pk)"
            ),
            "bare put_item": lambda i, a: self.bare_put(),
        }
        samples: dict[str, list[float]] = {k: [] for k in shapes}
        fresh = iter(apps[1:])
        for _ in range(n):  # interleaved, so that machine noise hits every shape alike
            for label, shape in shapes.items():
                app, i = next(fresh, apps[0]), next(self.serial)
                began = time.perf_counter()
                shape(i, app)
                samples[label].append((time.perf_counter() - began) * 1000)
        size = len(json.dumps(meta["Item"], ensure_ascii=False).encode())
        self.say(f"the store's write by shape (application item {size} bytes with its result; n={n} each):")
        for label, values in samples.items():
            self.say(f"  {label:<60} median {statistics.median(values):6.2f} ms")

    # (c) -------------------------------------------------------------------------------------------
    def second_table(self) -> str:
        """A copy of the table's schema (same backend) holding the requisition: the handler is pointed
        at one table or the other between blocks, so both table sizes are measured interleaved."""
        from shared.store.repository import Repository
        from shared.store.results import ResultStore

        name = self.copy_table(f"{self.table}-bench-large", stream=True)
        self.stores = {self.table: self.store, name: ResultStore(Repository(name))}
        return name

    def copy_table(self, name: str, stream: bool) -> str:
        """A table of the same schema (same backend) holding the requisition, with a stream of new
        images if ``stream``."""
        spec = self.ddb.describe_table(TableName=self.table)["Table"]
        indexes = [
            {"IndexName": i["IndexName"], "KeySchema": i["KeySchema"], "Projection": i["Projection"]}
            for i in spec.get("GlobalSecondaryIndexes", [])
        ]
        self.ddb.create_table(
            TableName=name,
            KeySchema=spec["KeySchema"],
            AttributeDefinitions=spec["AttributeDefinitions"],
            BillingMode="PAY_PER_REQUEST",
            **({"StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}} if stream else {}),
            **({"GlobalSecondaryIndexes": indexes} if indexes else {}),
        )
        key = {"pk": {"S": f"REQ#{self.req_id}"}, "sk": {"S": "META"}}
        self.ddb.put_item(TableName=name, Item=self.ddb.get_item(TableName=self.table, Key=key)["Item"])
        return name

    def use_table(self, name: str) -> None:
        from shared.settings import reset_settings

        os.environ["TABLE_NAME"] = name
        reset_settings()

    def results_in(self, table: str) -> int:
        """Score history entries in a table (a Scan: this is the bench's own bookkeeping, not timed)."""
        pages = self.ddb.get_paginator("scan").paginate(
            TableName=table,
            FilterExpression="begins_with(sk, :s)",
            ExpressionAttributeValues={":s": {"S": "SCORE#"}},
            Select="COUNT",
        )
        return sum(page["Count"] for page in pages)

    def fill(self, table: str, total: int) -> float:
        """Results written straight through ``ResultStore.record`` up to ``total``, ten per application."""
        began = time.perf_counter()
        store = self.stores[table]
        missing = total - self.results_in(table)
        if missing > 0:
            holders = self.applications(max(1, missing // 10), repo=store.table)
            for k in range(missing):
                delivery = self.direct(holders[k % len(holders)])
                assert store.record(delivery) == "stored"
        return time.perf_counter() - began

    def cost_as_the_table_grows(self, batch: int, small: int, large: int) -> None:
        """Median ms per delivery through the handler with ~small and ~large results stored, measured
        in alternating blocks of 20 on two tables of the same backend (machine noise hits both alike)."""
        tables = [self.table, self.second_table()]
        filled = [self.fill(tables[0], small), self.fill(tables[1], large)]
        counts = [self.results_in(t) for t in tables]
        items = [self.ddb.describe_table(TableName=t)["Table"].get("ItemCount", 0) for t in tables]
        signed = {t: self.signed(self.applications(batch, repo=self.stores[t].table)) for t in tables}
        samples: dict[str, list[float]] = {t: [] for t in tables}
        try:
            for start in range(0, batch, 20):
                for table in tables:
                    self.use_table(table)
                    for headers, raw in signed[table][start : start + 20]:
                        began = time.perf_counter()
                        status = self.deliver(headers, raw)
                        samples[table].append((time.perf_counter() - began) * 1000)
                        assert status == (200, "stored"), status
        finally:
            self.use_table(self.table)
        medians = [statistics.median(samples[t]) for t in tables]
        for count, item_count, median, seconds in zip(counts, items, medians, filled, strict=True):
            self.say(
                f"webhook cost with {count:,} results stored: median {median:.2f} ms per delivery "
                f"(batch of {batch}; {item_count:,} items in the table; filled in {seconds:.1f} s)"
            )
        self.say(
            f"webhook cost ratio {counts[1]:,} / {counts[0]:,} stored: {medians[1] / medians[0]:.2f}x "
            "(measured interleaved; goal: flat within +-20 %)"
        )


def bench_webhooks(n_rate: int, batch: int, small: int, large: int, profile: bool) -> None:
    with product() as (stack, client, out):
        bench = WebhookBench(stack, client, out)
        bench.calls_per_delivery()
        bench.rate(n_rate, profile)
        bench.cost_as_the_table_grows(batch, small, large)
