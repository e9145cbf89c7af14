"""Background checks (背景调查): the order HR places, the vendor's result, the stored check and its views.

The stored check lives at ``APP#<application>`` / ``BGC#<check-id>`` (see ``shared.store.background``);
``shared.domain.readiness`` reads its ``status``, ``outcome`` and ``ordered_at``.
"""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from shared.models.common import Dimension, Model, Request, Response, RoleFamily
from shared.security.audited import audited
from shared.security.fields import is_sealed, reveal

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2_000)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1_000)]
Ident = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Timestamp = Annotated[
    str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
]

CheckStatus = Literal["ordered", "submitted", "completed", "failed"]
Outcome = Literal["clear", "consider"]


class CheckKind(StrEnum):
    education = "education"  # 学历核验
    employment = "employment"  # 工作履历
    credit = "credit"  # 征信记录


class PerformanceRank(StrEnum):
    top_10_percent = "top_10_percent"  # 绩效前10%
    top_20_percent = "top_20_percent"  # 绩效前20%
    top_50_percent = "top_50_percent"
    bottom_50_percent = "bottom_50_percent"
    unknown = "unknown"


# -- HR's order and review --------------------------------------------------------------------------


class BackgroundCheckOrder(Request):
    """What HR orders: the checks wanted and the reference of the candidate's signed consent."""

    checks: list[CheckKind] = Field(min_length=1, max_length=3, description="education, employment and/or credit")
    consent_reference: Text = Field(description="reference of the candidate's written consent (授权书编号)")

    @model_validator(mode="after")
    def _distinct(self) -> BackgroundCheckOrder:
        if len(set(self.checks)) != len(self.checks):
            raise ValueError("checks must not repeat a kind")
        return self


class BackgroundReview(Request):
    """HR's decision on a completed check after reviewing it (e.g. a discrepancy explained)."""

    outcome: Outcome
    reason: Reason = Field(description="why HR sets this outcome; recorded in the check's history and the audit")
    version: int | None = Field(default=None, ge=1, description="refuse (409) if the check changed since read")


# -- the vendor's result (POST /webhooks/background-checks) ----------------------------------------


class _Vendor(Model):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class EducationResult(_Vendor):
    school: Text
    degree: Text
    verified: bool
    discrepancy: Note | None = Field(default=None, description="what differs from the candidate's claim, if anything")


class EmploymentRecord(_Vendor):
    employer: Text
    role: Text
    role_family: RoleFamily | None = None
    start_date: date
    end_date: date | None = None
    performance_rank: PerformanceRank = PerformanceRank.unknown
    verified: bool
    discrepancy: Note | None = None

    @model_validator(mode="after")
    def _dates(self) -> EmploymentRecord:
        if self.end_date is not None and self.end_date < self.start_date:
            raise ValueError("end_date is before start_date")
        return self


class CreditRecord(_Vendor):
    status: Literal["clear", "adverse", "unavailable"]
    notes: Note = ""


class BackgroundResultPayload(_Vendor):
    """The vendor's result (``events/webhooks/background-check-result.json``)."""

    check_reference: Ident = Field(description="our check id, as sent in the order")
    vendor_reference: Ident | None = None
    status: Literal["completed", "failed"] = "completed"
    failure_reason: Note | None = Field(default=None, description="why the vendor could not complete the check")
    education: EducationResult | None = None
    employment: list[EmploymentRecord] = Field(default_factory=list, max_length=50)
    credit: CreditRecord | None = None
    discrepancies: list[Note] = Field(default_factory=list, max_length=50)
    completed_at: Timestamp

    @model_validator(mode="after")
    def _failed_says_why(self) -> BackgroundResultPayload:
        if self.status == "failed" and not self.failure_reason:
            raise ValueError("failure_reason is required when status is failed")
        return self


# -- what is stored and sent -------------------------------------------------------------------------


class HistoryEntry(Model):
    at: str
    actor: str
    action: str  # ordered | submitted | completed | failed | reviewed
    status: CheckStatus
    outcome: Outcome | None = None
    reason: str | None = None


