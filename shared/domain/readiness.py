"""Is an application ready for an offer? The one rule the offer, assessment and background-check
features share, over the items of the application's partition.

==========================  ===========================  ==================================================
item                        sk                           states
==========================  ===========================  ==================================================
supplementary assessment    ``ASSESS#<request-id>``      requested → approved → completed, or declined
background check            ``BGC#<check-id>``           ordered → submitted → completed (outcome), or failed
==========================  ===========================  ==================================================

An offer may be made when no assessment is pending (requested and not yet decided, or approved
and without a recorded result) and the newest background check (by ``ordered_at``) is completed
with the outcome ``clear``. Pure logic: the callers read the partition.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

ASSESSMENT_PREFIX = "ASSESS#"
BACKGROUND_PREFIX = "BGC#"
PENDING_ASSESSMENT = frozenset({"requested", "approved"})


@dataclass(frozen=True)
class Blocker:
    code: str  # background_check_missing | background_check_open | background_check_not_clear | assessment_pending
    message: str
    ref: str | None = None


def offer_blockers(items: Iterable[Mapping[str, Any]]) -> list[Blocker]:
    """Why an offer may not be made yet (empty: it may)."""
    blockers: list[Blocker] = []
    checks: list[Mapping[str, Any]] = []
    for item in items:
        sk = str(item.get("sk", ""))
        if sk.startswith(ASSESSMENT_PREFIX) and item.get("status") in PENDING_ASSESSMENT:
            ref = sk.removeprefix(ASSESSMENT_PREFIX)
            what = "awaits HR's decision" if item.get("status") == "requested" else "has no recorded result yet"
            blockers.append(Blocker("assessment_pending", f"supplementary assessment {ref} {what}", ref))
        elif sk.startswith(BACKGROUND_PREFIX):
            checks.append(item)
    if not checks:
        blockers.insert(0, Blocker("background_check_missing", "no background check has been ordered"))
        return blockers
    latest = max(checks, key=lambda c: (str(c.get("ordered_at", "")), str(c.get("sk"))))
    ref = str(latest["sk"]).removeprefix(BACKGROUND_PREFIX)
    if latest.get("status") != "completed":
        blockers.insert(
            0, Blocker("background_check_open", f"background check {ref} is {latest.get('status', 'unknown')}", ref)
        )
    elif latest.get("outcome") != "clear":
        blockers.insert(
            0,
            Blocker(
                "background_check_not_clear",
                f"background check {ref} completed with outcome {latest.get('outcome', 'unknown')}",
                ref,
            ),
        )
    return blockers
