"""Employees in the talent table (``EMP#<id>`` / ``META``); sections are other items of the partition.

Managers find their department's hires through gsi2 (``DEPT#<department>#EMPLOYEES``, by start date).
"""

from __future__ import annotations

from typing import Any

from shared.errors import found
from shared.models.employee import Employee, employee_key
from shared.store.audit import AuditEntry
from shared.store.table import Page, Store


def employee_item(employee: Employee) -> dict[str, Any]:
    return {
        **employee_key(employee.id),
        "type": "employee",
        "gsi2pk": f"DEPT#{employee.department}#EMPLOYEES",
        "gsi2sk": f"{employee.start_date.isoformat()}#{employee.id}",
        **employee.model_dump(mode="json"),
    }


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

    def by_department(self, department: str, limit: int, token: str | None = None) -> Page:
        return self.table.query(f"DEPT#{department}#EMPLOYEES", index="gsi2", limit=limit, token=token)
