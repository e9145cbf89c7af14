"""AI interview results: the canonical payload vendors send, and what we store."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AnyHttpUrl, ConfigDict, Field, StringConstraints, model_validator

from shared.models.common import Dimension, Model, Request
from shared.security.audited import audited

Score = Annotated[float, Field(ge=0, le=100)]
Ident = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class QuestionResult(Request):
    question_id: Ident
    dimension: Dimension
    score: Score
    transcript_excerpt: Annotated[str, StringConstraints(max_length=2_000)] = ""


class CanonicalResult(Request):
    """The canonical webhook payload (``events/webhooks/canonical-result.json``). Scores are 0–100."""

    vendor_id: Ident
    requisition_id: Ident
    application_id: Ident | None = None
    external_ref: Ident | None = Field(default=None, description="the applicant's reference, when our id is unknown")
    dimension_scores: dict[Dimension, Score] = Field(min_length=1)
    overall_score: Score
    questions: list[QuestionResult] = Field(default_factory=list, max_length=200)
    model_version: Ident
    video_url: AnyHttpUrl | None = None
    completed_at: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")

    @model_validator(mode="after")
    def _addressed(self) -> CanonicalResult:
        if not self.application_id and not self.external_ref:
            raise ValueError("either application_id or external_ref is required")
        return self


class Provenance(Model):
    """Where an AI result came from: the vendor's delivery (its webhook id) and when."""

    model_config = ConfigDict(extra="ignore")

    vendor_id: str
    model_version: str
    webhook_id: str
    completed_at: str
    received_at: str


class AiResult(Provenance):
    """The AI interview result as stored on the application (the latest by ``completed_at``)."""

    overall_score: float
    dimension_scores: dict[Dimension, float]
    weighted_score: float
    video_url: str | None = Field(default=None, json_schema_extra=audited("video.read"))


class ScoreRecord(AiResult):
    """One delivered result in the application's history, with its provenance."""

    questions: list[dict[str, Any]] = Field(default_factory=list)
    raw_payload: str
    superseded: bool = False


class WebhookReceipt(Model):
    """200: ``stored`` (in the application's history; applied to the application moments later, an
    older result kept as superseded) or ``duplicate`` (this webhook-id was already stored; nothing
    changed). 202: ``parked`` (no application has this reference yet; attached when one appears)."""

    status: Literal["stored", "duplicate", "parked"]
    webhook_id: str
    application_id: str | None
