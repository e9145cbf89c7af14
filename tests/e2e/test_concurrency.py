"""Concurrent vendor senders against the running local stack (a small, bounded version of
``python -m tests.bench.concurrency``): no 5xx, and every accepted delivery accounted for."""

from __future__ import annotations

import pytest

from tests.bench.concurrency import hammer
from tests.support.running import RunningStack

pytestmark = pytest.mark.e2e


def test_ten_concurrent_senders_get_no_5xx_and_lose_nothing(stack: RunningStack) -> None:
    # Given 10 vendor senders, each with 5 signed first results (some retried with the same webhook-id)
    # When they all post at once to the running stack (loopback, at most 60 requests, 120 s at most)
    outcome = hammer(stack.api_url, stack.token("hr"), senders=10, deliveries=5, max_seconds=120)
    report = "\n".join(outcome.lines(10))
    # Then no answer is a 5xx, every delivery was accepted, and the vendor's retries were recognised
    assert outcome.server_errors == 0, report
    assert outcome.requests >= 50, report
    assert len(outcome.accepted) == 50, report
    assert outcome.statuses["200 stored"] == 50, report
    # and every accepted first result is on its application, counted once by the requisition
    assert outcome.lost == [], report
    assert outcome.held == outcome.scored_count == 50, report
