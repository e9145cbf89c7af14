"""What the catalogues' pure rules share — the question bank, the indicator library, the course
catalogue: a seed packaged with the code (``shared/data/*.json``) and entry ids that name where the
entry lives (``<role_family>.<dimension>.<suffix>`` for the bank and the library)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from enum import Enum
from importlib import resources
from typing import Any, TypeVar

from shared.models.common import Dimension

F = TypeVar("F", bound=Enum)

SUFFIX = re.compile(r"^[0-9a-z]{2,32}$")
"""The last part of a question's or a course's id (seed: ``01``; HR's additions: random hex)."""


def read_seed(resource: str) -> dict[str, Any]:
    """A seed file packaged in the ``shared`` package (the only I/O of the catalogues' rules)."""
    raw: dict[str, Any] = json.loads(resources.files("shared").joinpath(resource).read_text(encoding="utf-8"))
    return raw


def family_entries(raw: dict[str, Any]) -> Iterator[tuple[str, Dimension, dict[str, Any]]]:
    """Every entry of a seed laid out ``families → family → dimension → [entries]``, in file order."""
    for family, dimensions in raw["families"].items():
        for dimension, entries in dimensions.items():
            for entry in entries:
                yield family, Dimension(dimension), entry


def parse_family_id(entry_id: str, suffix: re.Pattern[str], family: type[F]) -> tuple[F, Dimension] | None:
    """The family and dimension a ``<family>.<dimension>.<suffix>`` id names, or None for anything else."""
    parts = entry_id.split(".")
    if len(parts) != 3 or not suffix.match(parts[2]):
        return None
    try:
        return family(parts[0]), Dimension(parts[1])
    except ValueError:
        return None


def make_family_id(family: Enum, dimension: Dimension, suffix: str, pattern: re.Pattern[str], rule: str) -> str:
    """``<family>.<dimension>.<suffix>``; a suffix that does not match ``pattern`` is refused, saying ``rule``."""
    if not pattern.match(suffix):
        raise ValueError(rule.format(suffix=repr(suffix)))
    return f"{family.value}.{dimension.value}.{suffix}"
