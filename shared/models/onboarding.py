"""The contract between a signed offer and onboarding: the message on the onboarding queue.

The offer side puts exactly one ``OnboardingRequest`` on ``OnboardingQueue`` when the e-signature
vendor reports the offer signed; the onboarding consumer is idempotent on ``offer_id``. The
message carries what the offer decided; everything else (scores, bar, department) the consumer
reads from the application and the requisition by id.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import ConfigDict, Field, StringConstraints

from shared.models.application import Email
from shared.models.common import Model, RoleFamily

Id = Annotated[str, StringConstraints(min_length=1, max_length=64)]


class OnboardingRequest(Model):
    model_config = ConfigDict(extra="forbid")

    offer_id: Id
    application_id: Id
    requisition_id: Id
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    email: Email
    department: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    role_family: RoleFamily
    title: Annotated[str, StringConstraints(min_length=1, max_length=200)] = Field(description="the job title")
    grade: Annotated[str, StringConstraints(min_length=1, max_length=50)]
    start_date: date
    signed_at: str = Field(description="ISO-8601 UTC time the e-signature vendor reported")
    documents_to_bring: list[Annotated[str, StringConstraints(min_length=1, max_length=200)]] = Field(
        default_factory=list, max_length=50
    )
