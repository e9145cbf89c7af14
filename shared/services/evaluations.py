"""Second-interview evaluations: one per evaluator per application (``shared/store/evaluations.py``).

The first submission creates the evaluator's evaluation; a replacement must name the version the
evaluator read. Ratings are checked against the requisition's dimensions and shown next to the AI's.
"""

from __future__ import annotations

from typing import Literal

from shared.domain.evaluations import compare, outside
from shared.errors import Conflict, ValidationFailed
from shared.models.application import Application
from shared.models.common import iso, utcnow
from shared.models.evaluation import DimensionComparison, Evaluation, EvaluationSubmit, EvaluationView
from shared.models.interview import AiResult
from shared.models.requisition import Requisition
from shared.store.audit import AuditEntry
from shared.store.evaluations import EvaluationStore
from shared.store.repository import Repository


def view(evaluation: Evaluation, ai: AiResult | None) -> EvaluationView:
    """The evaluation with each rating next to the current AI score and the gap (human − AI)."""
    rows = compare(evaluation.ratings, ai.dimension_scores if ai else None)
    return EvaluationView(
        evaluator=evaluation.evaluator,
        evaluator_role=evaluation.evaluator_role,
        recommendation=evaluation.recommendation,
        comment=evaluation.comment,
        dimensions=[DimensionComparison.model_validate(r.__dict__) for r in rows],
        ai_webhook_id=ai.webhook_id if ai else None,
        version=evaluation.version,
        created_at=evaluation.created_at,
        updated_at=evaluation.updated_at,
    )


class Evaluations:
    def __init__(self, repo: Repository | None = None) -> None:
        self.store = EvaluationStore(repo or Repository())

    def submit(
        self,
        app: Application,
        req: Requisition,
        evaluator: str,
        role: Literal["interviewer", "manager"],
        body: EvaluationSubmit,
        source_ip: str | None,
    ) -> tuple[Evaluation, bool]:
        """Create the evaluator's evaluation, or replace it when ``body.version`` is the stored one.
        Returns the stored evaluation and whether it was created."""
        unknown = outside(body.ratings, req.dimension_weights)
        if unknown:
            allowed = ", ".join(d.value for d in req.dimension_weights)
            raise ValidationFailed(
                "the ratings name dimensions the requisition does not assess",
                [
                    {"field": f"ratings.{d}", "message": f"{d} is not a dimension of this requisition ({allowed})"}
                    for d in unknown
                ],
            )
        current = self.store.get(app.id, evaluator)
        if current is None and body.version is not None:
            raise Conflict(
                f"you have no evaluation of application {app.id} to replace; send it without version",
                [{"field": "version", "message": "nothing to replace"}],
            )
        if current is not None and body.version != current.version:
            said = "without a version" if body.version is None else f"with version {body.version}"
            raise Conflict(
                f"your evaluation of application {app.id} is at version {current.version}; you sent it {said}. "
                "Send the version you read to replace it",
                [{"field": "version", "message": f"the current version is {current.version}"}],
            )
        now = iso(utcnow())
        after = Evaluation(
            application_id=app.id,
            evaluator=evaluator,
            evaluator_role=role,
            ratings=dict(body.ratings),
            comment=body.comment,
            recommendation=body.recommendation,
            version=1 if current is None else current.version + 1,
            created_at=now if current is None else current.created_at,
            updated_at=now,
        )
        audit = AuditEntry(
            subject=f"application:{app.id}",
            actor=evaluator,
            action="evaluation.create" if current is None else "evaluation.replace",
            details={
                "evaluator_role": role,
                "version": after.version,
                "recommendation": after.recommendation.value,
                "ratings": {d.value: r for d, r in after.ratings.items()},
            },
            source_ip=source_ip,
        )
        self.store.put(after, None if current is None else current.version, audit)
        return after, current is None
