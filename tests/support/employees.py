"""Employees as onboarding creates them from a signed offer (for tests of what follows: probation,
performance, analytics, attrition)."""

from __future__ import annotations

from datetime import date
from typing import Any

from shared.models.employee import Employee
from shared.store.audit import AuditEntry
from shared.store.employees import EmployeeStore
from shared.store.repository import Repository

RETAIL = "零售金融部"


def employee(employee_id: str, **fields: Any) -> Employee:
    """A customer manager of 零售金融部 starting 2027-01-04; ``fields`` override any attribute."""
    defaults: dict[str, Any] = {
        "id": employee_id,
        "offer_id": f"offer-{employee_id}",
        "application_id": employee_id,
        "requisition_id": "req-1",
        "name": "张伟",
        "email": "zhang.wei@example.com",
        "department": RETAIL,
        "role_family": "customer_manager",
        "title": "客户经理",
        "grade": "P5",
        "start_date": date(2027, 1, 4),
        "created_at": "2026-11-28T00:00:00Z",
    }
    return Employee(**(defaults | fields))


def store(employee: Employee, action: str = "employee:create", subject: str | None = None) -> bool:
    """Create the employee as onboarding does (once: False if it exists), with its audit record."""
    audit = AuditEntry(subject or f"employee:{employee.id}", "system", action, {})
    return EmployeeStore(Repository()).create(employee, audit)


def seed_hires(req_id: str, department: str, starts: list[date], prefix: str) -> list[str]:
    """Employees as onboarding stores them (the employee, its audit record and its cohort entry)."""
    from shared.store.onboarding import OnboardingStore, cohort_item

    employees = EmployeeStore()
    ids = []
    for i, start in enumerate(starts):
        hire = employee(
            f"{prefix}{i:03d}",
            offer_id=f"offer-{prefix}{i}",
            requisition_id=req_id,
            name=f"员工{i}",
            email=f"{prefix}{i}@example.com",
            department=department,
            title="对公客户经理" if department == RETAIL else "风险经理",
            start_date=start,
            created_at="2025-01-01T00:00:00Z",
        )
        audit = AuditEntry(subject=f"employee:{hire.id}", actor="system", action="employee.onboard", details={})
        assert employees.create(hire, audit, [OnboardingStore().put_request(cohort_item(hire))])
        ids.append(hire.id)
    return ids
