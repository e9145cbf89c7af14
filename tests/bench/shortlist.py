"""Shortlist figures: items read ÷ items returned, and the handler vs a bare index query."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def _seed(stack_env: dict[str, str], req: dict[str, Any], n: int) -> None:
    """Write n scored applications straight into the table (what n first results would leave)."""
    import boto3

    from shared.domain.stages import Stage
    from shared.models.application import Application
    from shared.store.items import serialize
    from tests.support.bench_data import bench_ai, put_applications
    from tests.support.stack import REGION

    ddb = boto3.client("dynamodb", region_name=REGION)
    table = stack_env["TABLE_NAME"]

    def application(i: int) -> Application:
        score = 40 + (i * 7919 % 6000) / 100  # spread over 40–100, with ties
        return Application(
            id=f"{i:032x}",
            requisition_id=req["id"],
            department=req["department"],
            stage=Stage.ai_interviewed,
            name=f"候选人{i}",
            email=f"c{i}@example.com",
            phone="13800000000",
            national_id="11010519491231002X",
            source="bench",
            created_at="2026-11-28T00:00:00Z",
            updated_at="2026-11-28T00:00:00Z",
            ai=bench_ai(i, score, "2026-11-28"),
        )

    put_applications(ddb, table, (application(i) for i in range(n)))
    # the counter shards the result store keeps: all n on one shard is the same sum
    ddb.put_item(TableName=table, Item=serialize({"pk": f"REQ#{req['id']}", "sk": "SCORED#00", "count": n}))


def bench_shortlist(n_scored: int) -> None:
    import boto3
    from chalice.test import Client

    from tests.support.stack import REGION, moto_stack

    with moto_stack() as stack:
        from app import app

        requisition = json.loads((ROOT / "events" / "requisition-customer-manager.json").read_text("utf-8"))
        with Client(app, project_dir=str(ROOT)) as client:
            headers = {"Content-Type": "application/json", **stack.auth("hr")}
            req = json.loads(client.http.post("/requisitions", headers=headers, body=json.dumps(requisition)).body)
            started = time.perf_counter()
            _seed(stack.env, req, n_scored)
            seeded = time.perf_counter() - started
            started = time.perf_counter()
            proposal = json.loads(client.http.post(f"/requisitions/{req['id']}/shortlist", headers=headers).body)
            handler = time.perf_counter() - started
            # the same items through a bare Query of the index, paged the same way
            ddb = boto3.client("dynamodb", region_name=REGION)
            started = time.perf_counter()
            kwargs: dict[str, Any] = {
                "TableName": stack.env["TABLE_NAME"],
                "IndexName": "gsi3",
                "KeyConditionExpression": "gsi3pk = :p",
                "ExpressionAttributeValues": {":p": {"S": f"REQ#{req['id']}#SCORED"}},
                "ScanIndexForward": False,
                "Limit": proposal["size"],
            }
            got = 0
            while got < proposal["size"]:
                kwargs["Limit"] = proposal["size"] - got
                out = ddb.query(**kwargs)
                got += out["Count"]
                if "LastEvaluatedKey" not in out:
                    break
                kwargs["ExclusiveStartKey"] = out["LastEvaluatedKey"]
            bare = time.perf_counter() - started
    print(
        f"shortlist: {n_scored} scored → {proposal['size']} proposed, {proposal['items_read']} items read "
        f"(read ÷ returned {proposal['items_read'] / max(1, len(proposal['entries'])):.2f}, goal ≤ 1.05); "
        f"handler {handler:.2f} s vs bare index query {bare:.2f} s ({handler / bare:.2f}×); seeding {seeded:.0f} s"
    )


if __name__ == "__main__":
    import sys

    bench_shortlist(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
