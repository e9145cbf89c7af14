"""Offers: the request HR sends, the stored offer, the approvals, the e-signature messages and the
views each role reads.

An offer lives in the application's partition (``APP#<application>`` / ``OFFER#<offer>``), beside
a lookup item ``OFFER#<offer>`` / ``META`` that names its application, so the e-signature callback
finds it with one GetItem. Status machine (every change conditional on ``version``, audited)::

    pending_approval ─▶ approved ─▶ sent ─▶ signed | declined | expired
           └─▶ rejected (by an approver)
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints

from shared.models.common import Dimension, Model, Request, Response, RoleFamily
from shared.security.audited import audited

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class OfferStatus(StrEnum):
    pending_approval = "pending_approval"
    approved = "approved"  # every approval step approved; queued for e-signature
    sent = "sent"  # out for signature at the vendor
    signed = "signed"
    declined = "declined"  # the candidate declined at the vendor
    expired = "expired"  # the vendor reports the signing window closed
    rejected = "rejected"  # an approver rejected it


# An offer in one of these no longer stands: HR may make a new one (when the application allows).
CLOSED = frozenset({OfferStatus.expired, OfferStatus.rejected, OfferStatus.declined})


class ApprovalStep(StrEnum):
    department_manager = "department_manager"  # a manager of the application's department
    hr_director = "hr_director"  # an HR user other than the one who made the offer (four eyes)


Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class OfferCreate(Request):
    """A personalised offer. ``annual_salary`` left out: proposed from the band and the AI score."""

    grade: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)] = Field(
        description="the bank's grade, e.g. P5"
    )
    annual_salary: int | None = Field(
        default=None, ge=0, le=100_000_000, description="yearly gross; must lie within the requisition's band"
    )
    benefits: list[ShortText] | None = Field(default=None, max_length=30, description="default: the bank's standard")
    start_date: date = Field(description="first working day; after today")
    work_location: ShortText
    documents_to_bring: list[ShortText] | None = Field(
        default=None, max_length=50, description="default: 身份证, 学历学位证书, 离职证明, 体检报告, 银行卡, 一寸照片"
    )
    expires_on: date = Field(description="the last day the candidate may sign; not before today, not after start")
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2_000)] | None = None
    headcount_override: Reason | None = Field(
        default=None, description="HR's reason to make an offer beyond the requisition's headcount (audited)"
    )
    probation_months: int = Field(default=3, ge=1, le=6, description="the probation period (1–6 months)")


class FirstYearCourse(Model):
    dimension: Dimension
    course_id: str
    title_zh: str
    title_en: str


class DevelopmentPath(Model):
    """What the offer promises beyond pay: a career track from the strengths, first-year training for
    the weak dimensions (both from the confidence-weighted competency profile)."""

    track_zh: str
    track_en: str
    strengths: list[Dimension]
    weak_dimensions: list[Dimension]
    first_year_training: list[FirstYearCourse]
    basis_zh: str
    basis_en: str


class ApprovalDecision(Request):
    decision: Literal["approve", "reject"]
    comment: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2_000)] | None = None
    version: int | None = Field(default=None, ge=1, description="the offer version you read (409 when stale)")


class ApprovalRecord(Model):
    step: ApprovalStep
    decision: Literal["approve", "reject"]
    by: str
    at: str
    comment: str | None = None


class SalaryProposal(Model):
    annual_salary: int
    source: Literal["given", "proposed"]
    basis: str = Field(description="how the figure was reached, in words")


class OfferTerms(Model):
    """What the offer letter states besides the figure and the grade (the stored offer and its view alike)."""

    currency: str
    salary_source: Literal["given", "proposed"]
    salary_basis: str
    benefits: list[str]
    start_date: date
    work_location: str
    documents_to_bring: list[str]
    expires_on: date


class Offer(OfferTerms):
    """The stored offer (``APP#<application>`` / ``OFFER#<offer>``)."""

    model_config = ConfigDict(extra="ignore")

    id: str
    application_id: str
    requisition_id: str
    department: str
    role_family: RoleFamily
    title: str
    name: str
    email: str
    grade: str
    annual_salary: int
    note: str | None = None
    probation_months: int = 3
    development_path: DevelopmentPath | None = None
    status: OfferStatus
    approval_chain: list[ApprovalStep]
    approvals: list[ApprovalRecord] = Field(default_factory=list)
    envelope_id: str | None = None
    html_key: str
    pdf_key: str
    created_by: str
    created_at: str
    updated_at: str
    sent_at: str | None = None
    signed_at: str | None = None
    closed_at: str | None = None
    version: int = 1

    @property
    def next_step(self) -> ApprovalStep | None:
        """The approval step waiting for a decision (None once every step approved or one rejected)."""
        if self.status is not OfferStatus.pending_approval:
            return None
        done = len(self.approvals)
        return self.approval_chain[done] if done < len(self.approval_chain) else None


class DocumentLinks(Response):
    html_url: str = Field(json_schema_extra=audited("offer.read"))
    pdf_url: str = Field(json_schema_extra=audited("offer.read"))
    expires_in: int


class OfferView(Response, OfferTerms):
    """An offer as HR and the department's managers read it, with short-lived document links."""

    id: str
    application_id: str
    requisition_id: str
    department: str
    title: str
    name: str
    grade: str
    annual_salary: int = Field(json_schema_extra=audited("offer.read"))
    note: str | None
    probation_months: int = 3
    development_path: DevelopmentPath | None = None
    status: OfferStatus
    approval_chain: list[ApprovalStep]
    approvals: list[ApprovalRecord]
    next_step: ApprovalStep | None
    envelope_id: str | None
    created_by: str
    created_at: str
    updated_at: str
    sent_at: str | None
    signed_at: str | None
    closed_at: str | None
    version: int
    documents: DocumentLinks | None = None


class OfferList(Response):
    items: list[OfferView]


class OfferSummary(Response):
    """The offer section of the talent archive (HR and the department's managers only)."""

    id: str
    status: OfferStatus
    grade: str
    annual_salary: int = Field(json_schema_extra=audited("offer.read"))
    currency: str
    start_date: date
    expires_on: date
    created_at: str
    signed_at: str | None
    closed_at: str | None


class EsignRequest(Model):
    """The message on ``EsignQueue``: send this approved offer for signature."""

    model_config = ConfigDict(extra="forbid")

    offer_id: str
    application_id: str


class EsignEvent(Model):
    """What the e-signature vendor reports on ``POST /webhooks/esign``."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["signed", "declined", "expired"]
    offer_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    envelope_id: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    occurred_at: str = Field(description="ISO-8601 time with zone")


class EsignReceipt(Response):
    status: Literal["applied", "duplicate"]
    webhook_id: str
    offer_id: str
    offer_status: OfferStatus
