"""Per-item cost as the table grows: ``python -m tests.bench.flat [1000 10000 50000]`` (also part of
``make bench``, ``--flat-sizes``).

Three tables of the same schema on one moto backend hold about 1,000, 10,000 and 50,000
applications of one requisition (half of them with an AI result; cloned from one application
written through the repository, by BatchWriteItem, since filling is not what is measured). The
handler is pointed at one table or the other between blocks, so every size is measured
interleaved and machine noise hits all alike. Per item, at each size:

* a first webhook delivery (signed, through the API): milliseconds and AWS calls;
* an imported CSV row (a 50-row file: S3 event → SQS chunk → worker): milliseconds and AWS calls;
* a stage transition in a bulk move of 10 (``POST /requisitions/{id}/transitions``).

"Flat" means the largest / smallest ratio stays within ±20 %: no step reads more as the table grows.
The shortlist's own figure (items read ÷ returned at 50,000 scored) is ``tests.bench.shortlist``.
"""

from __future__ import annotations

import csv
import io
import json
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from functools import partial
from typing import Any, TextIO

from tests.bench.webhooks import WebhookBench
from tests.support.inprocess import product

BLOCK = 10


class FlatBench(WebhookBench):
    hr: dict[str, str]
    bucket: str
    import_queue: str

    def clone_table(self, size: int) -> str:
        """A table of the same schema holding the requisition and ``size`` applications."""
        name = self.copy_table(f"{self.table}-flat-{size}", stream=False)
        self.fill_clones(name, size)
        return name

    def fill_clones(self, table: str, size: int) -> None:
        from shared.store.repository import Repository
        from shared.store.results import ResultStore

        repo = Repository(table)
        self.stores[table] = ResultStore(repo)
        scored, unscored = self.applications(1, repo=repo)[0], self.applications(1, repo=repo)[0]
        assert self.stores[table].record(self.direct(scored)) == "stored"
        templates = []
        for app_id in (scored, unscored):
            items = self.ddb.query(
                TableName=table,
                KeyConditionExpression="pk = :pk",
                ExpressionAttributeValues={":pk": {"S": f"APP#{app_id}"}},
            )["Items"]
            templates.append((app_id, json.dumps(items)))
        puts: list[dict[str, Any]] = []
        for i in range(size - 2):
            app_id, text = templates[i % 2]
            puts += [{"PutRequest": {"Item": item}} for item in json.loads(text.replace(app_id, f"flat{i:07d}x"))]
            while len(puts) >= 25:
                self.ddb.batch_write_item(RequestItems={table: puts[:25]})
                puts = puts[25:]
        if puts:
            self.ddb.batch_write_item(RequestItems={table: puts})

    def csv_rows(self, count: int) -> bytes:
        from tests.support.ids import person

        out = io.StringIO()
        fields = ["name", "email", "phone", "national_id", "education", "resume_text"]
        writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        for _ in range(count):
            writer.writerow(person(500_000 + next(self.people)))
        return out.getvalue().encode()

    def import_block(self, rows: int) -> None:
        import boto3

        from tests.support.events import drain, s3_object_created
        from tests.support.stack import REGION

        job = self.post("/imports", {"requisition_id": self.req_id, "filename": "flat.csv"})
        data = self.csv_rows(rows)
        bucket, key = self.bucket, job["upload"]["fields"]["key"]
        etag = boto3.client("s3", region_name=REGION).put_object(Bucket=bucket, Key=key, Body=data)["ETag"]
        self.client.lambda_.invoke("object_created", s3_object_created(bucket, key, etag, len(data)))
        drain(lambda e: self.client.lambda_.invoke("import_worker", e).payload, self.import_queue)
        status = json.loads(self.client.http.get(f"/imports/{job['id']}", headers=self.hr).body)
        assert status["accepted"] == rows, status

    def deliver_all(self, signed: list[tuple[dict[str, str], bytes]]) -> None:
        assert [self.deliver(h, r) for h, r in signed] == [(200, "stored")] * len(signed)

    def post(self, path: str, body: Any) -> Any:
        r = self.client.http.post(path, headers=self.hr, body=json.dumps(body).encode())
        assert r.status_code in (200, 201), r.body
        return json.loads(r.body)

    def transition_block(self, table: str) -> None:
        apps = self.applications(BLOCK, repo=self.stores[table].table)
        items = [{"application_id": a, "to": "rejected"} for a in apps]
        out = self.post(f"/requisitions/{self.req_id}/transitions", {"items": items, "reason": "不符合要求"})
        assert all(r["outcome"] == "moved" for r in out["results"]), out

    def run(self, sizes: list[int], rounds: int) -> None:
        from shared.store import aws

        self.stores: dict[str, Any] = {}
        began = time.perf_counter()
        tables = {size: self.clone_table(size) for size in sizes}
        self.say(
            f"filled {len(sizes)} tables ({', '.join(f'{s:,}' for s in sizes)} applications) "
            f"in {time.perf_counter() - began:.0f} s"
        )
        kinds = ("webhook delivery", "imported row", "stage transition")
        ms: dict[tuple[str, int], list[float]] = {(k, s): [] for k in kinds for s in sizes}
        calls: dict[tuple[str, int], Counter[str]] = {(k, s): Counter() for k in kinds for s in sizes}
        items: Counter[tuple[str, int]] = Counter()
        current: list[tuple[str, int]] = []

        def count(model: Any, **_: Any) -> None:
            if current:
                calls[current[0]][f"{model.service_model.endpoint_prefix}.{model.name}"] += 1

        clients = [aws.client(s) for s in ("dynamodb", "s3", "sqs")]
        for c in clients:
            c.meta.events.register("before-call", count, unique_id="bench-flat")
        try:
            for _ in range(rounds):
                for size, table in tables.items():
                    self.use_table(table)
                    signed = self.signed(self.applications(BLOCK, repo=self.stores[table].table))
                    blocks: dict[str, Callable[[], Any]] = {
                        "webhook delivery": partial(self.deliver_all, signed),
                        "imported row": partial(self.import_block, BLOCK * 5),
                        "stage transition": partial(self.transition_block, table),
                    }
                    per = {"webhook delivery": BLOCK, "imported row": BLOCK * 5, "stage transition": BLOCK}
                    for kind, block in blocks.items():
                        current[:] = [(kind, size)]
                        t0 = time.perf_counter()
                        block()
                        ms[(kind, size)].append((time.perf_counter() - t0) * 1000 / per[kind])
                        items[(kind, size)] += per[kind]
                        current.clear()
        finally:
            self.use_table(self.table)
            for c in clients:
                c.meta.events.unregister("before-call", unique_id="bench-flat")
        self.say(f"per-item cost as the table grows (median ms of {rounds} blocks per size; AWS calls per item):")
        for kind in kinds:
            medians = [statistics.median(ms[(kind, s)]) for s in sizes]
            per_call = [sum(calls[(kind, s)].values()) / items[(kind, s)] for s in sizes]
            cells = "  ".join(
                f"{s:>6,}: {m:6.2f} ms, {c:5.2f} calls" for s, m, c in zip(sizes, medians, per_call, strict=True)
            )
            ratio = medians[-1] / medians[0]
            self.say(
                f"  {kind:<17} {cells}  ratio {sizes[-1]:,}/{sizes[0]:,}: {ratio:.2f}x time, "
                f"{per_call[-1] / per_call[0]:.2f}x calls"
            )


def bench_flat(sizes: list[int], rounds: int = 5, out: TextIO | None = None) -> None:
    with product() as (stack, client, real):
        bench = FlatBench(stack, client, out or real)
        bench.hr = {"Content-Type": "application/json", **stack.auth("hr")}
        bench.bucket, bench.import_queue = stack.env["BUCKET_NAME"], stack.env["IMPORT_QUEUE_URL"]
        bench.run(sizes, rounds)


if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[1:]] or [1_000, 10_000, 50_000]
    bench_flat(sizes)
