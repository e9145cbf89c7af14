"""The simulation's meter and price table: capacity units from item sizes, calls priced once."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest

from tests.sim.costs import PRICES, billable
from tests.sim.meter import Meter


def model(service: str, name: str) -> Any:
    return SimpleNamespace(name=name, service_model=SimpleNamespace(endpoint_prefix=service))


def body(payload: dict[str, Any]) -> dict[str, Any]:
    return {"body": json.dumps(payload).encode(), "headers": {}}


def test_a_transactional_write_of_an_indexed_item_costs_its_kilobytes_per_copy_twice() -> None:
    # Given a meter in the import stage
    meter = Meter()
    meter.stage = "bulk_import"
    # When an application of about 1.5 KB with two index keys is put inside a transaction
    item = {"pk": {"S": "APP#a1"}, "sk": {"S": "META"}, "gsi1pk": {"S": "x"}, "gsi2pk": {"S": "y"}}
    item["resume"] = {"S": "x" * 1400}
    meter.before(
        model("dynamodb", "TransactWriteItems"), body({"TransactItems": [{"Put": {"TableName": "t", "Item": item}}]})
    )
    # Then it costs 2 KB × (table + 2 indexes) × 2 (transaction) = 12 WRU, in one call
    assert meter.units["bulk_import"]["dynamodb WRU"] == 12
    assert meter.calls["bulk_import"]["dynamodb.TransactWriteItems"] == 1
    # and a later update of the same key is charged the whole item it rewrites, indexes included
    update = {"TableName": "t", "Key": {"pk": {"S": "APP#a1"}, "sk": {"S": "META"}}, "UpdateExpression": "SET a = :a"}
    meter.before(model("dynamodb", "UpdateItem"), body(update))
    assert meter.units["bulk_import"]["dynamodb WRU"] == 12 + 6


def test_an_eventually_consistent_query_costs_half_a_unit_per_4_kb_returned() -> None:
    meter = Meter()
    meter.stage = "shortlist"
    items = [{"pk": {"S": f"APP#{i}"}, "sk": {"S": "META"}, "d": {"S": "x" * 1000}} for i in range(8)]
    meter.after(model("dynamodb", "Query"), {"Items": items}, params=body({"TableName": "t"}))
    assert meter.units["shortlist"]["dynamodb RRU"] == pytest.approx(0.5 * 3)  # ~8.4 KB → 3 × 4 KB


def test_every_billable_quantity_has_one_price_and_audit_reads_are_not_billed() -> None:
    # Given requests, invocations and an e-mail in one stage, and the audit's reads in another
    meter = Meter()
    meter.stage = "webhooks"
    meter.invoked("api_handler", 0.1, api=True)
    meter.before(model("email", "SendEmail"), {"headers": {}})
    meter.before(model("sqs", "SendMessageBatch"), {"headers": {}})
    with meter.during("reconciliation (the audit's own reads)"):
        meter.invoked("api_handler", 5.0, api=True)
    # When the quantities are priced
    quantities = billable(meter)
    # Then each maps to a price, and only the billed stage counts
    assert set(quantities) <= set(PRICES)
    assert quantities["apigateway requests"] == quantities["lambda requests"] == 1
    assert quantities["lambda GB-s"] == pytest.approx(0.1 * 512 / 1024)
    assert (quantities["ses messages"], quantities["sqs requests"]) == (1, 1)
