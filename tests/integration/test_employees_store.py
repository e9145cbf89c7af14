from __future__ import annotations

from typing import Any

from shared.models.employee import Employee
from shared.store.audit import AuditEntry
from shared.store.employees import EmployeeStore
from shared.store.repository import Repository
from tests.support.employees import employee


def hire(employee_id: str, department: str = "零售金融部") -> Employee:
    return employee(employee_id, department=department)


def test_an_employee_is_created_once_and_listed_by_department(stack: Any) -> None:
    # Given an empty store
    store = EmployeeStore(Repository())
    audit = AuditEntry(subject="employee:e1", actor="system", action="employee:create", details={})
    # When the same hire is created twice (a redelivered onboarding message)
    first = store.create(hire("e1"), audit)
    again = store.create(hire("e1").model_copy(update={"name": "李娜"}), audit)
    store.create(hire("e2", department="风险管理部"), audit)
    # Then only the first write took effect, and each department lists only its own hires
    assert (first, again) == (True, False)
    assert store.require("e1").name == "张伟"
    assert [i["id"] for i in store.by_department("零售金融部", limit=10).items] == ["e1"]
    assert store.get("missing") is None
