"""Employees as the API shows them, departures and the attrition report."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from shared.models.common import Dimension, Limit, Model, Month, Request, Response, RoleFamily
from shared.security.audited import audited


class DepartureReason(StrEnum):
    resigned = "resigned"  # 主动离职
    dismissed = "dismissed"  # 辞退
    probation_failed = "probation_failed"  # 试用期不合格
    contract_ended = "contract_ended"  # 合同到期
    other = "other"


class DepartureCreate(Request):
    date: date
    reason_code: DepartureReason
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1_000)]


class Departure(Model):
    date: date
    reason_code: DepartureReason
    reason: str
    recorded_by: str
    recorded_at: str


class EmployeeView(Response):
    """A hire as HR and the department's managers read it."""

    id: str
    application_id: str
    offer_id: str
    requisition_id: str
    name: str
    email: str = Field(json_schema_extra=audited("contact.read"))
    department: str
    role_family: RoleFamily
    title: str
    grade: str
    start_date: date
    status: Literal["onboarding", "active", "departed"]
    dimension_scores: dict[Dimension, float]
    competency_bar: dict[Dimension, int]
    departure: Departure | None = None
    created_at: str
    version: int


class EmployeeSummary(Response):
    id: str
    name: str
    department: str
    title: str
    start_date: date
    status: str


class EmployeeQuery(Request):
    department: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] | None = None
    limit: Limit = 50
    next_token: str | None = None


class EmployeeList(Response):
    department: str
    items: list[EmployeeSummary]
    next_token: str | None = None


class AttritionQuery(Request):
    window: Annotated[str, StringConstraints(pattern=r"^[1-9]\d{0,2}d$")] = Field(
        default="90d", description="days after the start date a departure counts in, e.g. 90d"
    )
    since: Month | None = Field(default=None, description="first cohort (start-date month), default 11 months ago")
    until: Month | None = Field(default=None, description="last cohort, default this month")
    department: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] | None = None


class AttritionRow(Response):
    cohort: str = Field(description="start-date month YYYY-MM")
    requisition_id: str | None = Field(description="null on a cohort's total row")
    title: str | None
    department: str | None
    hires: int
    departures: int = Field(description="hires gone within the window after their start date")
    rate: float = Field(description="departures / hires, 0–1 (4 decimals)")
    rate_percent: float
    rate_low_percent: float | None = Field(default=None, description="the rate's Wilson 95 % interval, low end")
    rate_high_percent: float | None = Field(default=None, description="the rate's Wilson 95 % interval, high end")
    complete: bool = Field(description="the window has passed for every hire of the row")


class AttritionReport(Response):
    window_days: int
    since: str
    until: str
    department: str | None
    definition: str
    rows: list[AttritionRow]
    cohorts: list[AttritionRow]
    total: AttritionRow
