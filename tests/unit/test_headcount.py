"""The requisition lifecycle and the headcount an offer may not pass."""

from __future__ import annotations

import pytest

from shared.domain.headcount import inviting, offer_refusal, status_change_refusal, status_of
from shared.models.requisition import RequisitionStatus as S


@pytest.mark.parametrize(
    ("stored", "headcount", "filled", "seen"),
    [
        (S.open, 2, 0, S.open),
        (S.open, 2, 1, S.open),
        (S.open, 2, 2, S.filled),
        (S.on_hold, 2, 3, S.filled),
        (S.on_hold, 2, 1, S.on_hold),
        (S.closed, 2, 2, S.closed),
    ],
)
def test_filled_is_derived_from_the_signed_offers(stored: S, headcount: int, filled: int, seen: S) -> None:
    assert status_of(stored, headcount, filled) is seen


def test_hr_may_hold_reopen_and_close_but_closed_is_final() -> None:
    assert status_change_refusal(S.open, S.on_hold) is None
    assert status_change_refusal(S.on_hold, S.open) is None
    assert status_change_refusal(S.on_hold, S.closed) is None
    assert "stays closed" in (status_change_refusal(S.closed, S.open) or "")
    assert status_change_refusal(S.open, S.open) == "a requisition cannot be set from open to open"


def test_an_offer_counts_from_the_moment_it_is_made() -> None:
    # Given a headcount of 2 with one signed offer and one outstanding
    refusal = offer_refusal(S.open, 2, 1, 1, None)
    # Then a third offer is refused naming the counts, unless HR gives a reason to override
    assert refusal is not None and refusal[1][0]["code"] == "headcount_reached"
    assert offer_refusal(S.open, 2, 1, 1, "替补") is None
    assert offer_refusal(S.open, 2, 1, 0, None) is None


@pytest.mark.parametrize("status", [S.on_hold, S.closed])
def test_held_or_closed_takes_no_offer_even_with_an_override(status: S) -> None:
    refusal = offer_refusal(status, 5, 0, 0, "急需")
    assert refusal is not None and refusal[1] == [{"code": f"requisition_{status.value}"}]


def test_only_an_open_requisition_invites() -> None:
    assert [s for s in S if inviting(s)] == [S.open]
