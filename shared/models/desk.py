"""The console's work views: an interviewer's assigned applications, HR's salary proposal."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from shared.models.common import PageQuery, Response
from shared.security.audited import audited
from shared.vocabulary import Stage


class AssignmentQuery(PageQuery):
    pass


class Assignment(Response):
    application_id: str
    requisition_id: str
    requisition_title: str
    name: str
    stage: Stage | None = Field(description="the application's stage now (null if it is gone)")
    assigned_by: str
    assigned_at: str


class AssignmentPage(Response):
    username: str
    items: list[Assignment]
    next_token: str | None = None


class SalaryProposalView(Response):
    """What ``POST /applications/{id}/offers`` would propose without an ``annual_salary``."""

    application_id: str
    annual_salary: int = Field(json_schema_extra=audited("offer.read"))
    currency: str
    source: Literal["proposed"] = "proposed"
    basis: str
    band_min: int = Field(description="the requisition's band, per year")
    band_max: int
    weighted_score: float | None
    approval_chain: list[str]


TodoKind = Literal[
    "offer_approval", "check_review", "assessment_decision", "evaluation_due", "probation_decision", "onboarding_tasks"
]


class TodoItem(Response):
    """One thing waiting for the signed-in user: what (``kind``), on whom, since when."""

    kind: TodoKind
    subject_id: str = Field(description="the application (or, for probation, the employee; for tasks, the team)")
    name: str
    context: str | None = Field(default=None, description="the requisition's title, or the department")
    since: str | None = None
    count: int | None = Field(default=None, description="onboarding_tasks: how many are open")


class TodoList(Response):
    items: list[TodoItem]
    counts: dict[str, int] = Field(description="items by kind")
