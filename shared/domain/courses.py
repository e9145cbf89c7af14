"""The course catalogue's pure rules: the seed (``shared/data/course_catalog.json``, shipped in the
``shared`` package) and how HR's stored changes override it.

A course id is ``<dimension>.<suffix>`` (seed: ``teamwork.01``; HR's additions: a random hex
suffix); a stored course with a seed course's id replaces that seed entry (edit or retirement).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache
from importlib import resources

from shared.models.common import Dimension
from shared.models.training import Course
from shared.vocabulary import DIMENSION_ORDER

SEED_RESOURCE = "data/course_catalog.json"
_SUFFIX = re.compile(r"^[0-9a-z]{2,32}$")


@cache
def seed() -> tuple[Course, ...]:
    raw = json.loads(resources.files("shared").joinpath(SEED_RESOURCE).read_text(encoding="utf-8"))
    courses = []
    for dimension, entries in raw["courses"].items():
        for entry in entries:
            fields = {k: v for k, v in entry.items() if k != "suffix"}
            courses.append(
                Course(
                    course_id=make_id(Dimension(dimension), entry["suffix"]),
                    dimension=dimension,
                    origin="seed",
                    **fields,
                )
            )
    return tuple(courses)


def make_id(dimension: Dimension, suffix: str) -> str:
    return f"{dimension.value}.{suffix}"


def parse_id(course_id: str) -> Dimension | None:
    dimension, dot, suffix = course_id.partition(".")
    if not dot or dimension not in DIMENSION_ORDER or not _SUFFIX.match(suffix):
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
