"""Moving the local stack's business clock forward (``shared.clock`` reads it).

The offset lives in ``clock.json`` (the stack's state directory, or the ``--persist`` directory so
that it survives a restart), named to every function of the stack by ``LOCAL_CLOCK_FILE``. It only
ever grows: business time never goes back, so what was stamped stays in the past. Nothing in the
AWS package writes it, and ``shared.clock`` ignores it inside Lambda.
"""

from __future__ import annotations

import json
import os
import threading
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from shared import clock

FILE_NAME = "clock.json"
DAY = 86_400
MAX_DAYS = 3 * 366  # one move goes at most three years ahead
_lock = threading.Lock()


class ClockRefused(ValueError):
    """A move the clock does not make (backwards, too far, not a number); the message says which field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def use(path: Path, keep: bool) -> None:
    """Make this process's functions read the offset in ``path``: the one kept there (``keep``, a
    persisted stack), or a clock that starts at real time."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not keep or not path.is_file():
        _write(path, 0.0)
    os.environ[clock.CLOCK_FILE_ENV] = str(path)


def status() -> dict[str, Any]:
    offset = clock.offset_seconds()
    return {
        "now": clock.now().isoformat().replace("+00:00", "Z"),
        "today": clock.today().isoformat(),
        "offset_days": round(offset / DAY, 4),
        "offset_seconds": int(offset),
    }


def _write(path: Path, offset: float) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"offset_seconds": offset}), encoding="utf-8")
    tmp.replace(path)


def move(body: dict[str, Any]) -> dict[str, Any]:
    """``{"days": N}`` (N > 0) moves the clock N days forward; ``{"to": "YYYY-MM-DD"}`` moves it to the
    start of that Beijing day, which must be later than today. Answers the clock's status."""
    path = os.environ.get(clock.CLOCK_FILE_ENV)
    if not path:
        raise ClockRefused("clock", "this process has no local clock (the local stack sets LOCAL_CLOCK_FILE)")
    unknown = sorted(set(body) - {"days", "to"})
    if unknown or len(body) != 1:
        raise ClockRefused("body", 'give exactly one of {"days": N} or {"to": "YYYY-MM-DD"}')
    with _lock:
        current = clock.offset_seconds()
        if "days" in body:
            days = body["days"]
            if isinstance(days, bool) or not isinstance(days, int | float) or not 0 < days <= MAX_DAYS:
                raise ClockRefused("days", f"above 0 and at most {MAX_DAYS} (the clock only moves forward)")
            added = float(days) * DAY
        else:
            try:
                target = date.fromisoformat(str(body["to"]))
            except ValueError as exc:
                raise ClockRefused("to", "a date YYYY-MM-DD") from exc
            today = clock.today()
            if target <= today:
                raise ClockRefused("to", f"a day after today ({today.isoformat()}); the clock only moves forward")
            if target > today + timedelta(days=MAX_DAYS):
                raise ClockRefused("to", f"at most {MAX_DAYS} days after today")
            added = float((target - today).days * DAY)
        _write(Path(path), current + added)
    return status()
