"""What the catalogues HR maintains share — the question bank, the indicator library, the course
catalogue: an entry is the seed shipped with the code unless HR stored a version of it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Literal, Protocol, TypeVar

from shared.errors import Conflict, NotFound
from shared.models.common import iso, utcnow

Status = Literal["active", "retired", "all"]
"""Which entries a listing shows: the active ones (the default), the retired ones, or all."""


class _Entry(Protocol):
    @property
    def status(self) -> str: ...

    @property
    def version(self) -> int: ...

    def model_copy(self, *, update: dict[str, Any] | None = None) -> Any: ...


T = TypeVar("T")
W = TypeVar("W")
E = TypeVar("E", bound=_Entry)


def current(
    what: str, entry_id: str, where: W | None, stored: Callable[[W], T | None], seed: Callable[[str], T | None]
) -> tuple[T, bool]:
    """The entry and whether a stored item holds it (False: the untouched seed entry). ``where`` is
    what the id names (None: an id of no catalogue), ``stored`` reads it there; ``NotFound`` if neither."""
    if where is not None:
        found = stored(where)
        if found is not None:
            return found, True
        seeded = seed(entry_id)
        if seeded is not None:
            return seeded, False
    raise NotFound(f"{what} {entry_id} does not exist")


def with_status(entries: Iterable[E], status: Status) -> list[E]:
    return [e for e in entries if status == "all" or e.status == status]


def refuse_when_full(stored: int, limit: int, message: str, field: str, why: str) -> None:
    """``Conflict`` (naming ``field``) once HR has stored ``limit`` entries where a new one would go."""
    if stored >= limit:
        raise Conflict(message, [{"field": field, "message": why}])


def next_version(current: E, actor: str, changes: dict[str, Any], now: str | None = None) -> E:
    """``current`` with ``changes``, one version on, stamped as updated by ``actor`` (at ``now``)."""
    after: E = current.model_copy(
        update={**changes, "version": current.version + 1, "updated_at": now or iso(utcnow()), "updated_by": actor}
    )
    return after
