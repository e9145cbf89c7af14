"""Rules of time: what may happen on which business day (``shared/clock.py`` says which day it is).

* Probation: goals are confirmed, progress recorded and the decision taken only on or after the
  hire's start date; the decision only once the final review waits for it.
* Performance: results are recorded only inside the cycle's results window (from its first day to
  ``RESULTS_GRACE_DAYS`` after its last); targets are locked once a result exists, until HR reopens
  them with a reason.
* Mails that speak of time are sent when they are true: the one-month mails not before a month
  after the start date.

A refusal is a ``Conflict`` (409) with a code of its own and details naming the dates compared.
"""

from __future__ import annotations

import calendar
from datetime import date

from shared.errors import Conflict

RESULTS_GRACE_DAYS = 30  # results of a cycle may be entered up to a month after its last day


class NotYet(Conflict, code="not_yet"):
    """Too early: the day the action needs has not come (409 ``not_yet``)."""


class OutsideWindow(Conflict, code="outside_window"):
    """The action's window is not open today (409 ``outside_window``)."""


class TargetsLocked(Conflict, code="targets_locked"):
    """The targets have results; they change only after HR reopens them (409 ``targets_locked``)."""


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def one_month_after(start: date) -> date:
    """The first day the one-month mails may say "入职已满一个月"."""
    return add_months(start, 1)


def require_started(start_date: date, today: date, what: str) -> None:
    """``what`` happens only on or after the start date."""
    if today < start_date:
        raise NotYet(
            f"{what} only on or after the start date {start_date.isoformat()} (today is {today.isoformat()})",
            [
                {
                    "field": "start_date",
                    "message": f"{start_date.isoformat()} is not reached",
                    "today": today.isoformat(),
                }
            ],
        )


def results_window(start_date: date, end_date: date) -> tuple[date, date]:
    return start_date, date.fromordinal(end_date.toordinal() + RESULTS_GRACE_DAYS)


def require_results_window(start_date: date, end_date: date, today: date) -> None:
    """Results are recorded from the cycle's first day to ``RESULTS_GRACE_DAYS`` after its last."""
    opens, closes = results_window(start_date, end_date)
    if opens <= today <= closes:
        return
    when = "has not started" if today < opens else "is closed for results"
    raise OutsideWindow(
        f"the cycle {when}: results are recorded from {opens.isoformat()} to {closes.isoformat()}"
        f" (today is {today.isoformat()})",
        [
            {
                "field": "cycle",
                "message": f"results window {opens.isoformat()} – {closes.isoformat()}",
                "today": today.isoformat(),
            }
        ],
    )


def require_unlocked(has_results: bool, reopened: bool) -> None:
    """Targets with a result are locked unless HR reopened them."""
    if has_results and not reopened:
        raise TargetsLocked(
            "the targets have results and are locked; HR reopens them with a reason first",
            [{"field": "targets", "message": "locked by recorded results until HR reopens them"}],
        )
