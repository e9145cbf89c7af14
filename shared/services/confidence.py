"""Confidence as the decisions use it: the newest completed background check's facts, compared with
what the applicant declared and read as HR reviewed it (``shared/domain/confidence.py``), weighing the
AI scores the salary proposal, the candidate view and the training plan use."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from shared.domain import confidence
from shared.domain.background import latest
from shared.models.application import Application
from shared.models.background import BackgroundCheck
from shared.models.common import Dimension


def review_of(check: BackgroundCheck) -> confidence.Review | None:
    """HR's latest review of the check, over the outcome the vendor's result gave."""
    reviewed = [h for h in check.history if h.action == "reviewed" and h.outcome]
    if not reviewed:
        return None
    vendor = next((h.outcome for h in check.history if h.action == "completed"), None)
    last = reviewed[-1]
    return confidence.Review(outcome=str(last.outcome), vendor_outcome=vendor, reason=last.reason or "", by=last.actor)


def completed_check(checks: Sequence[BackgroundCheck]) -> BackgroundCheck | None:
    return latest(c for c in checks if c.status == "completed" and c.result is not None)


def report(
    app: Application, checks: Sequence[BackgroundCheck]
) -> tuple[BackgroundCheck | None, confidence.ConfidenceReport]:
    completed = completed_check(checks)
    scores: dict[Dimension, float] = dict(app.ai.dimension_scores) if app.ai else {}
    declared = confidence.Declared(app.education, app.experience, app.experience_years)
    review = review_of(completed) if completed else None
    return completed, confidence.assess(
        scores, completed.result if completed else None, declared=declared, review=review
    )


def weighed(
    app: Application, checks: Sequence[BackgroundCheck], weights: Mapping[Dimension, float]
) -> confidence.Weighed:
    """The application's AI scores weighed by the confidence its checks give, with the explanation."""
    return confidence.weigh(report(app, checks)[1], weights)
