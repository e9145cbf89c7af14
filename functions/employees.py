"""Employees after onboarding: records, tasks, training plans, departures and attrition."""

from __future__ import annotations

from typing import Any

from functions.http import Call, ok
from functions.onboarding import task_view
from functions.verbs import Routes
from shared import clock
from shared.models.employee import Employee
from shared.models.people import (
    AttritionQuery,
    AttritionReport,
    Departure,
    DepartureCreate,
    EmployeeList,
    EmployeeQuery,
    EmployeeSummary,
    EmployeeView,
)
from shared.models.tasks import EmployeeTasks
from shared.models.training import AssessmentCreate, TrainingPlanView
from shared.security.policy import Action
from shared.services.people import People, window_days

bp = Routes(__name__)


def employee_view(people: People, employee: Employee) -> EmployeeView:
    departure = people.store.departure(employee.id) if employee.status == "departed" else None
    return EmployeeView.model_validate({**employee.model_dump(), "departure": departure})


@bp.get("/employees", query=EmployeeQuery, response=EmployeeList)
def list_employees(call: Call[None, EmployeeQuery]) -> Any:
    """A department's hires by start date (hr: any department, which must be named; manager: own)."""
    query = call.query
    department, page = People().list(call.who, query.department, query.limit, query.next_token)
    items = [EmployeeSummary.model_validate(i) for i in page.items]
    return ok(EmployeeList(department=department, items=items, next_token=page.next_token))


@bp.get("/employees/{employee_id}", response=EmployeeView)
def get_employee(call: Call, employee_id: str) -> Any:
    """A hire (hr; manager of the department); with the departure once recorded."""
    people = People()
    employee = people.authorized_employee(call.who, Action.employee_read, employee_id)
    return ok(employee_view(people, employee))


@bp.get("/employees/{employee_id}/tasks", response=EmployeeTasks)
def employee_tasks(call: Call, employee_id: str) -> Any:
    """Every onboarding task of one hire (hr; manager of the department)."""
    people = People()
    employee = people.authorized_employee(call.who, Action.employee_read, employee_id)
    items = [task_view(t, call.who.roles) for t in people.store.tasks_of(employee.id)]
    return ok({"employee_id": employee.id, "items": [i.model_dump(mode="json") for i in items]})


@bp.get("/employees/{employee_id}/training", response=TrainingPlanView)
def get_training(call: Call, employee_id: str) -> Any:
    """The hire's training plan: courses per dimension below the bar, reassessments (hr; manager)."""
    people = People()
    employee = people.authorized_employee(call.who, Action.training_read, employee_id)
    return ok(TrainingPlanView.model_validate(people.training(employee).model_dump()))


@bp.post("/employees/{employee_id}/training/assessments", body=AssessmentCreate, response=TrainingPlanView, status=201)
def add_assessment(call: Call[AssessmentCreate, None], employee_id: str) -> Any:
    """Record the reassessment of a planned dimension (hr; manager of the department)."""
    people = People()
    employee = people.authorized_employee(call.who, Action.training_assess, employee_id)
    plan = people.assess(employee, call.body, call.who, call.source_ip)
    return ok(TrainingPlanView.model_validate(plan.model_dump()), status=201)


@bp.post("/employees/{employee_id}/departure", body=DepartureCreate, response=Departure, status=201)
def record_departure(call: Call[DepartureCreate, None], employee_id: str) -> Any:
    """Record that a hire left (hr): date on or after the start date, reason code and text; once."""
    people = People()
    employee = people.authorized_employee(call.who, Action.departure_record, employee_id)
    return ok(people.depart(employee, call.body, call.who, call.source_ip), status=201)


@bp.get("/analytics/attrition", query=AttritionQuery, response=AttritionReport)
def attrition(call: Call[None, AttritionQuery]) -> Any:
    """Attrition per hiring cohort (start-date month) and requisition (hr; manager: own department).

    Departures within ``window`` days after the start date over hires; one index Query per cohort."""
    query = call.query
    report = People().attrition(
        call.who, window_days(query.window), query.since, query.until, query.department, clock.now().date()
    )
    return ok(report)
