"""Figures for docs/benchmarks.md, measured side by side in one run: ``make bench``.

Prints, never asserts: these are measurements, not pass/fail timings.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import time
from typing import Any

from tests.support.inprocess import ROOT, product


def _csv(people: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    fields = ["name", "email", "phone", "national_id", "education", "resume_text"]
    writer.writerow(fields)
    for p in people:
        writer.writerow([p[f] for f in fields])
    return out.getvalue().encode()


def bench_screening_and_import(n_api: int, n_rows: int) -> None:
    import boto3
    from chalice.test import Client

    from tests.support.events import drain, s3_object_created
    from tests.support.ids import person
    from tests.support.stack import REGION, moto_stack

    with moto_stack() as stack:
        from app import app

        requisition = json.loads((ROOT / "events" / "requisition-customer-manager.json").read_text("utf-8"))
        with Client(app, project_dir=str(ROOT)) as client:
            headers = {"Content-Type": "application/json", **stack.auth("hr")}

            def post(path: str, body: Any) -> Any:
                r = client.http.post(path, headers=headers, body=json.dumps(body).encode())
                assert r.status_code in (200, 201), r.body
                return json.loads(r.body)

            req_id = post("/requisitions", requisition)["id"]
            # bare put_item of an item of the same size on the same moto backend
            ddb = boto3.client("dynamodb", region_name=REGION)
            table = stack.env["TABLE_NAME"]
            sample = json.dumps(person(0), ensure_ascii=False) * 3
            started = time.perf_counter()
            for i in range(n_api):
                ddb.put_item(TableName=table, Item={"pk": {"S": f"BENCH#{i}"}, "sk": {"S": "X"}, "d": {"S": sample}})
            bare = n_api / (time.perf_counter() - started)
            started = time.perf_counter()
            for i in range(n_api):
                post(f"/requisitions/{req_id}/applications", person(i))
            handler = n_api / (time.perf_counter() - started)
            print(
                f"screening: {handler:.0f} applications/s through the handler vs {bare:.0f} bare put_item/s "
                f"({handler / bare:.2f}x, n={n_api})"
            )

            # bulk import of n_rows through the S3 event and the SQS worker
            job = post("/imports", {"requisition_id": req_id, "filename": "bench.csv"})
            data = _csv([person(n) for n in range(n_api, n_api + n_rows)])
            s3 = boto3.client("s3", region_name=REGION)
            key = job["upload"]["fields"]["key"]
            etag = s3.put_object(Bucket=stack.env["BUCKET_NAME"], Key=key, Body=data)["ETag"]
            started = time.perf_counter()
            client.lambda_.invoke("object_created", s3_object_created(stack.env["BUCKET_NAME"], key, etag, len(data)))
            drain(lambda e: client.lambda_.invoke("import_worker", e).payload, stack.env["IMPORT_QUEUE_URL"])
            elapsed = time.perf_counter() - started
            status = json.loads(client.http.get(f"/imports/{job['id']}", headers=headers).body)
            print(
                f"bulk import: {n_rows} rows in {elapsed:.1f} s = {n_rows / elapsed:.0f} rows/s "
                f"(state {status['state']}, accepted {status['accepted']}, rejected {status['rejected']}, "
                f"duplicate {status['duplicate']})"
            )


def bench_hiring_event(n: int) -> None:
    """A small whole hiring event (``tests.sim``): AWS calls by stage, per hire from offer signed to
    the probation decision, and the bill of a 100,000-applicant event scaled from it."""
    from tests.sim.event import HiringEvent

    with product() as (stack, client, out):
        event = HiringEvent(client, stack, n, seed=2023)
        report = event.run()
        print(f"hiring event of {n:,} applications: loss 0 and double counts 0: {report.ok}", file=out)
        event.print_figures(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--import-runs", type=int, default=15, help="fresh interpreters per side (cold start)")
    parser.add_argument("--api", type=int, default=500, help="applications posted through the handler")
    parser.add_argument("--rows", type=int, default=10_000, help="rows in the bulk import")
    parser.add_argument("--skip-package", action="store_true", help="skip building the package and its cold start")
    parser.add_argument("--webhooks", type=int, default=500, help="deliveries timed for the webhook rate")
    parser.add_argument("--webhook-batch", type=int, default=200, help="deliveries per median of the cost figure")
    parser.add_argument("--stored-small", type=int, default=1_000, help="results stored for the first cost figure")
    parser.add_argument("--stored-large", type=int, default=10_000, help="results stored for the second one")
    parser.add_argument("--skip-webhooks", action="store_true")
    parser.add_argument("--webhooks-only", action="store_true", help="only the webhook figures")
    parser.add_argument("--profile-webhooks", action="store_true", help="cProfile the timed webhook deliveries")
    parser.add_argument("--scored", type=int, default=50_000, help="scored applications for the shortlist figure")
    parser.add_argument("--skip-shortlist", action="store_true")
    parser.add_argument("--flat-sizes", type=int, nargs="+", default=[1_000, 10_000, 50_000], help="table sizes")
    parser.add_argument("--skip-flat", action="store_true", help="skip the per-item cost as the table grows")
    parser.add_argument("--hiring-event", type=int, default=600, help="applications of the metered hiring event")
    parser.add_argument("--skip-hiring-event", action="store_true")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {sys.platform}")
    if not args.webhooks_only:
        if not args.skip_package:
            from tests.bench.coldstart import bench_cold_start

            bench_cold_start(args.import_runs)
        bench_screening_and_import(args.api, args.rows)
    if not args.skip_webhooks:
        from tests.bench.webhooks import bench_webhooks

        bench_webhooks(args.webhooks, args.webhook_batch, args.stored_small, args.stored_large, args.profile_webhooks)
    if not args.webhooks_only and not args.skip_shortlist:
        from tests.bench.shortlist import bench_shortlist

        bench_shortlist(args.scored)
    if not args.webhooks_only and not args.skip_flat:
        from tests.bench.flat import bench_flat

        bench_flat(args.flat_sizes)
    if not args.webhooks_only and not args.skip_hiring_event:
        bench_hiring_event(args.hiring_event)


if __name__ == "__main__":
    main()
