"""Automated decisions: AI scores, screening and ranking never reject a person on their own."""

from __future__ import annotations

from shared.domain.stages import TERMINAL, TRANSITIONS, Stage


def test_no_automated_step_rejects_a_person() -> None:
    # Given the stage model, when we list who may move an application to rejected
    into_rejected = {frm: roles for (frm, to), roles in TRANSITIONS.items() if to is Stage.rejected}
    # Then HR (a recorded human decision, audited with its reason) may from every open stage
    assert all("hr" in roles for roles in into_rejected.values())
    assert set(into_rejected) == {s for s in Stage if s not in TERMINAL and s is not Stage.offer_signed}
    # And the service itself only when the candidate declined or let the offer expire, never on scores
    assert {frm for frm, roles in into_rejected.items() if "system" in roles} == {Stage.offer}
    # And no automated step leads to withdrawn either
    assert all(roles == frozenset({"hr"}) for (frm, to), roles in TRANSITIONS.items() if to is Stage.withdrawn)
