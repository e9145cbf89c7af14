"""Supplementary assessments (补充测评): a manager asks HR for an extra stage, e.g. a customer
negotiation simulation (客户模拟谈判); HR approves or declines it with a reason; HR records the result.

The stored request is ``APP#<application>`` / ``ASSESS#<request>`` with ``status`` ∈ {requested,
approved, declined, completed} — the shape ``shared.domain.readiness`` reads to block offers.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, RootModel, StringConstraints

from shared.models.common import Dimension, Model, PageQuery, Request, Response
from shared.vocabulary import Stage

Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1_000)]
Comment = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4_000)]
Observation = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2_000)]


class AssessmentKind(StrEnum):
    simulation = "simulation"  # 情景模拟（如客户模拟谈判）
    role_play = "role_play"  # 角色扮演
    case_study = "case_study"  # 案例分析
    written_test = "written_test"  # 笔试
    presentation = "presentation"  # 汇报演示
    group_discussion = "group_discussion"  # 无领导小组讨论
    other = "other"


class AssessmentStatus(StrEnum):
    requested = "requested"
    approved = "approved"
    declined = "declined"
    completed = "completed"


class AssessmentSpec(Request):
    """What is to be assessed."""

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] = Field(
        description="e.g. 客户模拟谈判 (customer negotiation simulation); one open request per name and application"
    )
    kind: AssessmentKind | None = None
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2_000)] = ""
    duration_minutes: int | None = Field(default=None, ge=5, le=480)


class AssessmentRequestCreate(Request):
    """A request for a supplementary assessment of one application."""

    reason: Reason = Field(description="why the assessment is needed (shown to HR)")
    assessment: AssessmentSpec


class AssessmentDecisionSubmit(Request):
    """HR's decision on a request; the reason is required either way and shown to the requester."""

    decision: Literal["approve", "decline"]
    reason: Reason


class AssessmentResultSubmit(Request):
    """The result of an approved assessment: a score, pass/fail or both."""

    score: float | None = Field(default=None, ge=0, le=100)
    passed: bool | None = None
    observations: dict[Dimension, Observation] = Field(
        default_factory=dict, description="optional observations per competency dimension"
    )
    comments: Comment
    assessor: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] = Field(
        description="who ran the assessment"
    )


class AssessmentListQuery(PageQuery):
    pass


# -- stored ----------------------------------------------------------------------------------------


class AssessmentInfo(Model):
    name: str
    kind: AssessmentKind | None = None
    description: str = ""
    duration_minutes: int | None = None


class AssessmentDecision(Model):
    decision: Literal["approve", "decline"]
    reason: str
    decided_by: str
    decided_at: str


class AssessmentResult(Model):
    score: float | None = None
    passed: bool | None = None
    observations: dict[Dimension, str] = Field(default_factory=dict)
    comments: str
    assessor: str
    recorded_by: str
    recorded_at: str


class AssessmentRequest(Model):
    """The stored request (``APP#<application>`` / ``ASSESS#<request_id>``)."""

    model_config = ConfigDict(extra="ignore")

    request_id: str
    application_id: str
    department: str
    assessment: AssessmentInfo
    reason: str
    status: AssessmentStatus
    requested_by: str
    requested_by_role: Literal["hr", "manager"]
    requester_email: str | None = None
    requested_at: str
    stage_at_request: Stage
    decision: AssessmentDecision | None = None
    result: AssessmentResult | None = None
    version: int
    updated_at: str


class AssessmentNotice(Model):
    """A NotificationQueue message: tell the requester of HR's decision (once per request)."""

    kind: Literal["assessment_decision"] = "assessment_decision"
    application_id: str
    request_id: str


class AssessmentRequested(Model):
    """A NotificationQueue message: tell HR of a manager's request (once per request)."""

    kind: Literal["assessment_requested"] = "assessment_requested"
    application_id: str
    request_id: str


# -- views, one per role ----------------------------------------------------------------------------


class InterviewerAssessmentView(Response):
    """What an assigned interviewer sees: which extra stage was asked for and where it stands —
    not the reasons or results (interviewers judge independently)."""

    request_id: str
    assessment: AssessmentInfo
    status: AssessmentStatus
    requested_at: str
    updated_at: str


class ManagerAssessmentView(InterviewerAssessmentView):
    """A department manager's view: the request, HR's decision with its reason, and the result."""

    reason: str
    requested_by: str
    requested_by_role: Literal["hr", "manager"]
    stage_at_request: Stage
    decision: AssessmentDecision | None
    result: AssessmentResult | None


class AssessmentView(ManagerAssessmentView):
    """HR's view: everything, with the requester's address and the item version."""

    requester_email: str | None
    version: int


class AssessmentOutcome(AssessmentView):
    """HR's view of the request after a decision or a result, with the application's stage after it."""

    application_stage: Stage


class _AssessmentList(Response):
    application_id: str
    stage: Stage
    next_token: str | None = None


class HrAssessmentList(_AssessmentList):
    view: Literal["hr"] = "hr"
    items: list[AssessmentView]


class ManagerAssessmentList(_AssessmentList):
    view: Literal["manager"] = "manager"
    items: list[ManagerAssessmentView]


class InterviewerAssessmentList(_AssessmentList):
    view: Literal["interviewer"] = "interviewer"
    items: list[InterviewerAssessmentView]


class AssessmentListView(
    RootModel[
        Annotated[HrAssessmentList | ManagerAssessmentList | InterviewerAssessmentList, Field(discriminator="view")]
    ]
):
    """The supplementary assessments of one application: ``view`` says which role's shape it is."""

    model_config = ConfigDict(defer_build=True)  # as every Model (shared.models.common)


class BlockerView(Response):
    code: str = Field(
        description="assessment_pending | background_check_missing | background_check_open | background_check_not_clear"
    )
    message: str
    ref: str | None = None


class OfferReadiness(Response):
    application_id: str
    stage: Stage
    ready: bool = Field(description="true when nothing blocks an offer")
    blockers: list[BlockerView]
