"""The probation cycle: goals from the competency profile, confirmation (starts the state machine),
progress, the manager's decision (answers the state machine's task token), the state machine's
messages (reminders, escalations) and the daily digest of lagging probationers. What a probation
looks like is ``probation_view``, its mails ``probation_mail``, its clock ``probation_time``.

The state machine (``infra/statemachines/probation.asl.json``) owns the timeline: it waits, moves the
``phase``, asks for the decision and writes the outcome. This module is what people and the
machine's messages do in between.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from shared.clock import BANK_TIME
from shared.clock import timestamp as clock_timestamp
from shared.domain import probation as rules
from shared.domain import time_rules
from shared.errors import Conflict, ValidationFailed
from shared.models.common import iso, utcnow
from shared.models.employee import Employee
from shared.models.probation import (
    ConfirmRequest,
    ConfirmResult,
    DecisionInput,
    DigestResult,
    Goal,
    GoalsUpdate,
    Probation,
    ProbationMessage,
    ProbationView,
    ProgressInput,
)
from shared.services import probation_mail as mail_text
from shared.services.probation_mail import as_html
from shared.services.probation_time import durations as cycle_durations
from shared.services.probation_time import iso_ts, midnight
from shared.services.probation_view import completion, elapsed, proposed_goals, view
from shared.settings import get_settings
from shared.store import directory, mail, workflows
from shared.store.audit import AuditEntry
from shared.store.employees import EmployeeStore
from shared.store.probation import ProbationStore
from shared.store.repository import Repository

PROGRESS_ATTEMPTS = 3
CHECK_IN = "probation_check_in"  # the state machine's one-month message
Mailer = Callable[[str, str, str, str], str]


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


class ProbationService:
    def __init__(
        self,
        repo: Repository | None = None,
        send_mail: Mailer | None = None,
        clock: Callable[[], float] = clock_timestamp,
        people: Callable[[str, str | None], list[str]] | None = None,
    ) -> None:
        self.repo = repo or Repository()
        self.employees = EmployeeStore(self.repo)
        self.store = ProbationStore(self.repo)
        self.send_mail: Mailer = send_mail or mail.send
        self.clock = clock
        self.people = people or directory.emails  # the one directory every mail is addressed from

    # -- reads -------------------------------------------------------------------------------------
    def load(self, employee_id: str) -> tuple[Employee, Probation | None]:
        employee = self.employees.require(employee_id)
        return employee, self.store.get(employee_id)

    def view(self, employee: Employee, prob: Probation | None) -> ProbationView:
        return view(employee, prob, self.clock())

    def today(self) -> date:
        """The bank's calendar day (a hire's start_date is a Beijing date)."""
        return datetime.fromtimestamp(self.clock(), tz=BANK_TIME).date()

    def _audit(self, employee_id: str, actor: str, action: str, details: dict[str, Any], ip: str | None) -> AuditEntry:
        return AuditEntry(f"employee:{employee_id}", actor, action, details, ip)

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
    def confirm(self, employee: Employee, body: ConfirmRequest, actor: str, ip: str | None) -> ConfirmResult:
        machine = get_settings().probation_state_machine_arn
        prob = self.store.get(employee.id)
        name = execution_name(employee.id)
        first = prob is None or prob.status == "draft"
        if first:
            time_rules.require_started(employee.start_date, self.today(), "the probation goals are confirmed")
            now = self.clock()
            durations, ends = cycle_durations(employee.start_date, body, now)
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

    # -- the state machine's messages -------------------------------------------------------------
    def handle(self, msg: ProbationMessage) -> str:
        employee, prob = self.load(msg.employee_id)
        if prob is None:
            return "no_probation"
        if msg.kind == "probation_decision":
            return self._await_decision(employee, prob, msg)
        return self._notify(employee, prob, msg)

    def _await_decision(self, employee: Employee, prob: Probation, msg: ProbationMessage) -> str:
        if prob.status != "running":
            return "stale"
        if prob.task_token != msg.task_token:
            after = prob.model_copy(
                update={
                    "phase": "awaiting_decision",
                    "task_token": msg.task_token,
                    "cycle": msg.cycle,
                    "decision": None,
                    "updated_at": iso(utcnow()),
                    "version": prob.version + 1,
                }
            )
            # A Conflict (the machine wrote meanwhile) fails the record: SQS redelivers it.
            self.store.put(after, prob.version, self._audit(employee.id, "system", "probation:awaiting", {}, None))
            prob = after
        return self._notify(employee, prob, msg)

    def _notify(self, employee: Employee, prob: Probation, msg: ProbationMessage) -> str:
        notice = f"{msg.kind}#{msg.cycle}"
        if self.store.notice_sent(employee.id, notice):
            return "already_sent"
        if msg.kind == CHECK_IN and self.today() < time_rules.one_month_after(employee.start_date):
            # "入职已满一个月" is said when it is true: the daily digest sends it on the day it becomes so
            self.store.mark_notice(employee.id, notice, "held")
            return "held"
        self.store.mark_notice(employee.id, notice, "sending")
        recipients = {"manager": self.people("manager", employee.department), "hr": self.people("hr", None)}
        notices = mail_text.notices(employee, prob, self.view(employee, prob), msg.kind, "manager", "hr")
        for role, subject, text in notices:
            for to in recipients[role]:
                self.send_mail(to, subject, text, as_html(text))
        self.store.mark_notice(employee.id, notice, "sent")
        return "sent"

    def _send_held_check_in(self, prob: Probation, today: date) -> None:
        if today < time_rules.one_month_after(prob.start_date):
            return
        notice = f"{CHECK_IN}#{prob.cycle}"
        if self.store.notice_status(prob.employee_id, notice) == "held":
            msg = ProbationMessage(kind=CHECK_IN, employee_id=prob.employee_id, cycle=prob.cycle)
            self._notify(self.employees.require(prob.employee_id), prob, msg)

    # -- the daily digest --------------------------------------------------------------------------
    def digest(self) -> DigestResult:
        """One mail per department manager listing the lagging probationers; one HR summary; and the
        one-month check-in mails held until a month after the start date, on the day they fall due."""
        now = self.clock()
        today = self.today()
        by_department: dict[str, list[str]] = defaultdict(list)
        active: dict[str, int] = defaultdict(int)
        token: str | None = None
        while True:
            page = self.store.active(limit=100, token=token)
            for item in page.items:
                prob = Probation.model_validate(item)
                active[prob.department] += 1
                self._send_held_check_in(prob, today)
                _, weighted = completion(prob.goals)
                share = elapsed(prob, now)
                if share is not None and rules.is_lagging(weighted, share):
                    by_department[prob.department].append(mail_text.lagging_line(prob, weighted, share))
            token = page.next_token
            if not token:
                break
        manager_mails = hr_mails = 0
        for department, lines in sorted(by_department.items()):
            subject, text = mail_text.manager_digest(department, lines)
            for to in self.people("manager", department):
                self.send_mail(to, subject, text, as_html(text))
                manager_mails += 1
        if active:
            subject, text = mail_text.hr_summary(active, by_department)
            for to in self.people("hr", None):
                self.send_mail(to, subject, text, as_html(text))
                hr_mails += 1
        return DigestResult(
            active=sum(active.values()),
            lagging=sum(len(v) for v in by_department.values()),
            manager_mails=manager_mails,
            hr_mails=hr_mails,
        )
