"""Hires after onboarding: the employee record, the team task boards, training plans and their
reassessment, departures and the attrition report."""

from __future__ import annotations

from datetime import date

from shared.domain.onboarding import Hire, attrition, month_shift, months, parse_task_id, visible_teams
from shared.domain.statistics import wilson
from shared.errors import Conflict, Forbidden, NotFound, ValidationFailed
from shared.models.common import iso, utcnow
from shared.models.employee import Employee
from shared.models.people import AttritionReport, AttritionRow, Departure, DepartureCreate
from shared.models.tasks import Task, TaskPatch, TaskStatus, Team
from shared.models.training import Assessment, AssessmentCreate, TrainingPlan
from shared.security.policy import Action, authorize
from shared.security.tokens import Principal
from shared.store.audit import AuditEntry
from shared.store.employees import EmployeeStore
from shared.store.onboarding import OnboardingStore
from shared.store.repository import Repository
from shared.store.table import Page

MAX_COHORTS = 24
DEFINITION = (
    "cohort = start-date month; hires = employees who started in the cohort (per requisition); "
    "departures = hires whose departure date is at most window days after their own start date; "
    "rate = departures / hires; complete = the window has passed for every hire of the row"
)


class People:
    def __init__(self, repo: Repository | None = None) -> None:
        self.repo = repo or Repository()
        self.employees = EmployeeStore(self.repo)
        self.store = OnboardingStore(self.repo)

    # -- employees -----------------------------------------------------------------------------------
    def authorized_employee(self, who: Principal, action: Action, employee_id: str) -> Employee:
        """The employee, if ``who`` may perform ``action`` on it (role first, then department)."""
        authorize(who, action)
        employee = self.employees.require(employee_id)
        authorize(who, action, employee.department)
        return employee

    def list(self, who: Principal, department: str | None, limit: int, token: str | None) -> tuple[str, Page]:
        scope = authorize(who, Action.employee_read)
        if department is None:
            if scope.value != "department" or not who.department:
                raise ValidationFailed(
                    "department is required", [{"field": "department", "message": "name the department to list"}]
                )
            department = who.department
        authorize(who, Action.employee_read, department)
        return department, self.employees.by_department(department, limit, token)

    # -- tasks -----------------------------------------------------------------------------------------
    def board(self, who: Principal, team: Team, status: TaskStatus | None, limit: int, token: str | None) -> Page:
        authorize(who, Action.onboarding_task_read)
        if team not in visible_teams(who.roles):
            raise Forbidden(f"your role may not read the {team.value} team's tasks")
        return self.store.board(team, status, limit, token)

    def task(self, who: Principal, task_id: str, action: Action) -> Task:
        authorize(who, action)
        where = parse_task_id(task_id)
        task = self.store.get_task(where[0], task_id) if where else None
        if task is None:
            raise NotFound(f"task {task_id} does not exist")
        if task.team not in visible_teams(who.roles):
            raise Forbidden(f"your role may not work the {task.team.value} team's tasks")
        return task

    def patch_task(self, who: Principal, task_id: str, body: TaskPatch, source_ip: str | None) -> Task:
        task = self.task(who, task_id, Action.onboarding_task_update)
        if body.version != task.version:
            raise Conflict(
                f"task {task.id} is at version {task.version}, not {body.version}",
                [{"field": "version", "message": "changed by someone else; reload"}],
            )
        changes = body.model_dump(exclude={"version"}, exclude_none=True)
        after = task.model_copy(
            update={**changes, "version": task.version + 1, "updated_at": iso(utcnow()), "updated_by": who.username}
        )
        audit = AuditEntry(
            subject=f"employee:{task.employee_id}",
            actor=who.username,
            action="task.update",
            details={"task_id": task.id, **{k: str(v) for k, v in changes.items()}},
            source_ip=source_ip,
        )
        self.store.update_task(task, after, audit)
        return after

    # -- training ----------------------------------------------------------------------------------------
    def training(self, employee: Employee) -> TrainingPlan:
        plan = self.store.training(employee.id)
        if plan is None:
            raise NotFound(f"employee {employee.id} has no training plan")
        return plan

    def assess(self, employee: Employee, body: AssessmentCreate, who: Principal, source_ip: str | None) -> TrainingPlan:
        plan = self.training(employee)
        planned = [d.dimension for d in plan.dimensions]
        if body.dimension not in planned:
            raise ValidationFailed(
                "the dimension is not in the training plan",
                [{"field": "dimension", "message": f"planned: {', '.join(d.value for d in planned) or 'none'}"}],
            )
        record = Assessment(
            dimension=body.dimension,
            score=body.score,
            comment=body.comment,
            assessed_by=who.username,
            assessed_at=iso(utcnow()),
        )
        dimensions = [
            d.model_copy(update={"assessments": [*d.assessments, record]}) if d.dimension is body.dimension else d
            for d in plan.dimensions
        ]
        after = plan.model_copy(update={"dimensions": dimensions, "version": plan.version + 1})
        audit = AuditEntry(
            subject=f"employee:{employee.id}",
            actor=who.username,
            action="training.assess",
            details={"dimension": body.dimension.value, "score": body.score},
            source_ip=source_ip,
        )
        self.store.update_training(plan, after, audit)
        return after

    # -- departures ----------------------------------------------------------------------------------------
    def depart(self, employee: Employee, body: DepartureCreate, who: Principal, source_ip: str | None) -> Departure:
        if employee.status == "departed":
            raise Conflict(f"employee {employee.id} has already departed")
        if body.date < employee.start_date:
            raise ValidationFailed(
                "the departure is before the start date",
                [{"field": "date", "message": f"must be on or after {employee.start_date.isoformat()}"}],
            )
        departure = Departure(
            date=body.date,
            reason_code=body.reason_code,
            reason=body.reason,
            recorded_by=who.username,
            recorded_at=iso(utcnow()),
        )
        after = employee.model_copy(update={"status": "departed", "version": employee.version + 1})
        audit = AuditEntry(
            subject=f"employee:{employee.id}",
            actor=who.username,
            action="employee.depart",
            details={"date": body.date.isoformat(), "reason_code": body.reason_code.value},
            source_ip=source_ip,
        )
        self.store.record_departure(employee, after, departure, audit)
        return departure

    # -- attrition -----------------------------------------------------------------------------------------
    def attrition(
        self,
        who: Principal,
        window_days: int,
        since: str | None,
        until: str | None,
        department: str | None,
        today: date,
    ) -> AttritionReport:
        scope = authorize(who, Action.attrition_read)
        if scope.value == "department":
            department = department or who.department
        authorize(who, Action.attrition_read, department)
        until = until or f"{today:%Y-%m}"
        since = since or month_shift(until, -11)
        cohorts = months(since, until)
        if not cohorts or len(cohorts) > MAX_COHORTS:
            raise ValidationFailed(
                "the cohort range is not valid",
                [{"field": "since", "message": f"since must not be after until, at most {MAX_COHORTS} months"}],
            )
        rows: list[AttritionRow] = []
        totals: list[AttritionRow] = []
        everyone: list[Hire] = []
        for month in cohorts:
            hires = [_hire(i) for i in self.store.cohort(month, department)]
            everyone += hires
            by_req: dict[str, list[Hire]] = {}
            for h in hires:
                by_req.setdefault(h.requisition_id, []).append(h)
            for req_id, group in sorted(by_req.items()):
                rows.append(_row(month, group, window_days, today, req_id))
            if hires:
                totals.append(_row(month, hires, window_days, today, None))
        return AttritionReport(
            window_days=window_days,
            since=since,
            until=until,
            department=department,
            definition=DEFINITION,
            rows=rows,
            cohorts=totals,
            total=_row(f"{since}..{until}", everyone, window_days, today, None),
        )


def _hire(item: dict[str, object]) -> Hire:
    departed = item.get("departed_on")
    return Hire(
        employee_id=str(item["employee_id"]),
        requisition_id=str(item["requisition_id"]),
        title=str(item.get("title") or ""),
        department=str(item.get("department") or ""),
        start_date=date.fromisoformat(str(item["start_date"])),
        departed_on=date.fromisoformat(str(departed)) if departed else None,
    )


def _row(cohort: str, hires: list[Hire], window_days: int, today: date, requisition_id: str | None) -> AttritionRow:
    rate = attrition(hires, window_days, today)
    interval = wilson(rate.departures, rate.hires)
    first = hires[0] if hires and requisition_id else None
    return AttritionRow(
        cohort=cohort,
        requisition_id=requisition_id,
        title=first.title if first else None,
        department=first.department if first else None,
        hires=rate.hires,
        departures=rate.departures,
        rate=rate.rate,
        rate_percent=round(rate.rate * 100, 2),
        rate_low_percent=round(interval[0] * 100, 2) if interval else None,
        rate_high_percent=round(interval[1] * 100, 2) if interval else None,
        complete=rate.complete,
    )


def window_days(window: str) -> int:
    return int(window.removesuffix("d"))
