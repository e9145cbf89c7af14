"""Sending outbox records again: the queue messages a change wrote in its own transaction and the
queue refused at the time. A record younger than the grace period is left to the request that wrote
it (it may still be sending it)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from shared import clock
from shared.models.common import iso

OUTBOX_MIN_AGE_SECONDS = 60


def resend(
    records: Callable[[], list[dict[str, Any]]], send: Callable[[dict[str, Any]], bool], min_age_seconds: int
) -> dict[str, int]:
    """Send every record at least ``min_age_seconds`` old with ``send`` (True: sent and cleared)."""
    cutoff = iso(clock.now() - timedelta(seconds=min_age_seconds))
    counts = {"resent": 0, "failed": 0, "young": 0}
    for item in records():
        if min_age_seconds and str(item.get("created_at", "")) > cutoff:
            counts["young"] += 1
            continue
        counts["resent" if send(item) else "failed"] += 1
    return counts
