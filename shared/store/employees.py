"""Employees in the talent table (``EMP#<id>`` / ``META``); sections are other items of the partition.

Managers find their department's hires through gsi2 (``DEPT#<department>#EMPLOYEES``, by start date).
Hires still ``onboarding`` are also in gsi3 (``EMPLOYEES#STARTING``, by start date; sparse: an
employee leaves it when activated), so the start-date schedule reads exactly the hires due.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from shared.errors import found
from shared.models.employee import Employee, employee_key
from shared.store.audit import AuditEntry
from shared.store.table import Page, Store

STARTING = "EMPLOYEES#STARTING"


def employee_item(employee: Employee) -> dict[str, Any]:
    order = f"{employee.start_date.isoformat()}#{employee.id}"
    item = {**employee_key(employee.id), "type": "employee", "gsi2pk": f"DEPT#{employee.department}#EMPLOYEES"}
    item["gsi2sk"] = order
    if employee.status == "onboarding":
        item |= {"gsi3pk": STARTING, "gsi3sk": order}
    return item | employee.model_dump(mode="json")


class EmployeeStore(Store):
    def create(self, employee: Employee, audit: AuditEntry, extra: list[dict[str, Any]] | None = None) -> bool:
        """The employee (conditional: new) with its audit record and any first sections, in one
        transaction. False when the employee exists already (a redelivered onboarding message)."""
        return self.table.put_new(
            [self.table.new_op(employee_item(employee)), self.table.audit_op(audit), *(extra or [])]
        )

    def get(self, employee_id: str) -> Employee | None:
        return self.table.get_model(Employee, **employee_key(employee_id))

    def require(self, employee_id: str) -> Employee:
        return found(self.get(employee_id), f"employee {employee_id}")

    def starting_by(self, day: date) -> list[Employee]:
        """Hires still onboarding whose start date is ``day`` or earlier (one Query on the sparse index)."""
        below = (day + timedelta(days=1)).isoformat()
        return [Employee.model_validate(i) for i in self.table.query_all(STARTING, index="gsi3", sk_below=below)]

    def activate(
        self, before: Employee, after: Employee, audit: AuditEntry, extra: list[dict[str, Any]] | None = None
    ) -> None:
        """The employee ``after`` (conditional on the version read) with its audit record and ``extra``
        transaction items (the application's move to ``hired``), in one transaction."""
        self.table.write_versioned(
            [(employee_item(after), before.version)],
            audit,
            f"employee {before.id} was changed by someone else",
            extra=extra or [],
        )

    def by_department(self, department: str, limit: int, token: str | None = None) -> Page:
        return self.table.query(f"DEPT#{department}#EMPLOYEES", index="gsi2", limit=limit, token=token)
