"""The local stack's DynamoDB transaction fix for moto: all-or-nothing per item, no table copies."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from infra.local.emulator import dynamodb as fix
from tests.support.emulator import offline, plain_and_fixed

REGION = "us-east-1"


@pytest.fixture
def ddb(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    offline(monkeypatch)
    fix.apply()
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
        fix.revert()


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


def _keyed_table(client: Any) -> None:
    client.create_table(
        TableName="k",
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in ("pk", "sk", "gpk", "gsk")],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "gix",
                "KeySchema": [
                    {"AttributeName": "gpk", "KeyType": "HASH"},
                    {"AttributeName": "gsk", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )
    for i in range(120):
        item = {"pk": {"S": f"P#{i % 7}"}, "sk": {"S": f"S#{(i * 37) % 101:03d}"}, "n": {"S": str(i)}}
        if i % 3:
            item |= {"gpk": {"S": f"G#{i % 4}"}, "gsk": {"S": f"{(i * 13) % 17:02d}"}}  # ties on gsk
        client.put_item(TableName="k", Item=item)


QUERIES: list[dict[str, Any]] = [
    {"KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": "P#3"}}},
    {"KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": "P#3"}}, "ScanIndexForward": False},
    {"KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": "P#5"}}, "Limit": 4},
    {
        "KeyConditionExpression": "pk = :p AND begins_with(sk, :s)",
        "ExpressionAttributeValues": {":p": {"S": "P#1"}, ":s": {"S": "S#0"}},
    },
    {"KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": "P#none"}}},
    {"IndexName": "gix", "KeyConditionExpression": "gpk = :g", "ExpressionAttributeValues": {":g": {"S": "G#1"}}},
    {
        "IndexName": "gix",
        "KeyConditionExpression": "gpk = :g",
        "ExpressionAttributeValues": {":g": {"S": "G#2"}},
        "ScanIndexForward": False,
        "Limit": 5,
    },
]


def _pages(client: Any, query: dict[str, Any], between: Callable[[], Any] = lambda: None) -> list[list[str]]:
    """Every page of ``query`` (item numbers), calling ``between()`` before each page after the first."""
    pages, start = [], None
    while True:
        out = client.query(TableName="k", **query, **({"ExclusiveStartKey": start} if start else {}))
        pages.append([i["n"]["S"] for i in out["Items"]])
        start = out.get("LastEvaluatedKey")
        if not start:
            return pages
        between()


def test_queries_return_what_moto_itself_returns(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a table with partitions, a sort key and an index with ties on its sort key
    offline(monkeypatch)
    with mock_aws():
        client = boto3.client("dynamodb", region_name=REGION)
        _keyed_table(client)
        # When the same queries run (every page) on moto as it is and with the fix
        plain = [_pages(client, q) for q in QUERIES]
        fix.apply()
        try:
            fixed = [_pages(client, q) for q in QUERIES]
            scanned = client.scan(TableName="k")["Count"]
        finally:
            fix.revert()
    # Then the results, their order and the pagination are the same
    assert fixed == plain
    assert all(any(page for page in pages) for pages in plain[:4] + plain[5:])
    assert scanned == 120


def test_a_key_query_visits_only_its_partition(ddb: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a table of 300 partitions
    for i in range(300):
        ddb.put_item(TableName="t", Item={"pk": {"S": f"P#{i}"}, "v": {"S": "x"}})
    from moto.dynamodb.models.table import Table

    visited: list[int] = []
    listed = Table.all_items

    def counted(self: Any) -> list[Any]:
        items: list[Any] = listed(self)
        visited.append(len(items))
        return items

    monkeypatch.setattr(Table, "all_items", counted)
    # When one partition is queried
    out = ddb.query(TableName="t", KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "P#7"}})
    # Then one item is found, and only that one was looked at (moto alone lists all 300)
    assert [i["pk"]["S"] for i in out["Items"]] == ["P#7"]
    assert visited == [1]


def _index_pages_with_writes(client: Any, descending: bool) -> list[list[str]]:
    """Page through index G#1 five items at a time; between pages, move an item, add one, delete one."""
    query = {
        "IndexName": "gix",
        "KeyConditionExpression": "gpk = :g",
        "ExpressionAttributeValues": {":g": {"S": "G#1"}},
        "ScanIndexForward": not descending,
        "Limit": 5,
    }
    writes = [
        lambda: client.update_item(  # item 101, first on the next page going up, moves to the end
            TableName="k",
            Key={"pk": {"S": "P#3"}, "sk": {"S": "S#000"}},
            UpdateExpression="SET gsk = :s",
            ExpressionAttributeValues={":s": {"S": "00" if descending else "99"}},
        ),
        lambda: client.put_item(
            TableName="k",
            Item={"pk": {"S": "P#new"}, "sk": {"S": "S#1"}, "n": {"S": "new"}, "gpk": {"S": "G#1"}, "gsk": {"S": "15"}},
        ),
        lambda: client.transact_write_items(
            TransactItems=[{"Delete": {"TableName": "k", "Key": {"pk": {"S": "P#5"}, "sk": {"S": "S#084"}}}}]
        ),
    ]
    return _pages(client, query, between=lambda: writes and writes.pop(0)())


