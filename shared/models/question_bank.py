"""The second-interview question bank: probing questions keyed by role family × dimension.

The seed bank (``shared/data/question_bank.json``) is the default content; HR's additions, edits and
retirements are stored in DynamoDB and override it (see ``shared/services/question_bank.py``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints

from shared.models.common import Dimension, Model, Request, Response, Version
from shared.vocabulary import BankFamily as BankFamily

QuestionText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=5, max_length=500)]
AnswerText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=5, max_length=1_000)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=500)]


class QuestionContent(Request):
    text_zh: QuestionText = Field(description="the question in Chinese (中文题干)")
    text_en: QuestionText = Field(description="its English translation")
    strong_answer_zh: AnswerText = Field(description="what a strong answer shows (优秀回答要点)")
    strong_answer_en: AnswerText = Field(description="what a strong answer shows, in English")


class QuestionCreate(QuestionContent):
    """A new question (hr). Role family and dimension are fixed for the question's life."""

    role_family: BankFamily
    dimension: Dimension


class QuestionUpdate(QuestionContent):
    """The question's new text (hr): every text field, and the version that was read."""

    version: Version


class QuestionRetire(Request):
    """Retire a question (hr): it stays in the bank, marked retired, and is no longer chosen for kits."""

    reason: Reason
    version: Version


class Question(Model):
    """A question as the bank holds it (seed entry, or the stored item that overrides it)."""

    model_config = ConfigDict(extra="ignore")

    question_id: str
    role_family: BankFamily
    dimension: Dimension
    text_zh: str
    text_en: str
    strong_answer_zh: str
    strong_answer_en: str
    origin: Literal["seed", "hr"]
    status: Literal["active", "retired"] = "active"
    version: int = 1
    retired_reason: str | None = None
    retired_at: str | None = None
    retired_by: str | None = None
    created_at: str | None = None
    created_by: str | None = None
    updated_at: str | None = None
    updated_by: str | None = None


class BankQuestionView(Question):
    """A question as the API shows it: the same fields as the bank holds."""


class QuestionBankQuery(Request):
    role_family: BankFamily
    dimension: Dimension | None = None
    status: Literal["active", "retired", "all"] = Field(default="active", description="which questions to list")


class QuestionBankList(Response):
    """The whole bank of one family (optionally one dimension): a bounded catalogue, not paginated."""

    role_family: BankFamily
    dimension: Dimension | None
    status: Literal["active", "retired", "all"]
    items: list[BankQuestionView]
