"""The probation cycle: goals from the competency profile, confirmation (starts the state machine),
progress, the manager's decision (answers the state machine's task token), the state machine's
messages (reminders, escalations) and the daily digest of lagging probationers. What a probation
looks like is ``probation_view``, its mails ``probation_mail``, its clock ``probation_time``; what the
machine's messages and the daily digest do ``probation_notices``.

The state machine (``infra/statemachines/probation.asl.json``) owns the timeline: it waits, moves the
``phase``, asks for the decision and writes the outcome. This module is what people and the
machine's messages do in between.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta
from typing import Any

from shared.domain import probation as rules
from shared.domain import time_rules
from shared.errors import Conflict, ValidationFailed
from shared.models.common import iso, utcnow
from shared.models.employee import Employee
from shared.models.probation import (
    ConfirmRequest,
    ConfirmResult,
    DecisionInput,
    Goal,
    GoalsUpdate,
    Probation,
    ProgressInput,
)
from shared.services.probation_notices import ProbationNotices
from shared.services.probation_time import durations as cycle_durations
from shared.services.probation_time import iso_ts, midnight
from shared.services.probation_view import proposed_goals
from shared.settings import get_settings
from shared.store import workflows
from shared.store.offers import OfferStore

PROGRESS_ATTEMPTS = 3
DEFAULT_PROBATION_MONTHS = 3  # an employee recorded without an offer (none in the product's own flow)


def execution_name(employee_id: str) -> str:
    return f"probation-{employee_id}"


def goals_from_input(body: GoalsUpdate, current: list[Goal]) -> list[Goal]:
    """The new goal list; a goal keeping an existing id keeps its achieved total."""
    problems = rules.check_goals([g.weight for g in body.goals], [g.dimension for g in body.goals])
    ids = [g.id for g in body.goals if g.id]
    if len(ids) != len(set(ids)):
        problems.append(rules.WeightProblem("goals", "goal ids must be unique"))
    if problems:
        raise ValidationFailed("the goals are not valid", [{"field": p.field, "message": p.message} for p in problems])
    achieved = {g.id: g.achieved for g in current}
    used = set(ids)
    fresh = (f"g{n}" for n in range(1, 100) if f"g{n}" not in used)
    goals = []
    for g in body.goals:
        goal_id = g.id or next(fresh)
        goals.append(
            Goal(
                id=goal_id,
                slot=next((c.slot for c in current if c.id == goal_id), "custom"),
                dimension=g.dimension,
                title_zh=g.title_zh,
                title_en=g.title_en,
                label_zh=g.label_zh or g.title_zh,
                label_en=g.label_en or g.title_en,
                target=g.target,
                unit_zh=g.unit_zh,
                unit_en=g.unit_en,
                measure=g.measure,
                weight=g.weight,
                achieved=achieved.get(goal_id, 0),
            )
        )
    return goals


class ProbationService(ProbationNotices):
    def _new(self, employee: Employee, goals: list[Goal]) -> Probation:
        return Probation(
            employee_id=employee.id,
            name=employee.name,
            department=employee.department,
            role_family=employee.role_family.value,
            goals=goals,
            start_date=employee.start_date,
            updated_at=iso(utcnow()),
        )

    # -- goals -------------------------------------------------------------------------------------
    def update_goals(self, employee: Employee, body: GoalsUpdate, actor: str, ip: str | None) -> Probation:
        prob = self.store.get(employee.id)
        if prob is not None and prob.status != "draft":
            raise Conflict("the goals are confirmed; they can no longer be changed", [{"status": prob.status}])
        if prob is not None and body.version is not None and body.version != prob.version:
            raise Conflict("the goals were changed meanwhile; reload and retry", [{"version": prob.version}])
        current = prob.goals if prob else proposed_goals(employee)
        goals = goals_from_input(body, current)
        base = prob or self._new(employee, current)
        after = base.model_copy(
            update={"goals": goals, "updated_at": iso(utcnow()), "version": base.version + (1 if prob else 0)}
        )
        details = {"goals": [g.model_dump(mode="json") for g in goals]}
        self.store.put(
            after, prob.version if prob else None, self._audit(employee.id, actor, "probation:goals", details, ip)
        )
        return after

    # -- confirm and start -----------------------------------------------------------------------
    def _months(self, employee: Employee, body: ConfirmRequest) -> int:
        """The probation period the signed offer set; ``months`` saying otherwise is refused (400)."""
        offer = OfferStore(self.repo).get(employee.application_id, employee.offer_id)
        signed = offer.probation_months if offer is not None else DEFAULT_PROBATION_MONTHS
        if body.months is not None and body.months != signed:
            raise ValidationFailed(
                "the probation period is the signed offer's",
                [{"field": "months", "message": f"the signed offer sets {signed} months, not {body.months}"}],
            )
        return signed

    def confirm(self, employee: Employee, body: ConfirmRequest, actor: str, ip: str | None) -> ConfirmResult:
        machine = get_settings().probation_state_machine_arn
        prob = self.store.get(employee.id)
        name = execution_name(employee.id)
        first = prob is None or prob.status == "draft"
        if first:
            time_rules.require_started(employee.start_date, self.today(), "the probation goals are confirmed")
            now = self.clock()
            durations, ends = cycle_durations(employee.start_date, self._months(employee, body), body, now)
            base = prob or self._new(employee, proposed_goals(employee))
            prob_after = base.model_copy(
                update={
                    "status": "running",
                    "phase": "goals_confirmed",
                    "phase_at": iso_ts(now),
                    # the period runs from the first working day (compressed: from now)
                    "started_at": iso_ts(now if body.durations else midnight(employee.start_date)),
                    "ends_at": iso_ts(ends),
                    "end_date": datetime.fromtimestamp(ends, tz=UTC).date(),
                    "durations": durations,
                    "compressed": body.durations is not None,
                    "execution_arn": workflows.execution_arn(machine, name),
                    "updated_at": iso(utcnow()),
                    "version": base.version + (1 if prob else 0),
                }
            )
            details = {"durations": durations, "goals": [g.id for g in prob_after.goals]}
            self.store.put(
                prob_after,
                prob.version if prob else None,
                self._audit(employee.id, actor, "probation:confirm", details, ip),
            )
            prob = prob_after
        assert prob is not None
        if prob.status != "running" and first is False:
            # A finished cycle: a repeated confirm answers what happened, it never restarts it.
            return ConfirmResult(
                employee_id=employee.id,
                execution_arn=prob.execution_arn or workflows.execution_arn(machine, name),
                execution_name=name,
                started=False,
                probation=self.view(employee, prob),
            )
        # a confirmation whose start failed (503) is stored: its retry starts the execution, once (by name:
        # Step Functions answers a repeated start of a running execution with the same input with that one)
        arn, _ = workflows.start(machine, name, self.execution_input(prob))
        return ConfirmResult(
            employee_id=employee.id,
            execution_arn=arn,
            execution_name=name,
            started=first,
            probation=self.view(employee, prob),
        )

    @staticmethod
    def execution_input(prob: Probation) -> dict[str, Any]:
        return {
            "employee_id": prob.employee_id,
            "pk": f"EMP#{prob.employee_id}",
            "cycle": 1,
            "durations": prob.durations,
        }

    # -- progress ----------------------------------------------------------------------------------
    def record_progress(self, employee: Employee, body: ProgressInput, actor: str, ip: str | None) -> Probation:
        """An achievement adds to the goal whatever else changed meanwhile (the state machine moves
        the phase on its own): on a version conflict it is applied again to a fresh read, a few times."""
        for attempt in range(PROGRESS_ATTEMPTS):
            try:
                return self._record_progress(employee, body, actor, ip)
            except Conflict:
                if attempt == PROGRESS_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    def _record_progress(self, employee: Employee, body: ProgressInput, actor: str, ip: str | None) -> Probation:
        today = self.today()
        time_rules.require_started(employee.start_date, today, "progress is recorded")
        prob = self.store.get(employee.id)
        if prob is None or prob.status != "running":
            status = prob.status if prob else "proposed"
            raise Conflict(f"progress is recorded while the probation runs; it is {status}", [{"status": status}])
        goal = next((g for g in prob.goals if g.id == body.goal_id), None)
        if goal is None:
            raise ValidationFailed(
                "the goal does not exist",
                [{"field": "goal_id", "message": f"one of {', '.join(g.id for g in prob.goals)}"}],
            )
        if body.date > today + timedelta(days=1) or body.date < employee.start_date:
            raise ValidationFailed(
                "the date is outside the probation",
                [{"field": "date", "message": f"between {employee.start_date} and today"}],
            )
        achieved = body.amount if goal.measure == "score" else goal.achieved + body.amount
        goals = [g.model_copy(update={"achieved": achieved}) if g.id == goal.id else g for g in prob.goals]
        after = prob.model_copy(update={"goals": goals, "updated_at": iso(utcnow()), "version": prob.version + 1})
        entry = {
            "goal_id": goal.id,
            "amount": body.amount,
            "note": body.note,
            "date": body.date.isoformat(),
            "by": actor,
            "at": iso(utcnow()),
        }
        self.store.put(
            after,
            prob.version,
            self._audit(employee.id, actor, "probation:progress", entry, ip),
            [self.store.progress_item(employee.id, entry)],
        )
        return after

    # -- the decision ------------------------------------------------------------------------------
    def decide(self, employee: Employee, body: DecisionInput, actor: str, ip: str | None) -> Probation:
        time_rules.require_started(employee.start_date, self.today(), "the probation is decided")
        prob = self.store.get(employee.id)
        if prob is None or prob.status != "running" or prob.phase != "awaiting_decision" or not prob.task_token:
            phase = (prob.phase or prob.status) if prob else "proposed"
            raise time_rules.NotYet(
                f"the decision is taken after the final review, which is not waiting for it (it is {phase})",
                [{"field": "phase", "message": "the final review has not asked for the decision", "phase": phase}],
            )
        now = self.clock()
        output: dict[str, Any] = {"decision": body.decision, "reason": body.reason, "by": actor}
        if body.decision == "extend":
            assert body.new_end_date is not None
            if prob.end_date is not None and body.new_end_date <= prob.end_date:
                raise ValidationFailed(
                    "the new end date must be after the current one",
                    [{"field": "new_end_date", "message": f"after {prob.end_date.isoformat()}"}],
                )
            if prob.compressed and prob.durations:
                wait = int(prob.durations["end"])  # a compressed cycle extends by its own end interval
            else:
                wait = int(max(0.0, midnight(body.new_end_date) - now))
            output |= {
                "new_end_date": body.new_end_date.isoformat(),
                "wait_seconds": wait,
                "ends_at": iso_ts(now + wait) if prob.compressed else iso_ts(midnight(body.new_end_date)),
            }
        token = prob.task_token
        # Claim the decision first (conditional on the version read): of two racing decisions one wins.
        claimed = prob.model_copy(
            update={
                "phase": "decided",
                "task_token": None,
                "decision": output | {"at": iso_ts(now)},
                "updated_at": iso(utcnow()),
                "version": prob.version + 1,
            }
        )
        self.store.put(claimed, prob.version, self._audit(employee.id, actor, "probation:decision", output, ip))
        try:
            workflows.send_success(token, output)
        except Exception as exc:
            current = self.store.get(employee.id)
            if current is not None and current.phase == "decided":
                restored = current.model_copy(update={"decision": None, "version": current.version + 1})
                if not isinstance(exc, Conflict):
                    # the task still waits (the workflow service failed, not the token): the manager retries
                    restored = restored.model_copy(update={"phase": "awaiting_decision", "task_token": token})
                undelivered = self._audit(employee.id, "system", "probation:decision_undelivered", {}, None)
                with contextlib.suppress(Conflict):  # the state machine moved on meanwhile; its outcome stands
                    self.store.put(restored, current.version, undelivered)
            raise
        return claimed

    def heartbeat(self, prob: Probation | None) -> None:
        """The manager opened the final review: the state machine's heartbeat (escalation) clock restarts."""
        if prob is not None and prob.phase == "awaiting_decision" and prob.task_token:
            workflows.heartbeat(prob.task_token)
