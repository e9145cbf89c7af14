"""What the benchmarks that seed a table share: applications with a first AI result, written in batches
of 25, and a DynamoDB client on a running local stack's moto."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from shared.models.application import Application
from shared.models.interview import AiResult
from shared.store.applications import application_item
from shared.store.items import serialize


def bench_ai(i: int, score: float, day: str) -> AiResult:
    """Applicant ``i``'s AI result of ``day`` (``YYYY-MM-DD``): ``score`` overall and on two dimensions."""
    return AiResult(
        vendor_id="aivendor",
        model_version="bench",
        webhook_id=f"bench-{i}",
        completed_at=f"{day}T00:00:00.000000Z",
        received_at=f"{day}T00:00:00Z",
        overall_score=score,
        dimension_scores={"logic": score, "customer_orientation": score},
        weighted_score=round(score, 4),
    )


def put_applications(ddb: Any, table: str, applications: Iterable[Application]) -> None:
    """Write the applications' items with BatchWriteItem, 25 at a time."""
    batch: list[dict[str, Any]] = []
    for app in applications:
        batch.append({"PutRequest": {"Item": serialize(application_item(app))}})
        if len(batch) == 25:
            ddb.batch_write_item(RequestItems={table: batch})
            batch = []
    if batch:
        ddb.batch_write_item(RequestItems={table: batch})


def stack_dynamodb(state: Mapping[str, Any]) -> Any:
    """A DynamoDB client on the moto server of a running local stack (``infra.local.state``)."""
    import boto3

    return boto3.client(
        "dynamodb",
        endpoint_url=state["moto_endpoint"],
        region_name=state["region"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
