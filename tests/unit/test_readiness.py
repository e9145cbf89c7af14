from __future__ import annotations

from typing import Any

from shared.domain.readiness import offer_blockers


def check(ref: str, ordered_at: str, status: str, outcome: str | None = None) -> dict[str, Any]:
    return {"sk": f"BGC#{ref}", "ordered_at": ordered_at, "status": status, "outcome": outcome}


def codes(items: list[dict[str, Any]]) -> list[str]:
    return [b.code for b in offer_blockers(items)]


def test_no_check_blocks() -> None:
    assert codes([{"sk": "META"}]) == ["background_check_missing"]


def test_the_newest_check_decides() -> None:
    old_clear = check("a", "2026-01-01", "completed", "clear")
    new_open = check("b", "2026-02-01", "submitted")
    assert codes([old_clear]) == []
    assert codes([old_clear, new_open]) == ["background_check_open"]
    assert codes([check("c", "2026-03-01", "completed", "consider"), old_clear]) == ["background_check_not_clear"]
    assert codes([check("d", "2026-03-01", "failed"), old_clear]) == ["background_check_open"]


def test_pending_assessments_block_and_decided_ones_do_not() -> None:
    clear = check("a", "2026-01-01", "completed", "clear")
    items = [
        clear,
        {"sk": "ASSESS#r1", "status": "requested"},
        {"sk": "ASSESS#r2", "status": "approved"},
        {"sk": "ASSESS#r3", "status": "declined"},
        {"sk": "ASSESS#r4", "status": "completed"},
    ]
    blockers = offer_blockers(items)
    assert [(b.code, b.ref) for b in blockers] == [("assessment_pending", "r1"), ("assessment_pending", "r2")]
    assert "awaits" in blockers[0].message and "no recorded result" in blockers[1].message
