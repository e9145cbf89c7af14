"""Assembling an application's second-interview kit.

Reads: the application's partition (ONE Query: the application, its score history with the AI
transcript), the requisition (GetItem), and the bank of the requisition's role family (ONE Query;
a second one on the ``general`` bank only when the family has too few questions for a probed
dimension). The rules live in ``shared.domain.interview_kit`` and ``shared.domain.radar``.
"""

from __future__ import annotations

from shared.domain import interview_kit as rules
from shared.domain import radar
from shared.errors import NotFound
from shared.models.common import Dimension
from shared.models.interview_kit import (
    InterviewKit,
    KitAiReport,
    KitFocus,
    KitProvenance,
    KitQuestion,
    TranscriptExcerpt,
)
from shared.models.question_bank import BankFamily
from shared.models.radar import RadarAxisView
from shared.models.requisition import Requisition
from shared.services.archive import Archive
from shared.services.question_bank import QuestionBank


def build(archive: Archive, req: Requisition, bank: QuestionBank) -> InterviewKit:
    app = archive.application
    if app.ai is None:
        raise NotFound(f"application {app.id} has no AI interview result yet")
    ai = app.ai
    chart = radar.build(req.dimension_weights, ai.dimension_scores, req.competency_bar)
    targets = rules.targets(chart)
    dimensions = [Dimension(t.axis.dimension) for t in targets]
    pool = bank.for_kit(req.role_family, dimensions, rules.QUESTIONS_PER_DIMENSION) if dimensions else []
    family = BankFamily(req.role_family.value)
    answers = sorted(archive.questions, key=lambda q: q.score)
    focus = []
    for target, dimension in zip(targets, dimensions, strict=True):
        chosen = rules.choose(pool, family, dimension, app.id)
        focus.append(
            KitFocus(
                dimension=dimension,
                label=target.axis.label,
                reason=target.reason,
                score=target.axis.score,
                bar=target.axis.bar,
                questions=[KitQuestion(bank=q.role_family, **q.model_dump(exclude={"role_family"})) for q in chosen],
                transcript=[
                    TranscriptExcerpt(question_id=a.question_id, score=a.score, transcript_excerpt=a.transcript_excerpt)
                    for a in answers
                    if a.dimension is dimension and a.transcript_excerpt.strip()
                ],
            )
        )
    return InterviewKit(
        application_id=app.id,
        requisition_id=req.id,
        requisition_title=req.title,
        department=app.department,
        role_family=req.role_family,
        name=app.name,
        stage=app.stage,
        ai=KitAiReport(
            dimensions=[RadarAxisView(**a.__dict__) for a in chart.axes],
            strengths=chart.strengths,
            weak=chart.weak,
            rule=radar.RULE,
            overall_score=ai.overall_score,
            weighted_score=ai.weighted_score,
            provenance=KitProvenance.model_validate(ai.model_dump()),
        ),
        focus=focus,
        selection_rule=rules.SELECTION_RULE,
    )