class BackgroundCheck(Model):
    """The stored check (``APP#<application>`` / ``BGC#<check-id>``)."""

    model_config = ConfigDict(extra="ignore")

    check_id: str
    application_id: str
    status: CheckStatus
    outcome: Outcome | None = None
    checks: list[CheckKind]
    consent_reference: str
    vendor_id: str
    vendor_reference: str | None = None
    ordered_at: str
    ordered_by: str
    submitted_at: str | None = None
    completed_at: str | None = None
    received_at: str | None = None
    result: BackgroundResultPayload | None = None
    failure_reason: str | None = None
    webhook_id: str | None = None
    history: list[HistoryEntry] = Field(default_factory=list)
    version: int = 1
    updated_at: str

    @model_validator(mode="before")
    @classmethod
    def _reveal_credit(cls, data: Any) -> Any:
        """The credit details are stored sealed (``shared/store/background.py``); a stored check is read in
        clear only by the code that shows or weighs its result. Items written before stay plain."""
        if isinstance(data, dict) and isinstance(data.get("result"), dict):
            credit = data["result"].get("credit")
            if is_sealed(credit):
                data = data | {"result": data["result"] | {"credit": json.loads(reveal(credit, "credit"))}}
        return data


class OrderMessage(Model):
    """One message on ``BackgroundCheckQueue``: which check to send to the vendor (no personal data)."""

    application_id: str
    check_id: str


class VendorOrder(Model):
    """What the vendor adapter sends: our reference (the check id) and what is to be verified."""

    reference: str
    checks: list[CheckKind]
    consent_reference: str
    candidate_name: str
    national_id: str
    claimed_education: str
    claimed_experience: str


# -- views ------------------------------------------------------------------------------------------


class BackgroundCheckView(Response):
    check_id: str
    application_id: str
    status: CheckStatus
    outcome: Outcome | None
    checks: list[CheckKind]
    consent_reference: str
    vendor_id: str
    vendor_reference: str | None
    ordered_at: str
    ordered_by: str
    submitted_at: str | None
    completed_at: str | None
    received_at: str | None
    result: BackgroundResultPayload | None = Field(json_schema_extra=audited("background_check.read"))
    failure_reason: str | None
    history: list[HistoryEntry]
    version: int


class ConfidenceReason(Response):
    code: str
    delta: float
    reason_zh: str
    reason_en: str


class DimensionConfidenceView(Response):
    """One AI dimension score with how far verified facts support it (0–1) and why."""

    dimension: Dimension
    score: float | None
    confidence: float
    weighted_score: float | None = Field(default=None, description="the score weighed by its confidence")
    reasons: list[ConfidenceReason]


class ConfidenceView(Response):
    based_on_check: str | None = Field(description="the completed check whose facts were used (null: none yet)")
    overall_confidence: float
    overall_reasons: list[ConfidenceReason]
    flags: list[str]
    dimensions: list[DimensionConfidenceView]
    rule: str
    weighted_score: float | None = Field(
        default=None, description="the requisition's weighted score of the confidence-weighted dimension scores"
    )
    ai_weighted_score: float | None = Field(default=None, description="the same of the AI scores as delivered")
    explanation_zh: str = ""
    explanation_en: str = ""


class BackgroundSection(Response):
    """The archive's background section: every check (newest first) and the confidence in each AI score."""

    checks: list[BackgroundCheckView]
    confidence: ConfidenceView


class BackgroundCheckList(Response):
    application_id: str
    stage: str
    items: list[BackgroundCheckView]
    confidence: ConfidenceView


class BackgroundWebhookReceipt(Response):
    status: Literal["completed", "failed", "duplicate", "ignored"]
    webhook_id: str
    check_id: str | None = None


def view(check: BackgroundCheck) -> BackgroundCheckView:
    return BackgroundCheckView.model_validate(check.model_dump())


def as_item(check: BackgroundCheck) -> dict[str, Any]:
    return {
        "pk": f"APP#{check.application_id}",
        "sk": f"BGC#{check.check_id}",
        "type": "background_check",
        **check.model_dump(mode="json"),
    }
