"""The start-date schedule: on a hire's first working day the employee becomes ``active`` and the
application ``hired``, in one transaction with the audit records.

The hires due are read from the sparse index of employees still onboarding (``starting_by``), so a
run reads exactly those. An application HR already moved to ``hired`` only has its employee
activated; one changed meanwhile is left for the next run (counted in ``conflicts``). Running twice
on the same day changes nothing the second time: an activated employee has left the index.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from shared.domain.stages import Stage, check_transition
from shared.errors import Conflict
from shared.models.common import iso, utcnow
from shared.models.employee import Employee
from shared.store.audit import AuditEntry
from shared.store.employees import EmployeeStore
from shared.store.repository import Repository


class StartDates:
    def __init__(self, repo: Repository | None = None) -> None:
        self.repo = repo or Repository()
        self.employees = EmployeeStore(self.repo)

    def daily(self, today: date) -> dict[str, int]:
        counts = {"activated": 0, "hired": 0, "conflicts": 0}
        for employee in self.employees.starting_by(today):
            try:
                hired = self.activate(employee, today)
            except Conflict:
                counts["conflicts"] += 1
                continue
            counts["activated"] += 1
            counts["hired"] += int(hired)
        return counts

    def activate(self, employee: Employee, today: date) -> bool:
        """Activate one employee due on or before ``today``; True when the application moved to hired."""
        app = self.repo.applications.get(employee.application_id)
        moves = app is not None and app.stage is Stage.offer_signed
        after = employee.model_copy(update={"status": "active", "version": employee.version + 1})
        audit = AuditEntry(
            subject=f"employee:{employee.id}",
            actor="system",
            action="employee.activate",
            details={"start_date": employee.start_date.isoformat(), "day": today.isoformat()},
        )
        extra: list[dict[str, Any]] = []
        if app is not None and moves:
            check_transition(app.stage, Stage.hired, "system")
            changes = {"stage": Stage.hired, "updated_at": iso(utcnow()), "version": app.version + 1}
            app_after = app.model_copy(update=changes)
            moved = AuditEntry(
                subject=f"application:{app.id}",
                actor="system",
                action="stage.transition",
                details={"from": app.stage.value, "to": Stage.hired.value, "reason": "start date reached"},
            )
            extra = [self.repo.applications.put_op(app, app_after), self.repo.audit_op(moved)]
        self.employees.activate(employee, after, audit, extra)
        if moves:
            self.repo.applications.after_stage_change(employee.application_id, Stage.hired)
        return moves
