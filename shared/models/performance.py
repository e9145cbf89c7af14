"""Performance management: performance cycles, per-employee targets and results, development actions
and talent pools (人才库); the competency indicator library (能力指标库) is ``shared.models.kpis``.

Scores are on a 0–100 scale where meeting a KPI's target exactly scores 80 (see
``shared/domain/performance.py``), so "below target" is a KPI score under 80 and "well above
target" is a score at or above the cycle's talent threshold (default 95).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from shared.models.common import Dimension, Limit, Model, Request, Response, RoleFamily, Version
from shared.models.kpis import Direction as Direction
from shared.models.kpis import Kpi as Kpi
from shared.models.kpis import KpiCreate as KpiCreate
from shared.models.kpis import KpiList as KpiList
from shared.models.kpis import KpiQuery as KpiQuery
from shared.models.kpis import KpiUpdate as KpiUpdate
from shared.models.kpis import KpiView as KpiView
from shared.models.kpis import Name
from shared.models.kpis import ScoringRule as ScoringRule

Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=500)]


# -- cycles ----------------------------------------------------------------------------------------
class Period(StrEnum):
    quarter = "quarter"
    half = "half"
    year = "year"


class TargetRule(Request):
    """The explainable rule moving a target with the interview score of the KPI's dimension:

    ``target = baseline ± adjust_per_point × clamp(score − pivot, −max_shift_points, +max_shift_points)``
    (+ when higher is better, − when lower is better), rounded to the KPI's decimals. With the seed
    library and the defaults, customer_orientation 85 → client satisfaction 85 + 0.5 × 10 = 90."""

    pivot: float = Field(default=75, ge=0, le=100, description="the interview score that keeps the baseline")
    max_shift_points: float = Field(default=20, ge=0, le=100, description="interview points counted at most")


class CycleCreate(Request):
    name: Name
    period: Period
    start_date: date
    end_date: date
    target_rule: TargetRule = Field(default_factory=TargetRule)
    talent_threshold: float = Field(
        default=95, ge=80, le=100, description="a KPI score at or above this proposes a talent pool"
    )

    @model_validator(mode="after")
    def _ordered(self) -> CycleCreate:
        if self.end_date <= self.start_date:
            raise ValueError("end_date must be after start_date")
        return self


class Cycle(Model):
    model_config = ConfigDict(extra="ignore")

    id: str
    name: str
    period: Period
    start_date: date
    end_date: date
    target_rule: TargetRule
    talent_threshold: float
    status: Literal["open", "closed"] = "open"
    created_at: str
    created_by: str
    version: int = 1


class CycleView(Cycle):
    """A cycle as the API shows it."""


class CycleQuery(Request):
    limit: Limit = 50
    next_token: str | None = None


class CycleList(Response):
    items: list[CycleView]
    next_token: str | None = None


class EnrolRequest(Request):
    """Employees to set targets for in this cycle (hr): at most 100 per call."""

    employee_ids: list[Annotated[str, StringConstraints(min_length=1, max_length=64)]] = Field(
        min_length=1, max_length=100
    )


# -- a person's record in a cycle ------------------------------------------------------------------
class Target(Model):
    model_config = ConfigDict(extra="ignore")

    kpi_id: str
    dimension: Dimension
    name_zh: str
    name_en: str
    unit: str
    direction: Direction
    scoring_rule: ScoringRule
    weight: float = Field(description="normalised: the weights of a record sum to 1")
    baseline_target: float
    interview_score: float | None = None
    target: float
    reason: str = Field(description="how the target was derived (or why HR overrode it)")
    overridden_by: str | None = None
    actual: float | None = None
    score: float | None = Field(default=None, description="0–100; 80 = the target met exactly")
    excluded: bool = Field(
        default=False, description="HR closed the record without this KPI's result (see the record's closure)"
    )


class DevelopmentItem(Model):
    """A KPI below target: what the interview already flagged, the courses suggested, and the
    manager's confirmed development action."""

    model_config = ConfigDict(extra="ignore")

    kpi_id: str
    dimension: Dimension
    kpi_score: float
    interview_report: dict[str, object]
    recommended_courses: list[dict[str, object]]
    status: Literal["proposed", "confirmed"] = "proposed"
    action: str | None = None
    confirmed_by: str | None = None
    confirmed_at: str | None = None


class Closure(Model):
    """HR closed an incomplete record: the KPIs without a result are excluded, with the reason."""

    by: str
    at: str
    reason: str
    excluded: list[str] = Field(description="the KPIs left without a result")


RecordStatus = Literal["targets_set", "partial", "scored"]
"""``targets_set``: no result yet; ``partial``: results for some KPIs only (no overall score, never in
analytics, pools or proposals); ``scored``: every KPI has a result, or HR closed the record."""