def test_paged_index_queries_see_writes_made_between_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    offline(monkeypatch)

    # Given the keyed table, paged through its index while items move, arrive and leave between pages
    def scenario() -> list[list[list[str]]]:
        with mock_aws():
            client = boto3.client("dynamodb", region_name=REGION)
            _keyed_table(client)
            return [_index_pages_with_writes(client, descending) for descending in (False, True)]

    plain, fixed = plain_and_fixed(fix, scenario)
    # Then every page is what moto itself answers, the writes included
    assert fixed == plain
    assert any("new" in page for page in plain[0]) and len(plain[0]) == 4
    assert all("5" not in page for page in plain[0][1:]) and plain[0][-1][-1] == "101"  # deleted; moved to the end


def test_a_paged_index_query_sorts_its_matches_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given the keyed table (G#1 holds 20 items) with the fix
    offline(monkeypatch)
    from moto.dynamodb.models.table import Table

    sorts: list[int] = []
    moto_sort = Table.sorted_items

    def counted(self: Any, *args: Any) -> list[Any]:
        sorts.append(1)
        return moto_sort(self, *args)

    monkeypatch.setattr(Table, "sorted_items", counted)  # (what the fix finds as moto's sort)
    fix.apply()
    try:
        with mock_aws():
            client = boto3.client("dynamodb", region_name=REGION)
            _keyed_table(client)
            query = {"IndexName": "gix", "KeyConditionExpression": "gpk = :g", "Limit": 4}
            # When all its pages are read, with no write in between
            pages = _pages(client, query | {"ExpressionAttributeValues": {":g": {"S": "G#1"}}})
            sorted_for_read = len(sorts)
            # and then read again after one write
            client.put_item(TableName="k", Item={"pk": {"S": "P#x"}, "sk": {"S": "S#x"}, "n": {"S": "x"}})
            again = _pages(client, query | {"ExpressionAttributeValues": {":g": {"S": "G#1"}}})
    finally:
        fix.revert()
    # Then the five pages cost one sort, and a write in between costs exactly one more
    assert len(pages) == 5 and sum(map(len, pages)) == 20
    assert sorted_for_read == 1
    assert again == pages and len(sorts) == 2


EVERY_TYPE = {
    "s": {"S": "张伟"},
    "n": {"N": "12.5"},
    "b": {"B": b"\x00\xffbytes"},
    "yes": {"BOOL": True},
    "nothing": {"NULL": True},
    "ss": {"SS": ["a", "b"]},
    "ns": {"NS": ["1", "2.5"]},
    "bs": {"BS": [b"x", b"y"]},
    "l": {"L": [{"S": "x"}, {"N": "1"}, {"M": {"deep": {"L": [{"BOOL": False}]}}}]},
    "m": {"M": {"k": {"S": "v"}, "empty": {"M": {}}}},
}


def _every_item_operation(client: Any) -> list[Any]:
    """Each item operation with the answer shapes it has (present, absent, paged, counted, capacity,
    return values, batches, transactions) and one refused write; each answer as botocore read it."""
    _keyed_table(client)
    key = {"pk": {"S": "P#1"}, "sk": {"S": "S#999"}}
    answers: list[Any] = []

    def keep(call: Callable[..., Any], **params: Any) -> None:
        try:
            answer = call(**params)
        except ClientError as exc:
            answer = {"error": exc.response["Error"], "item": exc.response.get("Item")}
        answer.pop("ResponseMetadata", None)
        answers.append(answer)

    keep(client.put_item, TableName="k", Item={**key, **EVERY_TYPE}, ReturnValues="ALL_OLD")
    keep(client.put_item, TableName="k", Item={**key, **EVERY_TYPE, "s": {"S": "new"}}, ReturnValues="ALL_OLD")
    keep(client.get_item, TableName="k", Key=key, ReturnConsumedCapacity="TOTAL")
    keep(client.get_item, TableName="k", Key={"pk": {"S": "absent"}, "sk": {"S": "S#1"}})
    keep(
        client.get_item, TableName="k", Key=key, ProjectionExpression="s, l[2].#m", ExpressionAttributeNames={"#m": "M"}
    )
    for values in ("ALL_NEW", "UPDATED_OLD", "NONE"):
        keep(
            client.update_item,
            TableName="k",
            Key=key,
            UpdateExpression="SET n = n + :one ADD ss :more",
            ExpressionAttributeValues={":one": {"N": "1"}, ":more": {"SS": ["c"]}},
            ReturnValues=values,
        )
    keep(
        client.put_item,
        TableName="k",
        Item=key,
        ConditionExpression="attribute_not_exists(pk)",
        ReturnValuesOnConditionCheckFailure="ALL_OLD",
    )
    for query in QUERIES:
        keep(client.query, TableName="k", **query, ReturnConsumedCapacity="INDEXES")
    keep(client.query, TableName="k", **QUERIES[0], Select="COUNT")
    keep(client.scan, TableName="k", Limit=7)
    keep(client.scan, TableName="k", FilterExpression="attribute_exists(b)")
    keep(client.batch_get_item, RequestItems={"k": {"Keys": [key, {"pk": {"S": "absent"}, "sk": {"S": "S#1"}}]}})
    keep(
        client.batch_write_item, RequestItems={"k": [{"PutRequest": {"Item": {"pk": {"S": "B"}, "sk": {"S": "S#1"}}}}]}
    )
    keep(client.transact_get_items, TransactItems=[{"Get": {"TableName": "k", "Key": key}}])
    keep(client.transact_write_items, TransactItems=[{"Put": {"TableName": "k", "Item": {**key, "s": {"S": "t"}}}}])
    keep(client.delete_item, TableName="k", Key=key, ReturnValues="ALL_OLD")
    return answers


def test_item_operations_answer_what_moto_itself_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    offline(monkeypatch)

    # Given the same item operations on moto as it is and with the fix (fresh backends each)
    def scenario() -> list[Any]:
        with mock_aws():
            return _every_item_operation(boto3.client("dynamodb", region_name=REGION))

    plain, fixed = plain_and_fixed(fix, scenario)
    # Then botocore reads the same answers, every type of value included
    assert fixed == plain
    assert plain[2]["Item"]["b"] == {"B": b"\x00\xffbytes"} and plain[2]["Item"]["l"] == EVERY_TYPE["l"]
    assert plain[1]["Attributes"]["s"] == {"S": "张伟"} and "Item" not in plain[3]
    assert any("LastEvaluatedKey" in a for a in plain) and any("error" in a for a in plain)


def test_item_answers_skip_the_shape_walk(ddb: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from moto.core import serialize

    walked: list[str] = []
    original = serialize.BaseJSONSerializer.serialize

    def counted(self: Any, result: Any) -> Any:
        walked.append(self.operation_model.name)
        return original(self, result)

    monkeypatch.setattr(serialize.BaseJSONSerializer, "serialize", counted)
    # When items are written and read, binary values included
    ddb.put_item(TableName="t", Item={"pk": {"S": "a"}, "v": {"S": "x"}, "b": {"B": b"\x00"}})
    assert value(ddb, "a") == "x"
    ddb.query(TableName="t", KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "a"}})
    # Then moto's shape walk served none of them; a table description still goes through it
    ddb.describe_table(TableName="t")
    assert walked == ["DescribeTable"]


