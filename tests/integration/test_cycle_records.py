"""A page of a cycle's employees reads their records at once (GET /performance/cycles/{id}/records):
one request instead of one per employee (and no 404 for those not enrolled), scoped by department —
through the HTTP handler over moto."""

from __future__ import annotations

from shared.models.common import Dimension
from tests.support.api import Api
from tests.support.bodies import CYCLE
from tests.support.employees import employee, store


def hire(employee_id: str, department: str) -> None:
    hired = employee(
        employee_id,
        department=department,
        role_family="customer_manager",
        status="active",
        dimension_scores={Dimension.customer_orientation: 85},
        competency_bar={Dimension.customer_orientation: 80},
    )
    store(hired, action="employee.create", subject="employee:x")


def test_the_records_of_many_employees_come_in_one_request_of_the_callers_scope(api: Api) -> None:
    # Given three retail employees, two enrolled in a cycle, and an enrolled risk employee
    for employee_id in ("r1", "r2", "r3"):
        hire(employee_id, "零售金融部")
    hire("k1", "风险管理部")
    cycle = api.call("POST", "/performance/cycles", body=CYCLE).data["id"]
    enrolled = api.call("POST", f"/performance/cycles/{cycle}/enrolments", body={"employee_ids": ["r1", "r2", "k1"]})
    assert enrolled.status_code == 200, enrolled.data
    # When HR asks for the four at once
    path = f"/performance/cycles/{cycle}/records?employee_ids=r1,r2,r3,k1"
    answer = api.call("GET", path)
    # Then the three enrolled records come, the one not enrolled is simply absent
    assert answer.status_code == 200, answer.data
    assert sorted(r["employee_id"] for r in answer.data["items"]) == ["k1", "r1", "r2"]
    # And the retail manager gets the retail ones only; an interviewer nothing at all
    mine = api.call("GET", path, role="manager").data["items"]
    assert sorted(r["employee_id"] for r in mine) == ["r1", "r2"]
    assert api.call("GET", path, role="interviewer").status_code == 403
    # And more than 100 ids, or none: 400 naming the field
    too_many = ",".join(f"e{n}" for n in range(101))
    refused = api.call("GET", f"/performance/cycles/{cycle}/records?employee_ids={too_many}")
    assert refused.status_code == 400 and refused.data["error"]["details"][0]["field"] == "employee_ids"
    assert api.call("GET", f"/performance/cycles/{cycle}/records").status_code == 400
