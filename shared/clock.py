"""The product's one clock: every "now" and "today" of the code is read here.

Two kinds of time:

* **business time** (``now``, ``timestamp``, ``today``): start dates, probation phases, performance
  windows, mails that speak of time, the stamps on records. On the local stack it can be moved
  forward (``infra.local.clock``): the offset is kept in a small JSON file named by ``LOCAL_CLOCK_FILE``
  that every function of the stack reads. In AWS Lambda the file is never read, whatever the
  environment says: the offset cannot be set there.
* **wall time** (``wall``): what must agree with the world outside, never moved: the freshness of a
  vendor's webhook signature, the expiry of a stored item.
"""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

CLOCK_FILE_ENV = "LOCAL_CLOCK_FILE"
BANK_TIME = ZoneInfo("Asia/Shanghai")  # the bank's calendar: start dates and cycle windows are Beijing dates

_cache: dict[str, tuple[float, float]] = {}  # path -> (mtime of the file read, offset seconds)


def wall() -> float:
    """Seconds since the epoch, never moved."""
    return time.time()


def offset_seconds() -> float:
    """How far the local stack's clock was moved forward (0 in AWS and when it never was)."""
    path = os.environ.get(CLOCK_FILE_ENV)
    if not path or os.environ.get("AWS_LAMBDA_FUNCTION_NAME"):
        return 0.0
    try:
        mtime = os.stat(path).st_mtime_ns / 1e9
    except OSError:
        return 0.0
    cached = _cache.get(path)
    if cached is not None and cached[0] == mtime:
        return cached[1]
    try:
        value = float(json.loads(open(path, encoding="utf-8").read()).get("offset_seconds", 0))  # noqa: SIM115
    except (OSError, ValueError, AttributeError):
        value = 0.0
    offset = max(0.0, value)
    _cache[path] = (mtime, offset)
    return offset


def timestamp() -> float:
    """Business time in seconds since the epoch."""
    return wall() + offset_seconds()


def now() -> datetime:
    """Business time, timezone-aware UTC."""
    return datetime.now(UTC) + timedelta(seconds=offset_seconds())


def today() -> date:
    """The bank's calendar day (Beijing) in business time."""
    return now().astimezone(BANK_TIME).date()
