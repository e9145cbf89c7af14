"""Stage gates: what a transition needs besides being allowed (``shared.domain.stages``), the
evidence in the application's partition, and what is missing.

=================  ==================================================  ================================
to                 needs                                               missing (``code``)
=================  ==================================================  ================================
``evaluated``      a second-interview evaluation (``EVAL#``)           ``evaluation_missing``
``offer``          offer readiness (``shared.domain.readiness``): the  ``background_check_missing`` /
                   newest background check completed ``clear`` (or    ``…_open`` / ``…_not_clear``,
                   set ``clear`` by HR's review), no assessment open   ``assessment_pending``
``hired``          a signed offer whose start date has been reached    ``signed_offer_missing``,
                   (the bank's day, Beijing)                           ``start_date_not_reached``
=================  ==================================================  ================================

Pure logic over the partition's items (one Query, read by the caller); the other stages need
nothing beyond the transition table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from shared.domain.readiness import offer_blockers
from shared.vocabulary import Stage

EVALUATION_PREFIX = "EVAL#"
OFFER_PREFIX = "OFFER#"

NEEDS: dict[Stage, str] = {
    Stage.evaluated: "a second-interview evaluation",
    Stage.offer: "the newest background check completed clear (or reviewed clear by HR) and no open assessment",
    Stage.hired: "a signed offer whose start date has been reached",
}


@dataclass(frozen=True)
class Missing:
    code: str
    message: str
    ref: str | None = None


def signed_start(items: Iterable[Mapping[str, Any]]) -> tuple[str, date] | None:
    """The newest signed offer's id and start date, if the application has one."""
    signed = [i for i in items if str(i.get("sk", "")).startswith(OFFER_PREFIX) and i.get("status") == "signed"]
    if not signed:
        return None
    newest = max(signed, key=lambda i: str(i.get("signed_at") or i.get("created_at") or ""))
    return str(newest.get("id", "")), date.fromisoformat(str(newest["start_date"]))


def missing(target: Stage, items: Iterable[Mapping[str, Any]], today: date) -> list[Missing]:
    """What the move to ``target`` still needs (empty: nothing)."""
    items = list(items)
    if target is Stage.evaluated:
        if any(str(i.get("sk", "")).startswith(EVALUATION_PREFIX) for i in items):
            return []
        return [Missing("evaluation_missing", "no second-interview evaluation has been recorded")]
    if target is Stage.offer:
        return [Missing(b.code, b.message, b.ref) for b in offer_blockers(items)]
    if target is Stage.hired:
        found = signed_start(items)
        if found is None:
            return [Missing("signed_offer_missing", "the application has no signed offer")]
        offer_id, start = found
        if start > today:
            return [
                Missing(
                    "start_date_not_reached",
                    f"the start date {start.isoformat()} has not been reached (today is {today.isoformat()})",
                    offer_id,
                )
            ]
    return []


def details(missing_items: list[Missing]) -> list[dict[str, Any]]:
    """The 409's ``details``: one entry per missing piece of evidence."""
    return [asdict(m) for m in missing_items]
