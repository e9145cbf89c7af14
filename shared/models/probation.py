"""Probation: the hire's weighted goals, their progress, the cycle's state and the manager's decision.

Items (talent table, the employee's partition ``EMP#<id>``):

* ``PROBATION`` — goals with their achieved totals, status/phase/outcome, dates, durations, the
  execution and (while the final review waits) the task token; while active it is in the index
  ``gsi1`` under ``PROBATION#ACTIVE`` (sk ``<department>#<id>``) for the daily digest;
* ``PROGRESS#<date>#<id>`` — one recorded achievement (goal, amount, note, who).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from shared.models.common import Dimension, Model, Request, Response

Measure = Literal["count", "score"]
Status = Literal["draft", "running", "completed", "failed"]
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Unit = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2_000)]

DAY = 86_400
MAX_PERIOD_SECONDS = 200 * DAY  # a probation is at most six months (plus an extension)
MAX_DECISION_SECONDS = 30 * DAY


class Goal(Model):
    """A goal: what, how much, its weight and which interview dimension it develops."""

    model_config = ConfigDict(extra="ignore")

    id: str
    slot: Literal["strength", "development", "baseline", "custom"] = "custom"
    dimension: Dimension
    title_zh: str
    title_en: str
    label_zh: str
    label_en: str
    target: float
    unit_zh: str = ""
    unit_en: str = ""
    measure: Measure = "count"
    weight: int
    achieved: float = 0


class GoalInput(Request):
    """A goal as HR or the manager sets it. ``id`` keeps an existing goal's identity (and progress)."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]{1,16}$")] | None = None
    dimension: Dimension = Field(description="the interview dimension this goal develops")
    title_zh: Short
    title_en: Short
    label_zh: Short | None = Field(default=None, description="what is counted, e.g. 客户拜访 (default: title_zh)")
    label_en: Short | None = None
    target: float = Field(gt=0, le=1_000_000)
    unit_zh: Unit = ""
    unit_en: Unit = ""
    measure: Measure = "count"
    weight: int = Field(ge=1, le=100)


class GoalsUpdate(Request):
    """The complete list of goals (replaces the proposal). Weights must sum to 100."""

    goals: list[GoalInput] = Field(min_length=1, max_length=10)
    version: int | None = Field(default=None, ge=1, description="the version you read (optimistic lock)")


class DurationsInput(Request):
    """Seconds between the steps of the cycle; for tests and the local stack (a cycle in seconds)."""

    check_in: int = Field(ge=0, le=MAX_PERIOD_SECONDS, description="from confirmation to the 1-month check-in")
    mid_term: int = Field(ge=0, le=MAX_PERIOD_SECONDS, description="from the check-in to the mid-term review")
    end: int = Field(ge=0, le=MAX_PERIOD_SECONDS, description="from the mid-term review to the end of the period")
    decision_timeout: int = Field(ge=1, le=MAX_DECISION_SECONDS, description="how long the final review waits")
    heartbeat: int = Field(ge=1, le=MAX_DECISION_SECONDS, description="escalate when no heartbeat arrives this long")

    @model_validator(mode="after")
    def _heartbeat_within_timeout(self) -> DurationsInput:
        if self.heartbeat > self.decision_timeout:
            raise ValueError("heartbeat must not exceed decision_timeout")
        return self


class ConfirmRequest(Request):
    """Confirm the goals and start the cycle. Without ``durations`` they follow the calendar from the
    hire's start date: check-in after one month, mid-term at half, end after the signed offer's
    probation period (``months``, when given, must be the same)."""

    months: int | None = Field(
        default=None, ge=1, le=6, description="length of the probation period: the signed offer's (by default)"
    )
    durations: DurationsInput | None = None


class ProgressInput(Request):
    """An achievement: ``amount`` adds to a count goal; for a score goal it is the latest score."""

    goal_id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]{1,16}$")]
    amount: float = Field(ge=0, le=1_000_000)
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1_000)] = ""
    date: date


class DecisionInput(Request):
    """The manager's final-review decision."""

    decision: Literal["confirm", "extend", "not_confirm"]
    new_end_date: date | None = Field(default=None, description="extend: the new end of the probation period")
    reason: Reason | None = Field(default=None, description="required for extend and not_confirm")

    @model_validator(mode="after")
    def _complete(self) -> DecisionInput:
        if self.decision in ("extend", "not_confirm") and not self.reason:
            raise ValueError(f"reason is required to {self.decision}")
        if self.decision == "extend" and self.new_end_date is None:
            raise ValueError("new_end_date is required to extend")
        if self.decision != "extend" and self.new_end_date is not None:
            raise ValueError("new_end_date is only for extend")
        return self


class Probation(Model):
    """The stored probation item (``EMP#<id>`` / ``PROBATION``)."""

    model_config = ConfigDict(extra="ignore")

    employee_id: str
    name: str = ""
    department: str
    role_family: str
    status: Status = "draft"
    phase: str | None = None
    outcome: str | None = None
    cycle: int = 1
    goals: list[Goal]
    start_date: date
    end_date: date | None = None
    started_at: str | None = None
    ends_at: str | None = None
    phase_at: str | None = None
    completed_at: str | None = None
    durations: dict[str, int] | None = None
    compressed: bool = False  # durations came from the request (tests, local stack)
    execution_arn: str | None = None
    task_token: str | None = None
    decision: dict[str, Any] | None = None
    history: list[dict[str, Any]] = Field(default_factory=list)
    updated_at: str
    version: int = 1


class GoalView(Response):
    id: str
    slot: str
    dimension: Dimension
    title_zh: str
    title_en: str
    target: float
    unit_zh: str
    unit_en: str
    measure: Measure
    weight: int
    achieved: float
    remaining: float
    completion_pct: float
    progress_zh: str = Field(description="e.g. 客户拜访完成3次，还差2次")
    progress_en: str


class ProbationView(Response):
    """A hire's probation: proposed goals before confirmation, then the cycle and its progress."""

    employee_id: str
    name: str
    department: str
    role_family: str
    status: Literal["proposed", "draft", "running", "completed", "failed"]
    phase: str | None = None
    outcome: str | None = None
    cycle: int
    start_date: date
    end_date: date | None = None
    goals: list[GoalView]
    summary_zh: str
    summary_en: str
    weighted_completion: float = Field(description="Σ weight × goal completion, in %")
    elapsed_pct: float | None = Field(default=None, description="share of the period elapsed, in %")
    lagging: bool = False
    execution_arn: str | None = None
    awaiting_decision: bool = False
    decision: dict[str, Any] | None = None
    history: list[dict[str, Any]] = Field(default_factory=list)
    version: int


class ConfirmResult(Response):
    employee_id: str
    execution_arn: str
    execution_name: str
    started: bool = Field(description="false when the cycle was already started (a repeated confirm)")
    probation: ProbationView


class DigestResult(Response):
    active: int
    lagging: int
    manager_mails: int
    hr_mails: int


class ProbationMessage(Model):
    """A NotificationQueue message sent by the probation state machine."""

    model_config = ConfigDict(extra="ignore")

    kind: Literal[
        "probation_check_in",
        "probation_mid_term",
        "probation_decision",
        "probation_extended",
        "probation_outcome",
        "probation_escalation",
    ]
    employee_id: str
    cycle: int = 1
    task_token: str | None = None


PROBATION_KINDS = frozenset(ProbationMessage.model_fields["kind"].annotation.__args__)  # type: ignore[union-attr]