class PerformanceRecord(Model):
    """``EMP#<id>`` / ``PERF#<cycle id>``: the employee's targets, results and feedback in one cycle,
    with a snapshot of what analytics needs (interview scores, the weights hiring used, family, cohort,
    status)."""

    model_config = ConfigDict(extra="ignore")

    employee_id: str
    cycle_id: str
    cycle_name: str
    period: Period
    department: str
    role_family: RoleFamily
    start_date: date
    requisition_id: str | None = None
    dimension_scores: dict[Dimension, float]
    dimension_weights: dict[Dimension, float] = Field(
        default_factory=dict,
        description="the interview weights of the requisition the employee was hired through: the hiring score",
    )
    targets: list[Target]
    overall_score: float | None = Field(
        default=None, description="the cycle score against the employee's own targets; null until scored"
    )
    baseline_score: float | None = Field(
        default=None,
        description="the same results scored against the role baseline targets: the criterion analytics uses",
    )
    status: RecordStatus = "targets_set"
    closure: Closure | None = None
    development: list[DevelopmentItem] = Field(default_factory=list)
    talent_proposals: list[str] = Field(default_factory=list)
    targets_reopened: dict[str, str] | None = None  # {by, at, reason} while HR's reopening stands
    created_at: str
    updated_at: str
    version: int = 1


class PerformanceRecordView(PerformanceRecord):
    """A cycle record as the API shows it (hr; the department's manager)."""


class RecordsQuery(Request):
    employee_ids: str = Field(
        min_length=1,
        max_length=100 * 65,
        pattern=r"^[^,]{1,64}(,[^,]{1,64}){0,99}$",
        description="up to 100 employee ids, comma-separated",
    )

    @property
    def ids(self) -> list[str]:
        return list(dict.fromkeys(self.employee_ids.split(",")))


class RecordList(Response):
    """The records of the named employees in one cycle; an employee not enrolled has none."""

    items: list[PerformanceRecordView]


class EnrolOutcome(Response):
    cycle_id: str
    created: list[str]
    already_enrolled: list[str]


class TargetOverride(Request):
    """HR replaces one target; the reason is kept on the target and in the audit trail."""

    target: float = Field(ge=0, le=1_000_000)
    reason: Reason
    version: Version


class RecordClose(Request):
    """HR closes an incomplete record: the KPIs without a result are excluded and the record is scored
    on the others. The reason is kept on the record and in the audit trail."""

    reason: Reason
    version: Version


class TargetsReopen(Request):
    """HR reopens targets locked by recorded results, with a reason (audited); they lock again when
    results are next recorded."""

    reason: Reason
    version: Version


class KpiResult(Request):
    kpi_id: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    actual: float = Field(ge=0, le=1_000_000)


class ResultsCreate(Request):
    """The manager's results for the cycle: every KPI of the record, once (later calls may correct)."""

    results: list[KpiResult] = Field(min_length=1, max_length=50)
    version: Version


class DevelopmentConfirm(Request):
    action: Annotated[str, StringConstraints(strip_whitespace=True, min_length=5, max_length=1_000)] = Field(
        description="the development action agreed, e.g. the course and a practical assignment"
    )
    version: Version


class PerformanceHistory(Response):
    employee_id: str
    items: list[PerformanceRecordView]


# -- talent pools ----------------------------------------------------------------------------------
class PoolEvent(Model):
    at: str
    by: str
    event: Literal["proposed", "accepted", "declined", "removed"]
    reason: str
    cycle_id: str | None = None


class PoolMember(Model):
    model_config = ConfigDict(extra="ignore")

    pool: str
    employee_id: str
    name: str
    department: str
    role_family: RoleFamily
    status: Literal["proposed", "member", "declined", "removed"]
    history: list[PoolEvent]
    version: int = 1


class PoolMemberView(PoolMember):
    """A pool membership with its history."""


class PoolSummary(Response):
    name: str
    name_zh: str
    description: str
    proposed: int
    members: int


class PoolList(Response):
    items: list[PoolSummary]


class PoolQuery(Request):
    status: Literal["proposed", "member", "declined", "removed"] | None = None
    department: str | None = Field(default=None, min_length=1, max_length=100)


class PoolMembers(Response):
    pool: str
    items: list[PoolMemberView]


class PoolDecision(Request):
    """HR's decision on a proposal (accept / decline) or on a member (remove), with a reason."""

    decision: Literal["accept", "decline", "remove"]
    reason: Reason
    version: Version


class DevelopmentPlan(Response):
    employee_id: str
    based_on_cycle: str | None
    items: list[dict[str, Any]]
