"""The local stream event source: the same records as the Streams API, Lambda's filter and retry rules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from infra.local.streams import MAX_RECORDS, MotoStreamTail, StreamSource, lambda_record, matches
from shared.services.intake import NEW_RESULTS

REGION = "us-east-1"


@pytest.fixture
def table(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        ddb = boto3.client("dynamodb", region_name=REGION)
        ddb.create_table(
            TableName="t",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "S"},
            ],
            BillingMode="PAY_PER_REQUEST",
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
        )
        yield ddb


def put(ddb: Any, pk: str, sk: str, **attrs: str) -> None:
    ddb.put_item(TableName="t", Item={"pk": {"S": pk}, "sk": {"S": sk}, **{k: {"S": v} for k, v in attrs.items()}})


def read_through_the_api(ddb: Any, table_name: str) -> list[dict[str, Any]]:
    """Every record of the table's stream as the DynamoDB Streams API returns it (the reference)."""
    # botocore addresses streams at <account>.streams-ddb.<region>.amazonaws.com, which moto's
    # in-process mock does not route; its classic endpoint works
    streams = boto3.client(
        "dynamodbstreams", region_name=REGION, endpoint_url=f"https://streams.dynamodb.{REGION}.amazonaws.com"
    )
    arn = ddb.describe_table(TableName=table_name)["Table"]["LatestStreamArn"]
    out: list[dict[str, Any]] = []
    for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON")
        records = streams.get_records(ShardIterator=iterator["ShardIterator"], Limit=MAX_RECORDS)["Records"]
        out += [lambda_record(r, arn, REGION) for r in records]
    return out


def test_the_in_process_tail_reads_what_the_streams_api_returns(table: Any) -> None:
    # Given writes of every kind on a table with a stream
    put(table, "APP#1", "META", name="x")
    put(table, "APP#1", "SCORE#2026#w1", score="90")
    put(table, "APP#1", "META", name="y")  # MODIFY
    table.delete_item(TableName="t", Key={"pk": {"S": "APP#1"}, "sk": {"S": "META"}})  # REMOVE
    # When the stream is read through the Streams API and from moto's memory
    by_api = read_through_the_api(table, "t")
    direct = MotoStreamTail("t", REGION).read()
    # Then they return the same records, in order, in Lambda's event shape
    assert [r["eventName"] for r in direct] == ["INSERT", "INSERT", "MODIFY", "REMOVE"]

    def comparable(records: list[dict[str, Any]]) -> list[Any]:
        return [
            (r["eventName"], r["dynamodb"]["Keys"], r["dynamodb"].get("NewImage"), r["dynamodb"]["SequenceNumber"])
            for r in records
        ]

    assert comparable(by_api) == comparable(direct)
    assert all(isinstance(r["dynamodb"]["ApproximateCreationDateTime"], float) for r in direct + by_api)
    # And a second read returns only what is new
    put(table, "APP#2", "SCORE#2026#w2", score="70")
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in MotoStreamTail("t", REGION).read()][-1] == "APP#2"


@pytest.mark.parametrize(
    ("event_name", "pk", "sk", "matched"),
    [
        ("INSERT", "APP#1", "SCORE#2026#w", True),
        ("MODIFY", "APP#1", "SCORE#2026#w", False),  # a history entry marked superseded
        ("INSERT", "APP#1", "META", False),
        ("INSERT", "PARKED#r", "SCORE#x", False),
        ("REMOVE", "APP#1", "SCORE#2026#w", False),
    ],
)
def test_the_filter_passes_only_new_history_entries(event_name: str, pk: str, sk: str, matched: bool) -> None:
    record = {"eventName": event_name, "dynamodb": {"Keys": {"pk": {"S": pk}, "sk": {"S": sk}}}}
    assert matches(NEW_RESULTS, record) is matched


def test_a_record_without_the_filtered_field_does_not_match() -> None:
    assert not matches(NEW_RESULTS, {"eventName": "INSERT", "dynamodb": {"Keys": {"pk": {"S": "APP#1"}}}})


class FakeTail:
    def __init__(self, records: list[dict[str, Any]]) -> None:
        self.records = records

    def read(self, limit: int = 1000) -> list[dict[str, Any]]:
        out, self.records = self.records[:limit], self.records[limit:]
        return out


