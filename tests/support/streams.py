"""The talent table's stream delivered to the app's stream handlers, in-process (tests, sim, bench).

The same reader and filter as the local stack's pump (``infra/local/streams.py``): what the
deployed event source mapping would deliver, handed to the handler through ``chalice.test``."""

from __future__ import annotations

from typing import Any

from functions.consumers.table_stream import STREAM_FILTERS
from infra.local.streams import MotoStreamTail, StreamSource
from tests.support.stack import REGION


class Projector:
    def __init__(self, client: Any, table_name: str) -> None:
        tail = MotoStreamTail(table_name, REGION, trim=True)  # the stream's only reader here
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
