"""Privacy: erasure of a candidate's personal data and the explanation of automated assessment."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints

from shared.models.common import Request, Response
from shared.security.audited import audited
from shared.vocabulary import Stage

Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class ContactDetails(Response):
    """One candidate's contact details and national ID in clear (decrypted for this read; audited)."""

    application_id: str
    name: str
    email: str = Field(json_schema_extra=audited("contact.read"))
    phone: str = Field(json_schema_extra=audited("contact.read"))
    national_id: str = Field(json_schema_extra=audited("contact.read"))


class ErasureRequest(Request):
    """Why the person's data is erased (e.g. the candidate's request under PIPL art. 47); audited."""

    reason: Reason = Field(description="why the personal data is erased; recorded in the audit trail")


class ErasureReceipt(Response):
    """``erased`` on the call that erased; ``already_erased`` on every later call (200 both times)."""

    application_id: str
    status: Literal["erased", "already_erased"]
    erased_at: str
    erased_by: str
    stage_reached: Stage
    items_scrubbed: int = Field(description="items of the archive rewritten without personal data (this call)")
    items_deleted: int = Field(description="video links and mail markers removed (this call)")
    objects_deleted: int = Field(description="S3 object versions removed: resume, videos, offer documents (this call)")
    kept: list[str] = Field(description="what stays, anonymised, for the validity statistics")


class ScreeningExplained(Response):
    passed: bool
    score: float
    matched_required: list[str]
    missing_required: list[str]
    matched_preferred: list[str]
    negated: list[str] = Field(
        default_factory=list, description="keywords the resume names only in the negative, with the words it used"
    )
    proposal: Literal["advance", "reject"] = Field(description="what the keyword screening proposed; HR decides")
    decision: Literal["advance", "reject"] | None = Field(description="HR's decision on the proposal, if any")
    decided_by: str | None


class DimensionExplained(Response):
    dimension: str
    label_zh: str
    label_en: str
    score: float
    bar: int | None = Field(description="the requisition's competency bar; null when it sets none")
    meets_bar: bool | None
    weight: float


class HumanDecision(Response):
    at: str
    actor: str
    action: str
    from_stage: str | None = None
    to_stage: str | None = None
    decision: str | None = None
    reason: str | None = None


class Explanation(Response):
    """What the automated assessment said about a candidate, in plain language (zh and en)."""

    model_config = ConfigDict(json_schema_extra=audited("explanation.read"))

    application_id: str
    requisition_id: str
    stage: Stage
    screening: ScreeningExplained | None
    dimensions: list[DimensionExplained]
    overall_score: float | None
    weighted_score: float | None
    rank: int | None = Field(description="1 = highest weighted score among the requisition's applications in the pool")
    scored: int = Field(description="applications of the requisition with an AI result")
    human_decisions: list[HumanDecision] = Field(description="the decisions people recorded, oldest first")
    automated_rejection: bool = Field(description="true only if an automated step ended the application (never)")
    ended_by: HumanDecision | None = Field(description="the decision that rejected or withdrew the application")
    summary_zh: list[str]
    summary_en: list[str]
