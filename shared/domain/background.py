"""Background checks: the vendor interface, the outcome rule and when a check may be ordered. Pure logic.

The vendor is reached through ``BackgroundVendor`` (the HTTP adapter is
``shared.store.background_vendor.HttpBackgroundVendor``; tests use fakes of this interface).
``submit`` must be idempotent on ``order.reference`` (our check id): the order queue delivers at
least once, so a redelivered order asks for the same check again and gets the same vendor reference.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from shared.domain.stages import Stage
from shared.errors import Conflict
from shared.models.background import BackgroundCheck, BackgroundResultPayload, Outcome, VendorOrder

BACKGROUND_VENDORS = ("bgcheck",)  # vendor ids whose secrets sign background-check results
DEFAULT_VENDOR = "bgcheck"
ORDERABLE = (Stage.evaluated, Stage.background_check)
REORDER_AFTER = frozenset({"failed", "consider"})


class VendorError(Exception):
    """The vendor did not accept the order (down, timed out, refused): the order is retried later."""


class BackgroundVendor(Protocol):
    vendor_id: str

    def submit(self, order: VendorOrder) -> str:
        """Place the order; returns the vendor's reference. Idempotent on ``order.reference``.
        Raises ``VendorError`` when the vendor cannot take it now."""
        ...


def outcome(result: BackgroundResultPayload) -> Outcome:
    """``consider`` when any discrepancy was found or the credit record is adverse, else ``clear``."""
    if result.discrepancies or (result.credit and result.credit.status == "adverse"):
        return "consider"
    if result.education and result.education.discrepancy:
        return "consider"
    if any(e.discrepancy for e in result.employment):
        return "consider"
    return "clear"


def latest(checks: Iterable[BackgroundCheck]) -> BackgroundCheck | None:
    """The newest check by ``ordered_at`` (the one ``shared.domain.readiness`` decides on)."""
    return max(checks, key=lambda c: (c.ordered_at, c.check_id), default=None)


def check_orderable(stage: Stage, checks: Iterable[BackgroundCheck]) -> bool:
    """Whether an order moves the application (``evaluated`` → ``background_check``). Raises
    ``Conflict`` naming the stage when no check may be ordered now: only at ``evaluated``, or again at
    ``background_check`` once the newest check failed or completed with ``consider``."""
    if stage not in ORDERABLE:
        raise Conflict(
            f"a background check cannot be ordered at stage {stage.value}; only at evaluated or background_check",
            [{"current_stage": stage.value, "allowed": [s.value for s in ORDERABLE]}],
        )
    if stage is Stage.evaluated:
        return True
    newest = latest(checks)
    state = None if newest is None else (newest.outcome if newest.status == "completed" else newest.status)
    if newest is not None and state not in REORDER_AFTER:
        raise Conflict(
            f"background check {newest.check_id} is {state}; a new one may be ordered only after a failed "
            "or 'consider' check",
            [{"current_stage": stage.value, "check_id": newest.check_id, "check_state": state}],
        )
    return False
