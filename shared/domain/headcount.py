"""A requisition's lifecycle and its headcount: open / on hold / filled / closed.

HR sets ``open``, ``on_hold`` and ``closed`` (closed is final). ``filled`` is what an open or held
requisition *is* once its signed offers reach the headcount: derived on every read from
``filled_count``, which the signing transaction increments (an ``ADD``, so concurrent signings never
overwrite each other and no stored status can lag behind the count).

An offer counts against the headcount from the moment it is made: the signed ones (``filled_count``)
plus the applications waiting at ``offer``. An offer beyond the headcount is refused unless HR
records an override with a reason (audited with the offer). A requisition that is not open invites
nobody to a second interview and takes no offer. Pure logic: the services read the counts.
"""

from __future__ import annotations

from typing import Any

from shared.models.requisition import RequisitionStatus

# (stored status, requested) pairs HR may make
SETTABLE = frozenset(
    {
        (RequisitionStatus.open, RequisitionStatus.on_hold),
        (RequisitionStatus.on_hold, RequisitionStatus.open),
        (RequisitionStatus.open, RequisitionStatus.closed),
        (RequisitionStatus.on_hold, RequisitionStatus.closed),
    }
)


def status_of(stored: RequisitionStatus, headcount: int, filled: int) -> RequisitionStatus:
    """The requisition's status as everyone sees it: closed stays closed; otherwise filled once the
    signed offers reach the headcount."""
    if stored is not RequisitionStatus.closed and filled >= headcount:
        return RequisitionStatus.filled
    return stored


def status_change_refusal(stored: RequisitionStatus, requested: RequisitionStatus) -> str | None:
    """Why HR may not move the stored status to ``requested`` (None: they may)."""
    if (stored, requested) in SETTABLE:
        return None
    if stored is RequisitionStatus.closed:
        return "the requisition is closed; a closed requisition stays closed"
    return f"a requisition cannot be set from {stored.value} to {requested.value}"


def offer_refusal(
    status: RequisitionStatus, headcount: int, filled: int, outstanding: int, override_reason: str | None
) -> tuple[str, list[dict[str, Any]]] | None:
    """Why an offer may not be made on this requisition now (None: it may). ``outstanding``: the other
    applications already waiting at ``offer``."""
    counts = {"headcount": headcount, "filled_count": filled, "offers_outstanding": outstanding}
    if status in (RequisitionStatus.on_hold, RequisitionStatus.closed):
        return f"the requisition is {status.value}; it takes no offers", [{"code": f"requisition_{status.value}"}]
    if filled + outstanding >= headcount and not override_reason:
        return (
            f"the requisition's headcount of {headcount} is taken ({filled} signed, {outstanding} offers "
            "outstanding); HR may record a headcount_override with a reason",
            [{"code": "headcount_reached", "field": "headcount_override", **counts}],
        )
    return None


def inviting(status: RequisitionStatus) -> bool:
    """Whether the requisition still invites people to a second interview."""
    return status is RequisitionStatus.open
