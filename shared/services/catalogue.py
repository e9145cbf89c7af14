"""What the catalogues HR maintains share — the question bank, the indicator library, the course
catalogue: an entry is the seed shipped with the code unless HR stored a version of it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from shared.errors import NotFound

T = TypeVar("T")
W = TypeVar("W")


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
