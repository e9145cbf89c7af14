"""Figures for docs/benchmarks.md, measured side by side in one run: ``make bench``.

Prints, never asserts: these are measurements, not pass/fail timings.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import statistics
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DEPS_ONLY = (
    "import chalice, chalice.app, pydantic, jwt, boto3, botocore;"
    "import aws_lambda_powertools;"
    "from aws_lambda_powertools import Logger, Metrics, Tracer;"
    "from aws_lambda_powertools.utilities import parameters;"
    "from aws_lambda_powertools.utilities.batch import BatchProcessor;"
    "from aws_lambda_powertools.utilities.idempotency import idempotent_function;"
    "Logger(); Metrics(); Tracer()"
)
APP = "import app"


def _import_seconds(statement: str, runs: int) -> float:
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    samples = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            env={"PATH": "/usr/bin:/bin", "POWERTOOLS_TRACE_DISABLED": "true", "AWS_DEFAULT_REGION": "us-east-1"},
        )
        samples.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(samples)


def bench_import(runs: int) -> None:
    # interleave so that machine noise hits both alike
    deps, app = [], []
    for _ in range(runs):
        deps.append(_import_seconds(DEPS_ONLY, 1))
        app.append(_import_seconds(APP, 1))
    d, a = statistics.median(deps), statistics.median(app)
    print(
        f"import: third-party deps alone {d * 1000:.0f} ms, app {a * 1000:.0f} ms, ratio {a / d:.2f}x "
        f"(median of {runs}, goal <= 1.3x)"
    )


def bench_package() -> None:
    zip_path = ROOT / "dist" / "deployment.zip"
    if not zip_path.exists():
        subprocess.run([sys.executable, "-m", "infra.package", "--out", "dist"], cwd=ROOT, check=True)
    with zipfile.ZipFile(zip_path) as zf:
        unzipped = sum(i.file_size for i in zf.infolist())
        files = len(zf.infolist())
    print(
        f"package: {zip_path.stat().st_size / 2**20:.1f} MiB zipped, {unzipped / 2**20:.1f} MiB unzipped, {files} files"
    )


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--import-runs", type=int, default=7)
    parser.add_argument("--api", type=int, default=500, help="applications posted through the handler")
    parser.add_argument("--rows", type=int, default=10_000, help="rows in the bulk import")
    parser.add_argument("--skip-package", action="store_true")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {sys.platform}")
    bench_import(args.import_runs)
    if not args.skip_package:
        bench_package()
    bench_screening_and_import(args.api, args.rows)


if __name__ == "__main__":
    main()
