"""Second-interview evaluations: an interviewer's or manager's per-dimension ratings, comment and
recommendation, and how each rating compares with the AI interview score."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints

from shared.models.common import Dimension, Model, Request, Response
from shared.vocabulary import Recommendation

Rating = Annotated[int, Field(ge=0, le=100)]


class EvaluationSubmit(Request):
    """One evaluator's evaluation of one application. The first is created without ``version``; to
    replace your own, send it again with the ``version`` you read (409 otherwise)."""

    ratings: dict[Dimension, Rating] = Field(
        min_length=1, description="0–100 per dimension of the requisition; dimensions you did not assess are left out"
    )
    comment: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4_000)]
    recommendation: Recommendation
    version: int | None = Field(default=None, ge=1, description="to replace your evaluation: the version you read")


class Evaluation(Model):
    """The stored evaluation (``APP#<application>`` / ``EVAL#<evaluator>``)."""

    model_config = ConfigDict(extra="ignore")

    application_id: str
    evaluator: str
    evaluator_role: Literal["interviewer", "manager"]
    ratings: dict[Dimension, int]
    comment: str
    recommendation: Recommendation
    version: int
    created_at: str
    updated_at: str


class DimensionComparison(Response):
    """One rated dimension: the human rating, the AI score, and ``gap`` = human − AI (null without an AI score)."""

    dimension: Dimension
    label: str
    human: int
    ai: float | None
    gap: float | None


class EvaluationView(Response):
    evaluator: str
    evaluator_role: Literal["interviewer", "manager"]
    recommendation: Recommendation
    comment: str
    dimensions: list[DimensionComparison]
    ai_webhook_id: str | None = Field(description="the AI result the gaps compare with (the current one)")
    version: int
    created_at: str
    updated_at: str
