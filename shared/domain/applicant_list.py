"""A requisition's applicant list for thousands of rows: search by name or reference, one order, a
total and numbered pages — over the list rows of the requisition (pure; the rows come from the store)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

Order = Literal["created", "score", "name"]
Row = dict[str, Any]


@dataclass(frozen=True)
class Slice:
    items: list[Row]
    total: int  # rows matching the search, over every page


def matches(row: Row, q: str) -> bool:
    """``q`` in the name (case-insensitive), or the start of the external reference or of the id."""
    needle = q.strip().casefold()
    return (
        needle in str(row.get("name", "")).casefold()
        or str(row.get("external_ref") or "").casefold().startswith(needle)
        or str(row.get("id", "")).casefold().startswith(needle)
    )


def weighted(row: Row) -> float | None:
    score = (row.get("ai") or {}).get("weighted_score")
    return None if score is None else float(score)


def sort_key(order: Order) -> Callable[[Row], tuple[Any, ...]]:
    """created: oldest first; score: highest weighted score first, unscored last; name: by name.
    Ties are broken by creation, then id, so a page never changes between two reads."""
    if order == "score":
        return lambda r: (weighted(r) is None, -(weighted(r) or 0.0), r["created_at"], r["id"])
    if order == "name":
        return lambda r: (str(r.get("name", "")), r["created_at"], r["id"])
    return lambda r: (r["created_at"], r["id"])


def select(rows: Sequence[Row], q: str | None, order: Order, page: int, size: int) -> Slice:
    """Page ``page`` (1-based) of ``size`` rows of those matching ``q``, in ``order``, with the total."""
    found = [r for r in rows if matches(r, q)] if q and q.strip() else list(rows)
    found.sort(key=sort_key(order))
    start = (page - 1) * size
    return Slice(found[start : start + size], len(found))