def record(seq: int) -> dict[str, Any]:
    return {"eventName": "INSERT", "dynamodb": {"SequenceNumber": str(seq), "Keys": {}}}


def test_a_failed_record_is_retried_with_what_follows_and_then_sent_to_the_failure_queue() -> None:
    # Given a handler that always fails record 2 of 1..4, and a stream source retrying twice
    seen: list[list[str]] = []
    dead: list[str] = []

    def handler(name: str, event: dict[str, Any]) -> dict[str, Any]:
        seqs = [r["dynamodb"]["SequenceNumber"] for r in event["Records"]]
        seen.append(seqs)
        return {"batchItemFailures": [{"itemIdentifier": "2"}] if "2" in seqs else []}

    source = StreamSource(
        "h",
        FakeTail([record(i) for i in range(1, 5)]),  # type: ignore[arg-type]
        handler,
        max_retries=2,
        on_failure=lambda r, name: dead.append(r["dynamodb"]["SequenceNumber"]),
    )
    # When the source polls until nothing is left
    while source.poll() or source.pending:
        pass
    # Then record 1 was delivered once, 2 tried three times (with 3 and 4 held back behind it, in
    # order), then sent to the failure queue, and 3 and 4 delivered after it
    assert seen == [["1", "2", "3", "4"], ["2", "3", "4"], ["2", "3", "4"], ["3", "4"]]
    assert dead == ["2"]
    assert (source.delivered, source.failed) == (3, 1)


def test_a_handler_that_raises_has_its_whole_batch_retried() -> None:
    calls: list[int] = []

    def handler(name: str, event: dict[str, Any]) -> Any:
        calls.append(len(event["Records"]))
        if len(calls) == 1:
            raise RuntimeError("boom")
        return {}

    source = StreamSource("h", FakeTail([record(1), record(2)]), handler)  # type: ignore[arg-type]
    assert source.poll() == 0
    assert source.poll() == 2
    assert calls == [2, 2] and source.delivered == 2


def test_records_the_filter_drops_do_not_end_a_poll_early() -> None:
    # Given 2,500 records of which only the last one passes the filter (reads return 1,000 at most)
    other = {"eventName": "INSERT", "dynamodb": {"SequenceNumber": "0", "Keys": {"pk": {"S": "REQ#1"}}}}
    wanted = {"eventName": "INSERT", "dynamodb": {"SequenceNumber": "9", "Keys": {"pk": {"S": "APP#1"}}}}
    delivered: list[dict[str, Any]] = []
    source = StreamSource(
        "h",
        FakeTail([other] * 2499 + [wanted]),  # type: ignore[arg-type]
        lambda name, event: delivered.extend(event["Records"]),
        pattern={"dynamodb": {"Keys": {"pk": {"S": [{"prefix": "APP#"}]}}}},
    )
    # When the source polls once
    # Then the matching record is delivered
    assert source.poll() == 1 and delivered == [wanted]


def test_a_trimming_tail_frees_what_it_read_and_keeps_sequence_numbers(table: Any) -> None:
    from moto.dynamodb.models import dynamodb_backends

    shard = dynamodb_backends["123456789012"][REGION].get_table("t").stream_shard
    assert shard is not None
    tail = MotoStreamTail("t", REGION, trim=True)
    # Given two records read by the stream's only reader
    put(table, "APP#1", "SCORE#2026#w1", score="90")
    put(table, "APP#2", "SCORE#2026#w2", score="80")
    first = [r["dynamodb"]["SequenceNumber"] for r in tail.read()]
    # Then moto no longer holds them
    assert len(first) == 2 and shard.items == []
    # When more is written
    put(table, "APP#3", "SCORE#2026#w3", score="70")
    put(table, "APP#4", "SCORE#2026#w4", score="60")
    # Then the tail and the Streams API return just the new records, numbered after the first two
    by_api = read_through_the_api(table, "t")
    fresh = tail.read()
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in fresh] == ["APP#3", "APP#4"]
    assert [r["dynamodb"]["SequenceNumber"] for r in fresh] == [r["dynamodb"]["SequenceNumber"] for r in by_api]
    numbers = [int(n) for n in first + [r["dynamodb"]["SequenceNumber"] for r in fresh]]
    assert numbers == sorted(numbers) and len(set(numbers)) == 4
