"""Stage gates: the evidence each gated move needs, read from the application's partition items."""

from __future__ import annotations

from datetime import date
from typing import Any

from shared.domain.gates import NEEDS, missing
from shared.vocabulary import Stage
from tests.support.background import completed_check

TODAY = date(2027, 1, 11)


def offer(status: str, start: str, offer_id: str = "o1", signed_at: str | None = None) -> dict[str, Any]:
    return {"sk": f"OFFER#{offer_id}", "id": offer_id, "status": status, "start_date": start, "signed_at": signed_at}


def codes(target: Stage, items: list[dict[str, Any]]) -> list[str]:
    return [m.code for m in missing(target, items, TODAY)]


def test_only_three_moves_are_gated() -> None:
    assert set(NEEDS) == {Stage.evaluated, Stage.offer, Stage.hired}
    assert codes(Stage.shortlisted, []) == []


def test_evaluated_needs_an_evaluation_item() -> None:
    assert codes(Stage.evaluated, [{"sk": "META"}]) == ["evaluation_missing"]
    assert codes(Stage.evaluated, [{"sk": "META"}, {"sk": "EVAL#manager.demo"}]) == []


def test_offer_needs_the_readiness_rule() -> None:
    assert codes(Stage.offer, []) == ["background_check_missing"]
    assert codes(Stage.offer, [completed_check("a1", outcome="consider")]) == ["background_check_not_clear"]
    assert codes(Stage.offer, [completed_check("a1")]) == []


def test_hired_needs_a_signed_offer_starting_today_or_earlier() -> None:
    assert codes(Stage.hired, [offer("sent", "2027-01-11")]) == ["signed_offer_missing"]
    assert codes(Stage.hired, [offer("signed", "2027-01-12")]) == ["start_date_not_reached"]
    assert codes(Stage.hired, [offer("signed", "2027-01-11")]) == []
    # the newest signed offer counts
    items = [
        offer("signed", "2027-01-01", "old", "2026-11-01T00:00:00Z"),
        offer("signed", "2027-02-01", "new", "2026-12-01T00:00:00Z"),
    ]
    assert [(m.code, m.ref) for m in missing(Stage.hired, items, TODAY)] == [("start_date_not_reached", "new")]
