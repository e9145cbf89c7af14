"""The local stack's DynamoDB transaction fix for moto: all-or-nothing per item, no table copies."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from infra.local import motofix

REGION = "us-east-1"


@pytest.fixture
def ddb(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    motofix.apply()
    try:
        with mock_aws():
            client = boto3.client("dynamodb", region_name=REGION)
            client.create_table(
                TableName="t",
                BillingMode="PAY_PER_REQUEST",
                AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            )
            yield client
    finally:
        motofix.revert()


def put(pk: str, value: str, condition: str | None = None) -> dict[str, Any]:
    op: dict[str, Any] = {"TableName": "t", "Item": {"pk": {"S": pk}, "v": {"S": value}}}
    if condition:
        op["ConditionExpression"] = condition
    return {"Put": op}


def value(ddb: Any, pk: str) -> str | None:
    item = ddb.get_item(TableName="t", Key={"pk": {"S": pk}}).get("Item")
    return item["v"]["S"] if item else None


def test_failed_transaction_changes_nothing_and_keeps_other_writes(ddb: Any) -> None:
    # Given an existing item and an unrelated one
    ddb.put_item(TableName="t", Item={"pk": {"S": "taken"}, "v": {"S": "old"}})
    ddb.put_item(TableName="t", Item={"pk": {"S": "other"}, "v": {"S": "kept"}})

    # When a transaction writes a new item, overwrites one, then fails a uniqueness condition
    with pytest.raises(ClientError) as failure:
        ddb.transact_write_items(
            TransactItems=[
                put("new", "x"),
                {
                    "Update": {
                        "TableName": "t",
                        "Key": {"pk": {"S": "other"}},
                        "UpdateExpression": "SET v = :v",
                        "ExpressionAttributeValues": {":v": {"S": "changed"}},
                    }
                },
                put("taken", "y", condition="attribute_not_exists(pk)"),
            ]
        )

    # Then it is cancelled and none of its writes remain, while the existing items are intact
    assert failure.value.response["Error"]["Code"] == "TransactionCanceledException"
    assert value(ddb, "new") is None
    assert value(ddb, "other") == "kept"
    assert value(ddb, "taken") == "old"


def test_rollback_keeps_writes_other_requests_made_meanwhile(ddb: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a transaction during which another writer stores an unrelated item (simulated from
    # inside the backend, between the transaction's start and its failure)
    from moto.dynamodb.models import DynamoDBBackend

    original_get_item = DynamoDBBackend.get_item

    def get_item(self: Any, table_name: str, keys: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        if keys.get("pk") == {"S": "probe"}:
            self.tables[table_name].put_item({"pk": {"S": "meanwhile"}, "v": {"S": "w"}})
        return original_get_item(self, table_name, keys, *args, **kwargs)

    monkeypatch.setattr(DynamoDBBackend, "get_item", get_item)
    ddb.put_item(TableName="t", Item={"pk": {"S": "taken"}, "v": {"S": "old"}})

    # When the transaction fails
    with pytest.raises(ClientError):
        ddb.transact_write_items(
            TransactItems=[
                {
                    "ConditionCheck": {
                        "TableName": "t",
                        "Key": {"pk": {"S": "probe"}},
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                },
                put("taken", "y", condition="attribute_not_exists(pk)"),
            ]
        )

    # Then the other writer's item survives the rollback (moto alone restores a copy of the table)
    assert value(ddb, "meanwhile") == "w"
    assert value(ddb, "taken") == "old"


def test_transactions_do_not_copy_tables(ddb: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a table that must not be deep-copied (moto alone copies it for every transaction item)
    from moto.dynamodb.models.table import Table

    def refuse(self: Any, memo: Any) -> Any:
        raise AssertionError("the whole table was copied")

    monkeypatch.setattr(Table, "__deepcopy__", refuse, raising=False)
    # When a failing and a succeeding transaction run
    ddb.put_item(TableName="t", Item={"pk": {"S": "taken"}, "v": {"S": "old"}})
    with pytest.raises(ClientError):
        ddb.transact_write_items(TransactItems=[put("taken", "y", condition="attribute_not_exists(pk)")])
    ddb.transact_write_items(TransactItems=[put("fresh", "z")])
    # Then both behaved as DynamoDB does
    assert (value(ddb, "taken"), value(ddb, "fresh")) == ("old", "z")


def test_successful_transaction_writes_everything(ddb: Any) -> None:
    ddb.transact_write_items(TransactItems=[put("a", "1"), put("b", "2", condition="attribute_not_exists(pk)")])
    assert (value(ddb, "a"), value(ddb, "b")) == ("1", "2")


def test_concurrent_conditional_creates_admit_exactly_one(ddb: Any) -> None:
    # Given many threads creating the same unique item at once
    outcomes: list[str] = []
    start = threading.Barrier(8)

    def create(n: int) -> None:
        start.wait()
        try:
            ddb.transact_write_items(
                TransactItems=[put("person", str(n), condition="attribute_not_exists(pk)"), put(f"app-{n}", "x")]
            )
            outcomes.append("created")
        except ClientError:
            outcomes.append("duplicate")

    threads = [threading.Thread(target=create, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)

    # Then exactly one succeeded, and only its companion item exists
    assert sorted(outcomes) == ["created"] + ["duplicate"] * 7
    winner = value(ddb, "person")
    assert winner is not None
    assert [value(ddb, f"app-{n}") for n in range(8)].count("x") == 1
    assert value(ddb, f"app-{winner}") == "x"
