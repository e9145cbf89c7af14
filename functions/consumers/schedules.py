"""Every scheduled function (EventBridge schedules): the daily and nightly runs and the safety nets
that re-send what a queue refused right after its change (nothing is lost, only delayed)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from chalice import Cron
from chalice.app import Blueprint, Rate

from functions.observability import logger
from shared import clock
from shared.services import wired
from shared.services.intake import Intake
from shared.services.offers import Offers
from shared.services.onboarding import Onboarding
from shared.services.probation import ProbationService
from shared.services.start_dates import StartDates

bp = Blueprint(__name__)


def event_day(event: Any) -> date:
    """The schedule's day (UTC) from the event's ``time``, so a replay acts for the day it was due."""
    raw = getattr(event, "time", None) or (event.get("time") if isinstance(event, dict) else None)
    if raw:
        return datetime.fromisoformat(str(raw).replace("Z", "+00:00")).astimezone(UTC).date()
    return clock.now().date()


def bank_day(event: Any) -> date:
    """The bank's day (Beijing) of the schedule's ``time``: a start date is a day in Beijing."""
    raw = getattr(event, "time", None) or (event.get("time") if isinstance(event, dict) else None)
    moment = datetime.fromisoformat(str(raw).replace("Z", "+00:00")) if raw else clock.now()
    return moment.astimezone(clock.BANK_TIME).date()


def _logged(what: str, counts: dict[str, int]) -> dict[str, int]:
    logger.info(what, extra=counts)
    return counts


# -- daily and nightly runs ----------------------------------------------------------------------------
@bp.schedule(Rate(1, unit=Rate.DAYS), name="onboarding_daily")
def onboarding_daily(event: Any) -> dict[str, int]:
    """Escalate tasks overdue before the start date (once) and remind managers of due reassessments."""
    return _logged("onboarding daily", Onboarding().daily(event_day(event)))


@bp.schedule(Cron(5, 16, "*", "*", "?", "*"), name="start_dates_daily")
def start_dates_daily(event: Any) -> dict[str, int]:
    """Daily (00:05 Beijing): hires whose start date has come become active, their applications hired."""
    return _logged("start dates", StartDates().daily(bank_day(event)))


@bp.schedule(Cron(0, 1, "*", "*", "?", "*"), name="probation_digest")
def probation_digest(event: Any) -> dict[str, int]:
    """Daily (09:00 Beijing): each manager gets the lagging probationers of their department, HR a summary."""
    return _logged("probation digest", ProbationService().digest().model_dump())


@bp.schedule(Rate(1, unit=Rate.DAYS), name="analytics_nightly")
def analytics_nightly(event: Any) -> dict[str, int]:
    """Nightly: snapshots of the latest cycles, high-potential proposals, attrition and its model."""
    from shared.services.analytics import Analytics  # numpy loads on this path only, not at ``import app``

    return _logged("analytics nightly", Analytics().nightly(clock.now().date()))


# -- safety nets ---------------------------------------------------------------------------------------
@bp.schedule(Rate(10, unit=Rate.MINUTES), name="reconcile_parked_results")
def reconcile_parked_results(event: Any) -> dict[str, int]:
    """Attach parked results whose application appeared after them (a safety net for races)."""
    return _logged("parked results reconciled", Intake().reconcile())


@bp.schedule(Rate(10, unit=Rate.MINUTES), name="reconcile_assessment_notices")
def reconcile_assessment_notices(event: Any) -> dict[str, int]:
    """Queue decision notices the notification queue refused right after the decision."""
    return _logged("assessment notice outbox reconciled", wired.assessments().reconcile_notices())


@bp.schedule(Rate(10, unit=Rate.MINUTES), name="reconcile_offer_outbox")
def reconcile_offer_outbox(event: Any) -> dict[str, int]:
    """Send queue messages (e-signature, onboarding) a queue refused right after their change."""
    return _logged("offer outbox reconciled", Offers().reconcile())


@bp.schedule(Rate(10, unit=Rate.MINUTES), name="reconcile_background_orders")
def reconcile_background_orders(event: Any) -> dict[str, int]:
    """Queue the orders whose message never reached the queue (a safety net: nothing is lost)."""
    return _logged("background orders reconciled", wired.background_checks().reconcile())


@bp.schedule(Rate(10, unit=Rate.MINUTES), name="reconcile_rejection_notices")
def reconcile_rejection_notices(event: Any) -> dict[str, int]:
    """Queue rejection notices the notification queue refused right after HR's rejection."""
    return _logged("rejection notice outbox reconciled", wired.rejections().reconcile())
