"""The talent table's stream delivered to the app's stream handlers, in-process (tests, sim, bench).

The same reader and filter as the local stack's pump (``infra/local/streams.py``): what the
deployed event source mapping would deliver, handed to the handler through ``chalice.test``."""

from __future__ import annotations

from typing import Any

import boto3

from functions.webhooks import STREAM_FILTERS
from infra.local.streams import StreamSource, StreamTail
from tests.support.stack import REGION


class Projector:
    def __init__(self, client: Any, table_name: str) -> None:
        # botocore now addresses streams at <account>.streams-ddb.<region>.amazonaws.com, which moto's
        # in-process mock does not route; its classic endpoint works
        streams = boto3.client(
            "dynamodbstreams", region_name=REGION, endpoint_url=f"https://streams.dynamodb.{REGION}.amazonaws.com"
        )
        tail = StreamTail.of_table(boto3.client("dynamodb", region_name=REGION), streams, table_name)
        self.sources = [
            StreamSource(name, tail, lambda n, e: client.lambda_.invoke(n, e).payload, pattern=pattern)
            for name, pattern in STREAM_FILTERS.items()
        ]

    def settle(self, max_batches: int = 100_000) -> int:
        """Deliver every new stream record; returns how many were delivered."""
        delivered = 0
        for source in self.sources:
            for _ in range(max_batches):
                step = source.poll()
                if not step:
                    break
                delivered += step
        return delivered
