"""The talent archive: every section of an application, from ONE query on its partition."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel

from shared.errors import NotFound
from shared.models.application import Application
from shared.models.archive import QuestionView, Ranking, VideoRef
from shared.models.assessment import AssessmentRequest
from shared.models.background import BackgroundCheck
from shared.models.common import Dimension
from shared.models.evaluation import Evaluation
from shared.models.interview import ScoreRecord
from shared.models.offer import Offer
from shared.services import confidence
from shared.store.repository import Repository


@dataclass
class Archive:
    application: Application
    history: list[ScoreRecord] = field(default_factory=list)
    videos: list[VideoRef] = field(default_factory=list)
    evaluations: list[Evaluation] = field(default_factory=list)
    offers: list[Offer] = field(default_factory=list)
    ranking: Ranking | None = None
    assessments: list[AssessmentRequest] = field(default_factory=list)
    background_checks: list[BackgroundCheck] = field(default_factory=list)
    weights: dict[Dimension, float] = field(default_factory=dict)  # the requisition's (read with the rank)

    @property
    def questions(self) -> list[QuestionView]:
        latest = self.application.ai
        if latest is None:
            return []
        for record in self.history:
            if record.webhook_id == latest.webhook_id:
                return [QuestionView.model_validate(q) for q in record.questions]
        return []


# the sort-key prefix of each section of the partition: the archive's list it goes to, and its model
SECTIONS: dict[str, tuple[str, type[BaseModel]]] = {
    "SCORE#": ("history", ScoreRecord),
    "VIDEO#": ("videos", VideoRef),
    "EVAL#": ("evaluations", Evaluation),
    "ASSESS#": ("assessments", AssessmentRequest),
    "BGC#": ("background_checks", BackgroundCheck),
    "OFFER#": ("offers", Offer),
}


def load(repo: Repository, application_id: str, with_rank: bool = True) -> Archive:
    items = repo.applications.partition(application_id)
    meta = next((i for i in items if i["sk"] == "META"), None)
    if meta is None:
        raise NotFound(f"application {application_id} does not exist")
    archive = Archive(Application.model_validate(meta))
    for item in items:
        section = next((s for prefix, s in SECTIONS.items() if item["sk"].startswith(prefix)), None)
        if section is not None:
            getattr(archive, section[0]).append(section[1].model_validate(item))
    archive.history.sort(key=lambda r: r.completed_at, reverse=True)
    archive.evaluations.sort(key=lambda e: (e.created_at, e.evaluator))
    archive.assessments.sort(key=lambda a: (a.requested_at, a.request_id))
    archive.offers.sort(key=lambda o: o.created_at, reverse=True)
    if with_rank:
        req = repo.requisitions.require(archive.application.requisition_id, max_age=60)  # (cached: the weights)
        archive.weights = dict(req.dimension_weights)
    if with_rank and archive.application.ai is not None:
        weighed = confidence.weighed(archive.application, archive.background_checks, archive.weights)
        archive.ranking = Ranking(
            weighted_score=archive.application.ai.weighted_score,
            rank=repo.applications.higher_scored(archive.application) + 1,
            confidence_weighted_score=weighed.weighted,
            explanation_zh=weighed.explanation_zh,
            explanation_en=weighed.explanation_en,
        )
    return archive
