"""The second-interview question bank: read (hr, manager, interviewer), maintained by HR."""

from __future__ import annotations

from typing import Any

from functions.http import Call, ok
from functions.idempotency import created
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
            items=[BankQuestionView.model_validate(q.model_dump()) for q in items],
        )
    )


@bp.get("/question-bank/{question_id}", response=BankQuestionView)
def get_question(call: Call, question_id: str) -> Any:
    """One question of the bank, with its current version (send it back to edit or retire)."""
    authorize(call.who, Action.question_bank_read)
    return ok(BankQuestionView.model_validate(QuestionBank().get(question_id).model_dump()))


@bp.post("/question-bank", body=QuestionCreate, response=BankQuestionView, status=201)
def add_question(call: Call[QuestionCreate, None]) -> Any:
    """Add a question to a family's bank for one dimension (hr); version 1, audited.

    ``Idempotency-Key`` makes a retry return the same question."""
    authorize(call.who, Action.question_bank_write)
    body = call.body

    def make() -> BankQuestionView:
        return BankQuestionView.model_validate(QuestionBank().add(body, call.who.username, call.source_ip).model_dump())

    return created(call, "question_bank.add", body, make)


@bp.put("/question-bank/{question_id}", body=QuestionUpdate, response=BankQuestionView)
def edit_question(call: Call[QuestionUpdate, None], question_id: str) -> Any:
    """Replace a question's text (hr), conditional on the version read: 409 when it is stale or the
    question is retired. Family and dimension cannot change (retire it and add a new one)."""
    authorize(call.who, Action.question_bank_write)
    question = QuestionBank().edit(question_id, call.body, call.who.username, call.source_ip)
    return ok(BankQuestionView.model_validate(question.model_dump()))


@bp.delete("/question-bank/{question_id}", body=QuestionRetire, response=BankQuestionView)
def retire_question(call: Call[QuestionRetire, None], question_id: str) -> Any:
    """Retire a question (hr) with a reason, conditional on the version read (409 when stale). It is
    kept in the bank, marked retired, and no longer chosen for interview kits."""
    authorize(call.who, Action.question_bank_write)
    question = QuestionBank().retire(question_id, call.body, call.who.username, call.source_ip)
    return ok(BankQuestionView.model_validate(question.model_dump()))
