"""The probation cycle's clock: month arithmetic, UTC midnights, ISO timestamps and the waits of a cycle."""

from __future__ import annotations

from datetime import UTC, date, datetime

from shared.domain.time_rules import add_months
from shared.models.common import iso
from shared.models.probation import ConfirmRequest

DAY = 86_400
DECISION_TIMEOUT = 7 * DAY  # the final review waits a week for the manager
HEARTBEAT = 3 * DAY  # and escalates after three days unless the manager opened it


def midnight(day: date) -> float:
    return datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()


def iso_ts(ts: float) -> str:
    return iso(datetime.fromtimestamp(ts, tz=UTC))


def parse_ts(text: str | None) -> float | None:
    if not text:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def durations(start_date: date, months: int, body: ConfirmRequest, now: float) -> tuple[dict[str, int], float]:
    """Seconds for each wait of the cycle and the end (epoch seconds): the request's own (a compressed
    cycle), or one month to the check-in, half the ``months`` to the mid-term review, the rest to the end."""
    if body.durations is not None:
        d = body.durations.model_dump()
        return d, now + d["check_in"] + d["mid_term"] + d["end"]
    start = midnight(start_date)
    end = midnight(add_months(start_date, months))
    mid = start + (end - start) / 2
    check = min(midnight(add_months(start_date, 1)), mid)
    check_in = max(0.0, check - now)
    mid_term = max(0.0, mid - max(now, check))
    final = max(0.0, end - max(now, mid))
    d = {
        "check_in": int(check_in),
        "mid_term": int(mid_term),
        "end": int(final),
        "decision_timeout": DECISION_TIMEOUT,
        "heartbeat": HEARTBEAT,
    }
    return d, end
