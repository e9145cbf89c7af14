"""The second-interview question bank: read (hr, manager, interviewer), maintained by HR."""

from __future__ import annotations

from typing import Any

from functions.catalogues import Catalogue
from functions.http import Call, ok
from functions.verbs import Routes
from shared.models.question_bank import (
    BankQuestionView,
    QuestionBankList,
    QuestionBankQuery,
    QuestionCreate,
    QuestionRetire,
    QuestionUpdate,
)
from shared.security.policy import Action, authorize
from shared.services.question_bank import QuestionBank

bp = Routes(__name__)
QUESTIONS = Catalogue(
    QuestionBank, BankQuestionView, Action.question_bank_read, Action.question_bank_write, "question_bank.add"
)


@bp.get("/question-bank", query=QuestionBankQuery, response=QuestionBankList)
def list_questions(call: Call[None, QuestionBankQuery]) -> Any:
    """The probing questions of one role family (optionally one dimension), in bank order.

    The seed bank with HR's additions, edits and retirements applied; ``status`` selects active
    (default), retired or all questions. A bounded catalogue, returned whole."""
    authorize(call.who, Action.question_bank_read)
    query = call.query
    items = QuestionBank().questions(query.role_family, query.dimension, query.status)
    return ok(
        QuestionBankList(
            role_family=query.role_family,
            dimension=query.dimension,
            status=query.status,
            items=[QUESTIONS.shown(q) for q in items],
        )
    )


@bp.get("/question-bank/{question_id}", response=BankQuestionView)
def get_question(call: Call, question_id: str) -> Any:
    """One question of the bank, with its current version (send it back to edit or retire)."""
    return QUESTIONS.get(call, question_id)


@bp.post("/question-bank", body=QuestionCreate, response=BankQuestionView, status=201)
def add_question(call: Call[QuestionCreate, None]) -> Any:
    """Add a question to a family's bank for one dimension (hr); version 1, audited.

    ``Idempotency-Key`` makes a retry return the same question."""
    return QUESTIONS.add(call)


@bp.put("/question-bank/{question_id}", body=QuestionUpdate, response=BankQuestionView)
def edit_question(call: Call[QuestionUpdate, None], question_id: str) -> Any:
    """Replace a question's text (hr), conditional on the version read: 409 when it is stale or the
    question is retired. Family and dimension cannot change (retire it and add a new one)."""
    return QUESTIONS.edit(call, question_id)


@bp.delete("/question-bank/{question_id}", body=QuestionRetire, response=BankQuestionView)
def retire_question(call: Call[QuestionRetire, None], question_id: str) -> Any:
    """Retire a question (hr) with a reason, conditional on the version read (409 when stale). It is
    kept in the bank, marked retired, and no longer chosen for interview kits."""
    return QUESTIONS.retire(call, question_id)
