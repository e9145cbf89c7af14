"""The question bank's pure rules: the seed content, question ids, and how HR's changes override it.

* The seed (``shared/data/question_bank.json``, shipped inside the ``shared`` package so it is in
  the Lambda zip) holds behavioural probing questions per role family and dimension, each in
  Chinese with an English translation and what a strong answer shows. Seed questions have
  version 1.
* A question id is ``<role_family>.<dimension>.<suffix>`` (seed: ``customer_manager.expression.01``;
  HR additions: a random hex suffix). Clients treat it as opaque; the service reads the family and
  dimension from it, so an edit or a retirement is one GetItem on the question's own key.
* A stored question with the id of a seed question replaces that seed entry (an edit or a
  retirement of seed content); the others are HR's additions.

Pure logic: reading a file packaged with the code is the only I/O.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache
from importlib import resources

from shared.models.common import Dimension
from shared.models.question_bank import BankFamily, Question
from shared.vocabulary import DIMENSION_ORDER

SEED_RESOURCE = "data/question_bank.json"
_SUFFIX = re.compile(r"^[0-9a-z]{2,32}$")


@cache
def seed() -> tuple[Question, ...]:
    """Every seed question, in bank order. Read once per container."""
    raw = json.loads(resources.files("shared").joinpath(SEED_RESOURCE).read_text(encoding="utf-8"))
    questions = []
    for family, dimensions in raw["families"].items():
        for dimension, entries in dimensions.items():
            for entry in entries:
                questions.append(
                    Question(
                        question_id=make_id(BankFamily(family), Dimension(dimension), entry["id"]),
                        role_family=BankFamily(family),
                        dimension=Dimension(dimension),
                        text_zh=entry["text_zh"],
                        text_en=entry["text_en"],
                        strong_answer_zh=entry["strong_answer_zh"],
                        strong_answer_en=entry["strong_answer_en"],
                        origin="seed",
                    )
                )
    return tuple(ordered(questions))


def seed_question(question_id: str) -> Question | None:
    return _seed_by_id().get(question_id)


@cache
def _seed_by_id() -> dict[str, Question]:
    return {q.question_id: q for q in seed()}


def make_id(family: BankFamily, dimension: Dimension, suffix: str) -> str:
    if not _SUFFIX.match(suffix):
        raise ValueError(f"question id suffix {suffix!r} must be 2–32 lowercase letters or digits")
    return f"{family.value}.{dimension.value}.{suffix}"


def parse_id(question_id: str) -> tuple[BankFamily, Dimension] | None:
    """The family and dimension a question id names, or None for anything that is not a question id."""
    parts = question_id.split(".")
    if len(parts) != 3 or not _SUFFIX.match(parts[2]):
        return None
    try:
        return BankFamily(parts[0]), Dimension(parts[1])
    except ValueError:
        return None


def ordered(questions: Iterable[Question]) -> list[Question]:
    """Bank order: canonical dimension order, seed questions first, then HR's additions oldest first."""
    return sorted(
        questions,
        key=lambda q: (DIMENSION_ORDER[q.dimension], q.origin != "seed", q.created_at or "", q.question_id),
    )


def merge(seeded: Iterable[Question], stored: Iterable[Question]) -> list[Question]:
    """The effective bank: stored questions override seed questions with the same id."""
    by_id = {q.question_id: q for q in seeded}
    for q in stored:
        by_id[q.question_id] = q
    return ordered(by_id.values())


def effective(family: BankFamily, stored: Iterable[Question], dimension: Dimension | None = None) -> list[Question]:
    """The effective bank of one family (optionally one dimension), given its stored questions."""
    seeded = (q for q in seed() if q.role_family is family and (dimension is None or q.dimension is dimension))
    return merge(seeded, (q for q in stored if dimension is None or q.dimension is dimension))
