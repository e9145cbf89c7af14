"""The talent archive as each role may see it: one response model per role, never a trimmed dict."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, RootModel

from shared.models.application import ApplicationView, ScreeningResult
from shared.models.assessment import AssessmentView, InterviewerAssessmentView, ManagerAssessmentView
from shared.models.background import BackgroundSection
from shared.models.common import Dimension, Model, Response
from shared.models.evaluation import EvaluationView
from shared.models.interview import AiResult, Provenance
from shared.models.offer import OfferSummary
from shared.vocabulary import Stage


class ScoreProvenance(Provenance):
    """One delivered result: where it came from and whether a newer one replaced it."""

    overall_score: float
    weighted_score: float
    dimension_scores: dict[Dimension, float]
    superseded: bool


class ScoreProvenanceWithPayload(ScoreProvenance):
    raw_payload: str


class QuestionView(Model):
    question_id: str
    dimension: Dimension
    score: float
    transcript_excerpt: str = ""


class VideoRef(Model):
    video_id: str
    content_type: str
    size: int
    source: str
    uploaded_at: str


class Ranking(Model):
    weighted_score: float
    rank: int
    """1 = the highest weighted score among the requisition's scored applications."""
    confidence_weighted_score: float | None = None
    """The weighted score of the AI scores weighed by the background check's confidence (the score the
    candidate view shows and the salary proposal uses); ``explanation_*`` says how."""
    explanation_zh: str = ""
    explanation_en: str = ""


class AiReport(Response):
    """What an assigned interviewer sees: the AI assessment and nothing personal beyond the name.
    ``evaluations`` holds only the interviewer's own evaluation (or nothing): interviewers judge
    independently, without seeing the other evaluators' ratings."""

    view: Literal["interviewer"] = "interviewer"
    application_id: str
    requisition_id: str
    name: str
    stage: Stage
    ai: AiResult | None
    questions: list[QuestionView]
    evaluations: list[EvaluationView]
    assessments: list[InterviewerAssessmentView]
    """Supplementary assessments asked for: what and where they stand (no reasons or results)."""


class ManagerArchive(Response):
    """A department manager's view: the assessment and the process, without contact data or ID."""

    view: Literal["manager"] = "manager"
    application_id: str
    requisition_id: str
    department: str
    name: str
    stage: Stage
    education: str
    experience: str
    experience_years: float | None
    screening: ScreeningResult | None
    ai: AiResult | None
    questions: list[QuestionView]
    ranking: Ranking | None
    ai_history: list[ScoreProvenance]
    videos: list[VideoRef]
    evaluations: list[EvaluationView]
    """Every second-interview evaluation, each rating next to the AI score (gap = human − AI)."""
    assessments: list[ManagerAssessmentView]
    """Supplementary assessments: the request, HR's decision with its reason, the result."""
    created_at: str
    updated_at: str
    background: BackgroundSection
    """Background checks (newest first) and the confidence in each AI dimension score, with reasons."""
    offers: list[OfferSummary] = Field(default_factory=list)
    """The application's offers, newest first (salary included: managers approve them)."""


class HrArchive(ApplicationView):
    """HR's view: the whole archive, with each result's raw payload as provenance."""

    view: Literal["hr"] = "hr"
    application_id: str
    questions: list[QuestionView]
    ranking: Ranking | None
    ai_history: list[ScoreProvenanceWithPayload]
    videos: list[VideoRef]
    evaluations: list[EvaluationView]
    """Every second-interview evaluation, each rating next to the AI score (gap = human − AI)."""
    assessments: list[AssessmentView]
    """Every supplementary assessment request with its decision and result."""
    background: BackgroundSection
    """Background checks (newest first) and the confidence in each AI dimension score, with reasons."""
    offers: list[OfferSummary] = Field(default_factory=list)
    """The application's offers, newest first."""


class ArchiveView(RootModel[Annotated[HrArchive | ManagerArchive | AiReport, Field(discriminator="view")]]):
    """The talent archive: ``view`` says which role's shape it is."""

    model_config = ConfigDict(defer_build=True)  # as every Model (shared.models.common)


class InterviewersView(Response):
    application_id: str
    interviewers: list[str]
    version: int
