"""The course catalogue's pure rules: the seed (``shared/data/course_catalog.json``, shipped in the
``shared`` package) and how HR's stored changes override it.

A course id is ``<dimension>.<suffix>`` (seed: ``teamwork.01``; HR's additions: a random hex
suffix); a stored course with a seed course's id replaces that seed entry (edit or retirement).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from shared.domain.catalogue import SUFFIX, read_seed
from shared.models.common import Dimension
from shared.models.training import Course
from shared.vocabulary import DIMENSION_ORDER

SEED_RESOURCE = "data/course_catalog.json"


@cache
def seed() -> tuple[Course, ...]:
    return tuple(
        Course(
            course_id=make_id(Dimension(dimension), entry["suffix"]),
            dimension=dimension,
            origin="seed",
            **{k: v for k, v in entry.items() if k != "suffix"},
        )
        for dimension, entries in read_seed(SEED_RESOURCE)["courses"].items()
        for entry in entries
    )


def make_id(dimension: Dimension, suffix: str) -> str:
    return f"{dimension.value}.{suffix}"


def parse_id(course_id: str) -> Dimension | None:
    dimension, dot, suffix = course_id.partition(".")
    if not dot or dimension not in DIMENSION_ORDER or not SUFFIX.match(suffix):
        return None
    return Dimension(dimension)


def seed_course(course_id: str) -> Course | None:
    return next((c for c in seed() if c.course_id == course_id), None)


def effective(stored: Iterable[Course], dimension: Dimension | None = None) -> list[Course]:
    """Seed ⊕ stored: stored items replace seed entries with the same id; additions follow the seed
    of their dimension (by id). Canonical dimension order."""
    by_id = {c.course_id: c for c in seed()}
    additions = []
    for course in stored:
        if course.course_id in by_id:
            by_id[course.course_id] = course
        else:
            additions.append(course)
    merged = list(by_id.values()) + sorted(additions, key=lambda c: c.course_id)
    merged.sort(key=lambda c: DIMENSION_ORDER[c.dimension])  # stable: seed order, then additions
    return [c for c in merged if dimension is None or c.dimension is dimension]
