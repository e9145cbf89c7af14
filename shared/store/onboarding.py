"""Onboarding's sections of the employee partition, and their indexes.

=======================  ===========  ========================  =============================================
item                     pk           sk                        indexes
=======================  ===========  ========================  =============================================
onboarding task          EMP#<id>     TASK#<task id>            gsi1 TEAM#<team>#TASKS / <due>#<task id>;
                                                                gsi2 TEAM#<team>#STATUS#<status> / same;
                                                                gsi3 TASKS#PENDING / same, while not done and
                                                                not escalated (sparse)
training plan            EMP#<id>     TRAINING                  gsi3 REASSESS#PENDING / <due>#<id>, until the
                                                                reminder is sent or all is reassessed (sparse)
cohort entry             EMP#<id>     COHORT                    gsi1 COHORT#<YYYY-MM> / <dept>#<req>#<id>
departure                EMP#<id>     DEPARTURE                 -
mail marker              EMP#<id>     MAIL#<kind>               -
=======================  ===========  ========================  =============================================

Every change of a task, plan or employee is a whole-item Put conditional on the version read, with
its audit record, in one transaction (``Conflict`` when someone else changed it first).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from shared.domain.onboarding import cohort_of
from shared.models.employee import Employee
from shared.models.people import Departure
from shared.models.tasks import Task, TaskStatus, Team
from shared.models.training import TrainingPlan
from shared.store.audit import AuditEntry
from shared.store.employees import employee_item
from shared.store.table import Page, Store

PENDING_TASKS = "TASKS#PENDING"
PENDING_REASSESSMENTS = "REASSESS#PENDING"


def task_item(task: Task) -> dict[str, Any]:
    order = f"{task.due_date.isoformat()}#{task.id}"
    item = {
        "pk": f"EMP#{task.employee_id}",
        "sk": f"TASK#{task.id}",
        "type": "onboarding_task",
        "gsi1pk": f"TEAM#{task.team.value}#TASKS",
        "gsi1sk": order,
        "gsi2pk": f"TEAM#{task.team.value}#STATUS#{task.status.value}",
        "gsi2sk": order,
        **task.model_dump(mode="json"),
    }
    if task.status is not TaskStatus.done and task.escalated_at is None:
        item |= {"gsi3pk": PENDING_TASKS, "gsi3sk": order}
    return item


def training_item(plan: TrainingPlan) -> dict[str, Any]:
    item = {"pk": f"EMP#{plan.employee_id}", "sk": "TRAINING", "type": "training_plan", **plan.model_dump(mode="json")}
    if plan.pending() and plan.reminded_at is None:
        due = plan.pending()[0].reassess_due.isoformat()
        item |= {"gsi3pk": PENDING_REASSESSMENTS, "gsi3sk": f"{due}#{plan.employee_id}"}
    return item


def cohort_item(employee: Employee, departed_on: date | None = None) -> dict[str, Any]:
    return {
        "pk": f"EMP#{employee.id}",
        "sk": "COHORT",
        "type": "cohort_entry",
        "gsi1pk": f"COHORT#{cohort_of(employee.start_date)}",
        "gsi1sk": f"{employee.department}#{employee.requisition_id}#{employee.id}",
        "employee_id": employee.id,
        "requisition_id": employee.requisition_id,
        "title": employee.title,
        "department": employee.department,
        "start_date": employee.start_date.isoformat(),
        "departed_on": departed_on.isoformat() if departed_on else None,
    }


class OnboardingStore(Store):
    def put_request(self, item: dict[str, Any]) -> dict[str, Any]:
        """A ``Put`` for a transaction (``EmployeeStore.create``'s first sections)."""
        return self.table.put_op(item)

    def _versioned(self, item: dict[str, Any], expected: int, audit: AuditEntry, what: str) -> None:
        self.table.write_versioned(
            [(item, expected)], audit, f"{what} was changed by someone else; reload and retry", details=()
        )

    # -- tasks ---------------------------------------------------------------------------------------
    def get_task(self, employee_id: str, task_id: str) -> Task | None:
        return self.table.get_model(Task, f"EMP#{employee_id}", f"TASK#{task_id}")

    def update_task(self, before: Task, after: Task, audit: AuditEntry) -> None:
        self._versioned(task_item(after), before.version, audit, f"task {before.id}")

    def tasks_of(self, employee_id: str) -> list[Task]:
        page = self.table.query(f"EMP#{employee_id}", sk_prefix="TASK#", limit=100)
        return [Task.model_validate(i) for i in page.items]

    def board(self, team: Team, status: TaskStatus | None, limit: int, token: str | None) -> Page:
        if status is None:
            return self.table.query(f"TEAM#{team.value}#TASKS", index="gsi1", limit=limit, token=token)
        return self.table.query(f"TEAM#{team.value}#STATUS#{status.value}", index="gsi2", limit=limit, token=token)

    def pending_tasks_due_before(self, day: date) -> list[Task]:
        items = self.table.query_all(PENDING_TASKS, index="gsi3", sk_below=day.isoformat(), page_size=None)
        return [Task.model_validate(i) for i in items]

    # -- training ------------------------------------------------------------------------------------
    def training(self, employee_id: str) -> TrainingPlan | None:
        return self.table.get_model(TrainingPlan, f"EMP#{employee_id}", "TRAINING")

    def update_training(self, before: TrainingPlan, after: TrainingPlan, audit: AuditEntry) -> None:
        self._versioned(training_item(after), before.version, audit, f"the training plan of {before.employee_id}")

    def reassessments_due(self, day: date) -> list[TrainingPlan]:
        """Plans whose reassessment is due on or before ``day`` and not yet reminded."""
        below = f"{day.isoformat()}#\uffff"
        items = self.table.query_all(PENDING_REASSESSMENTS, index="gsi3", sk_below=below, page_size=None)
        return [TrainingPlan.model_validate(i) for i in items]

    # -- mail markers --------------------------------------------------------------------------------
    def marker(self, employee_id: str, kind: str) -> dict[str, Any] | None:
        return self.table.get_item(f"EMP#{employee_id}", f"MAIL#{kind}")

    def set_marker(self, employee_id: str, kind: str, fields: dict[str, Any]) -> None:
        item = {"pk": f"EMP#{employee_id}", "sk": f"MAIL#{kind}", "type": "mail_marker", **fields}
        self.table.put_item(item)

    # -- departures and cohorts ----------------------------------------------------------------------
    def record_departure(self, before: Employee, after: Employee, departure: Departure, audit: AuditEntry) -> None:
        """The employee (conditional on the version read), the departure (conditional: the first) and
        the cohort entry's departure date, with the audit record, in one transaction."""
        departure_item = {
            "pk": f"EMP#{before.id}",
            "sk": "DEPARTURE",
            "type": "departure",
            **departure.model_dump(mode="json"),
        }
        self.table.write_versioned(
            [(employee_item(after), before.version), (departure_item, None)],
            audit,
            f"employee {before.id} was changed by someone else; reload and retry",
            details=(),
            extra=[self.put_request(cohort_item(after, departure.date))],
        )

    def departure(self, employee_id: str) -> Departure | None:
        return self.table.get_model(Departure, f"EMP#{employee_id}", "DEPARTURE")

    def cohort(self, month: str, department: str | None) -> list[dict[str, Any]]:
        """Every cohort entry of a start-date month (of one department): one Query, paged past 1 MB."""
        prefix = f"{department}#" if department else None
        return self.table.query_all(f"COHORT#{month}", index="gsi1", sk_prefix=prefix)
