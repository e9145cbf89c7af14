"""Onboarding tasks: what each team (IT, admin, HR) does for a hire before the start date.

Stored as items of the employee's partition (``EMP#<id>`` / ``TASK#<task id>``); the per-team index
(gsi1 ``TEAM#<team>#TASKS``, by due date) makes a team's board one Query. IT reads tasks through
``ItTaskView``: what provisioning needs and nothing else (no scores, evaluations, background or pay).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from shared.models.common import Limit, Model, Request, Response, RoleFamily


class Team(StrEnum):
    it = "it"  # 信息科技部: accounts, mailbox, system permissions
    admin = "admin"  # 行政: computer, badge, desk (worked by HR; there is no admin role)
    hr = "hr"  # 人力资源部: documents, contract, social insurance


class TaskStatus(StrEnum):
    open = "open"
    in_progress = "in_progress"
    done = "done"
    blocked = "blocked"


class SystemAccess(Model):
    """One system permission IT grants, derived from role family × department."""

    code: str
    name_zh: str
    name_en: str
    access: Literal["read", "query", "write"]


class Task(Model):
    """The stored task."""

    model_config = ConfigDict(extra="ignore")

    id: str = Field(description="<employee id>.<kind>")
    employee_id: str
    team: Team
    kind: str
    title_zh: str
    title_en: str
    due_date: date
    status: TaskStatus = TaskStatus.open
    assignee: str | None = None
    notes: str = ""
    systems: list[SystemAccess] = Field(default_factory=list)
    documents: list[str] = Field(default_factory=list)
    # what the team needs to know of the hire (denormalised: a board is one Query)
    name: str
    department: str
    title: str
    role_family: RoleFamily
    start_date: date
    escalated_at: str | None = None
    created_at: str
    updated_at: str
    updated_by: str = "system"
    version: int = 1


class ItTaskView(Response):
    """A task as IT sees it: provisioning facts only (name, department, title and role, start date,
    systems). Never scores, evaluations, background or salary."""

    id: str
    team: Team
    kind: str
    title_zh: str
    title_en: str
    due_date: date
    status: TaskStatus
    assignee: str | None
    notes: str
    escalated_at: str | None
    version: int
    name: str
    department: str
    title: str
    role_family: RoleFamily
    start_date: date
    systems: list[SystemAccess]


class TaskView(ItTaskView):
    """A task as HR and managers see it."""

    employee_id: str
    documents: list[str]
    created_at: str
    updated_at: str
    updated_by: str


class TaskQuery(Request):
    team: Team
    status: TaskStatus | None = None
    limit: Limit = 50
    next_token: str | None = None


class TaskPage(Response):
    """A team's tasks by due date (IT gets ``ItTaskView`` items: the same fields minus HR's)."""

    team: Team
    status: TaskStatus | None
    items: list[TaskView]
    next_token: str | None = None


class EmployeeTasks(Response):
    employee_id: str
    items: list[TaskView]


Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2_000)]
Username = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)]


class TaskPatch(Request):
    """A change to a task: any of status, notes, assignee, and the version read (409 when stale)."""

    status: TaskStatus | None = None
    notes: Note | None = None
    assignee: Username | None = None
    version: int = Field(ge=1, description="the version you read; a stale one is answered 409")

    @model_validator(mode="after")
    def _something(self) -> TaskPatch:
        if self.status is None and self.notes is None and self.assignee is None:
            raise ValueError("give at least one of status, notes, assignee")
        return self
