"""The applicant list's rule: search by name or reference, one order with stable ties, the total and
numbered pages (shared/domain/applicant_list.py)."""

from __future__ import annotations

from typing import Any

from shared.domain.applicant_list import select


def row(n: int, name: str, score: float | None = None, ref: str | None = None) -> dict[str, Any]:
    return {
        "id": f"id{n:03d}",
        "name": name,
        "external_ref": ref,
        "created_at": f"2026-12-01T00:00:{n:02d}Z",
        "ai": None if score is None else {"weighted_score": score},
    }


ROWS = [row(1, "张伟", 71.5, "REF-1"), row(2, "李娜"), row(3, "张敏", 88.0), row(4, "王强", 71.5, "ref-22")]


def test_score_order_puts_the_best_first_the_unscored_last_and_breaks_ties_by_creation() -> None:
    # When the rows are ordered by score / Then highest first, equal scores oldest first, unscored last
    assert [r["id"] for r in select(ROWS, None, "score", 1, 10).items] == ["id003", "id001", "id004", "id002"]


def test_search_matches_part_of_a_name_or_the_start_of_a_reference_and_counts_them() -> None:
    # When searching "张" / Then both 张 match, with the total
    found = select(ROWS, "张", "created", 1, 10)
    assert ([r["id"] for r in found.items], found.total) == (["id001", "id003"], 2)
    # And "REF-2" matches the start of ref-22 (case-insensitive), not the middle of anything
    assert [r["id"] for r in select(ROWS, "REF-2", "created", 1, 10).items] == ["id004"]
    assert select(ROWS, "EF", "created", 1, 10).total == 0
    # And a blank search is no search
    assert select(ROWS, "  ", "created", 1, 10).total == 4


def test_pages_slice_the_ordered_matches_and_the_total_counts_them_all() -> None:
    # When reading page 2 of 3 by name / Then the fourth row only, and the total of all four
    by_name = sorted(ROWS, key=lambda r: r["name"])
    second = select(ROWS, None, "name", 2, 3)
    assert ([r["id"] for r in second.items], second.total) == ([by_name[3]["id"]], 4)
    # And a page past the end is empty with the same total
    assert select(ROWS, None, "created", 5, 3).items == [] and select(ROWS, None, "created", 5, 3).total == 4