def test_the_item_size_limit_still_holds(ddb: Any) -> None:
    # Given items of many attributes, one just under moto's 400 KB limit and one over it
    under = {f"a{i:03d}": {"S": "x" * 3_900} for i in range(100)}
    over = under | {"last": {"S": "x" * 20_000}}
    # When both are written
    ddb.put_item(TableName="t", Item={"pk": {"S": "under"}, **under})
    with pytest.raises(ClientError) as refused:
        ddb.put_item(TableName="t", Item={"pk": {"S": "over"}, **over})
    # Then the first is stored whole and the second refused with moto's message, nothing stored
    stored = ddb.get_item(TableName="t", Key={"pk": {"S": "under"}})["Item"]
    assert len(stored) == 101
    assert refused.value.response["Error"]["Message"] == "Item size has exceeded the maximum allowed size"
    assert "Item" not in ddb.get_item(TableName="t", Key={"pk": {"S": "over"}})


def test_update_expressions_are_parsed_once_per_expression(ddb: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from moto.dynamodb.parsing.expressions import ExpressionTokenizer  # type: ignore[attr-defined]

    tokenized: list[str] = []
    make_list = ExpressionTokenizer.make_list

    def counted(text: str) -> Any:
        tokenized.append(text)
        return make_list(text)

    monkeypatch.setattr(ExpressionTokenizer, "make_list", counted)
    ddb.put_item(TableName="t", Item={"pk": {"S": "a"}, "n": {"N": "0"}})
    # When the same update expression is applied five times, then a syntax error is sent twice
    for _ in range(5):
        ddb.update_item(
            TableName="t",
            Key={"pk": {"S": "a"}},
            UpdateExpression="SET n = n + :one",
            ExpressionAttributeValues={":one": {"N": "1"}},
        )
    for _ in range(2):
        with pytest.raises(ClientError) as refused:
            ddb.update_item(TableName="t", Key={"pk": {"S": "a"}}, UpdateExpression="SET n = = 1")
        assert refused.value.response["Error"]["Code"] == "ValidationException"
    # Then every update applied, the good expression was read once and the bad one each time it came
    item = ddb.get_item(TableName="t", Key={"pk": {"S": "a"}})["Item"]
    assert item["n"] == {"N": "5"}
    assert tokenized.count("SET n = n + :one") == 1 and tokenized.count("SET n = = 1") == 2


def test_items_convert_to_json_as_moto_converts_them() -> None:
    from moto.dynamodb.models.dynamo_type import DynamoType, Item

    nested = {
        "deep": {"M": {"a": {"M": {"b": {"L": [{"S": "x"}, {"M": {"c": {"N": "1"}}}, {"SS": ["p", "q"]}]}}}}},
        "l": {"L": [{"L": [{"BOOL": True}, {"NULL": True}]}, {"B": b"\x01"}]},
        "b": {"B": b"\x00\xff"},
        **EVERY_TYPE,
    }
    # Given the same items converted by moto as it is and with the fix
    plain = Item(DynamoType({"S": "k"}), None, nested).to_json()
    regular = Item(DynamoType({"S": "k"}), None, nested).to_regular_json()
    fix.apply()
    try:
        item = Item(DynamoType({"S": "k"}), None, nested)
        fixed, fixed_regular = item.to_json(), item.to_regular_json()
        # Then the results are equal
        assert fixed == plain and fixed_regular == regular
        # And a change to a result does not reach the stored item (no container is shared)
        fixed["Attributes"]["deep"]["M"]["a"]["M"]["b"]["L"].append({"S": "changed"})
        fixed["Attributes"]["ss"]["SS"].append("r")
        assert item.to_json() == plain
    finally:
        fix.revert()


def test_item_requests_are_read_as_moto_reads_them(monkeypatch: pytest.MonkeyPatch) -> None:
    offline(monkeypatch)
    from moto.core.responses import BaseResponse
    from moto.dynamodb.responses import DynamoHandler

    seen: list[tuple[str, bytes, Any]] = []
    parse = BaseResponse.parse_parameters

    def recording(self: Any, request: Any) -> None:
        parse(self, request)
        if isinstance(self, DynamoHandler) and self._get_action() in fix.ITEM_OPERATIONS:
            seen.append((self._get_action(), request.data, copy.deepcopy(self.params)))  # (moto keeps them)

    # Given every item operation's request, read by moto's own parser
    with mock_aws():
        BaseResponse.parse_parameters = recording  # type: ignore[method-assign]
        try:
            _every_item_operation(boto3.client("dynamodb", region_name=REGION))
        finally:
            BaseResponse.parse_parameters = parse  # type: ignore[method-assign]
    # When the same bodies are read the fixed way
    fix.apply()
    try:
        fast = vars(DynamoHandler)["parse_parameters"]

        class Body:
            def __init__(self, data: bytes) -> None:
                self.data = data

        handler = DynamoHandler()
        read = []
        for action, body, _ in seen:
            handler._get_action = lambda action=action: action  # type: ignore[method-assign,misc]
            fast(handler, Body(body))
            read.append(handler.params)
    finally:
        fix.revert()
    # Then the parameters are the same, binary values included
    assert {action for action, _, _ in seen} == fix.ITEM_OPERATIONS
    assert read == [params for _, _, params in seen]
    assert any(params.get("Item", {}).get("bs") == EVERY_TYPE["bs"] for _, _, params in seen)


def test_the_action_lookup_lists_a_handler_class_once(ddb: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import inspect

    listed: list[object] = []
    getmembers = inspect.getmembers

    def counted(obj: object, predicate: Any = None) -> Any:
        listed.append(obj)
        return getmembers(obj, predicate)

    monkeypatch.setattr(inspect, "getmembers", counted)
    # When twenty requests reach the DynamoDB handler
    for n in range(10):
        ddb.put_item(TableName="t", Item={"pk": {"S": f"k{n}"}, "v": {"S": "x"}})
        assert value(ddb, f"k{n}") == "x"
    # Then its methods were listed at most once (moto alone lists them on every request)
    from moto.dynamodb.responses import DynamoHandler

    assert listed.count(DynamoHandler) <= 1
