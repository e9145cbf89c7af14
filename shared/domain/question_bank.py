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

from collections.abc import Iterable
from functools import cache

from shared.domain.catalogue import SUFFIX, family_entries, make_family_id, parse_family_id, read_seed
from shared.models.common import Dimension
from shared.models.question_bank import BankFamily, Question, QuestionContent
from shared.vocabulary import DIMENSION_ORDER

SEED_RESOURCE = "data/question_bank.json"


@cache
def seed() -> tuple[Question, ...]:
    """Every seed question, in bank order. Read once per container."""
    questions = (
        Question(
            question_id=make_id(BankFamily(family), dimension, entry["id"]),
            role_family=BankFamily(family),
            dimension=dimension,
            origin="seed",
            **{field: entry[field] for field in QuestionContent.model_fields},
        )
        for family, dimension, entry in family_entries(read_seed(SEED_RESOURCE))
    )
    return tuple(ordered(questions))


def seed_question(question_id: str) -> Question | None:
    return _seed_by_id().get(question_id)


@cache
def _seed_by_id() -> dict[str, Question]:
    return {q.question_id: q for q in seed()}


def make_id(family: BankFamily, dimension: Dimension, suffix: str) -> str:
    return make_family_id(
        family, dimension, suffix, SUFFIX, "question id suffix {suffix} must be 2–32 lowercase letters or digits"
    )


def parse_id(question_id: str) -> tuple[BankFamily, Dimension] | None:
    """The family and dimension a question id names, or None for anything that is not a question id."""
    return parse_family_id(question_id, SUFFIX, BankFamily)


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
