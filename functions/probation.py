"""Probation: goals from the competency profile, confirmation (starts the cycle's state machine),
progress and the manager's final decision. The daily digest of lagging probationers and the state
machine's messages are handled in ``functions.consumers``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from functions.http import Call, logger, ok
from functions.idempotency import idempotent
from functions.verbs import Routes
from shared.models.employee import Employee
from shared.models.probation import (
    ConfirmRequest,
    ConfirmResult,
    DecisionInput,
    GoalsUpdate,
    Probation,
    ProbationView,
    ProgressInput,
)
from shared.security.policy import Action, authorize
from shared.security.tokens import Principal
from shared.services.probation import ProbationService

bp = Routes(__name__)
PROBATION = "/employees/{employee_id}/probation"
B = TypeVar("B")


def _employee(who: Principal, action: Action, employee_id: str, service: ProbationService) -> Employee:
    """The hire, if ``who`` may perform ``action`` on them (role first, then the department)."""
    authorize(who, action)
    employee = service.employees.require(employee_id)
    authorize(who, action, employee.department)
    return employee


def _change(
    call: Call[B, None],
    employee_id: str,
    action: Action,
    change: Callable[[ProbationService, Employee, B, str, str | None], Probation],
) -> Any:
    """The probation as ``change`` leaves it; the role and the department are checked before the
    body is read."""
    service = ProbationService()
    employee = _employee(call.who, action, employee_id, service)
    return ok(service.view(employee, change(service, employee, call.body, call.who.username, call.source_ip)))


@bp.get(PROBATION, response=ProbationView)
def get_probation(call: Call, employee_id: str) -> Any:
    """A hire's probation: before confirmation the goals proposed from the interview competency
    profile; then each goal's progress in words and numbers (客户拜访完成3次，还差2次), the
    weighted completion, the phase of the cycle and its outcome (hr; managers of the department).

    A manager opening a final review that waits for their decision restarts its escalation clock."""
    service = ProbationService()
    employee = _employee(call.who, Action.probation_read, employee_id, service)
    prob = service.store.get(employee.id)
    if "manager" in call.who.roles:
        service.heartbeat(prob)
    return ok(service.view(employee, prob), headers={"Cache-Control": "no-store"})


@bp.put(PROBATION + "/goals", body=GoalsUpdate, response=ProbationView)
def put_goals(call: Call[GoalsUpdate, None], employee_id: str) -> Any:
    """Adjust the goals before confirmation (hr; managers of the department): the complete list,
    each goal with its dimension; the weights must sum to 100 (400 otherwise). 409 once confirmed."""
    return _change(call, employee_id, Action.probation_manage, ProbationService.update_goals)


@bp.post(PROBATION + "/confirm", body=ConfirmRequest, response=ConfirmResult, status=201, extra_statuses=(200,))
def confirm(call: Call[ConfirmRequest, None], employee_id: str) -> Any:
    """Confirm the goals and start the probation cycle (hr; managers of the department): the state
    machine execution ``probation-<employee id>``. Repeating it is harmless: 200 with the same
    execution. ``durations`` (seconds) compress the cycle for tests and the local stack.
    ``Idempotency-Key`` makes a retry return the same answer."""
    service = ProbationService()
    employee = _employee(call.who, Action.probation_manage, employee_id, service)
    body = call.body

    def run() -> dict[str, Any]:
        return service.confirm(employee, body, call.who.username, call.source_ip).model_dump(mode="json")

    result = idempotent(call, f"probation.confirm.{employee.id}", body, run)
    logger.info("probation confirmed", extra={"employee_id": employee.id, "started": result["started"]})
    return ok(result, status=201 if result["started"] else 200)


@bp.post(PROBATION + "/progress", body=ProgressInput, response=ProbationView)
def record_progress(call: Call[ProgressInput, None], employee_id: str) -> Any:
    """Record an achievement toward a goal (hr; managers of the department): ``amount`` adds to a
    count goal (client visits), or is the latest value of a score goal (client satisfaction).
    409 unless the probation runs."""
    return _change(call, employee_id, Action.probation_manage, ProbationService.record_progress)


@bp.post(PROBATION + "/decision", body=DecisionInput, response=ProbationView)
def decide(call: Call[DecisionInput, None], employee_id: str) -> Any:
    """The final review's decision (the department's manager): ``confirm``; ``extend`` with
    ``new_end_date`` and ``reason`` (another review cycle); ``not_confirm`` with ``reason``.
    409 unless the final review waits for a decision (e.g. it timed out and went to HR)."""
    return _change(call, employee_id, Action.probation_decide, ProbationService.decide)
