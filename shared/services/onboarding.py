"""Onboarding a signed offer, and the daily onboarding schedule.

``onboard`` (one ``OnboardingRequest`` from the onboarding queue):

1. read the application (the latest AI dimension scores) and the requisition (bar, title);
2. ONE transaction (``EmployeeStore.create``): the employee (conditional: new) + its audit record +
   every task + the training plan + the cohort entry. A redelivered message writes nothing;
3. mail the welcome pack to the hire and the training plan to the department's managers, each
   exactly once in effect: a marker ``MAIL#<kind>`` goes ``sending`` before SES is called and
   ``sent`` after; a redelivery finds ``sent`` and stops (a crash in between sends again: at least
   once, never silently lost).

``daily`` (EventBridge, once a day): escalates tasks overdue before the start date (once per task:
it leaves the pending index) in one summary mail to HR, and reminds the managers once when a
training plan's reassessment is due and not every dimension was reassessed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from shared.domain import onboarding_mail
from shared.domain.onboarding import TASK_HIRE_FIELDS, build_tasks, is_overdue, plan_dimensions
from shared.errors import Conflict, NotFound, ValidationFailed
from shared.models.common import iso, utcnow
from shared.models.employee import Employee
from shared.models.onboarding import OnboardingRequest
from shared.models.training import TrainingPlan
from shared.services import confidence
from shared.services.courses import Courses
from shared.store import directory, mail
from shared.store.audit import AuditEntry
from shared.store.background import BackgroundStore
from shared.store.employees import EmployeeStore
from shared.store.onboarding import OnboardingStore, cohort_item, task_item, training_item
from shared.store.repository import Repository

MAX_TRANSACTION_ITEMS = 100
Send = Callable[[str, str, str, str], str]  # to, subject, text, html -> message id
Directory = Callable[[str, str | None], list[str]]  # group, department -> addresses


@dataclass(frozen=True)
class Outcome:
    employee_id: str
    created: bool
    welcome: str
    training_plan: str


class Onboarding:
    def __init__(
        self, repo: Repository | None = None, send: Send | None = None, people: Directory | None = None
    ) -> None:
        self.repo = repo or Repository()
        self.employees = EmployeeStore(self.repo)
        self.store = OnboardingStore(self.repo)
        self.send = send or mail.send
        self.people = people or directory.emails

    # -- a signed offer ------------------------------------------------------------------------------
    def onboard(self, msg: OnboardingRequest) -> Outcome:
        app = self.repo.applications.get(msg.application_id)
        if app is None:
            raise NotFound(f"application {msg.application_id} does not exist")
        if app.requisition_id != msg.requisition_id:
            raise ValidationFailed(
                "the message names another requisition than the application's",
                [{"field": "requisition_id", "message": "does not match the application"}],
            )
        req = self.repo.requisitions.require(msg.requisition_id)
        now = iso(utcnow())
        scores = dict(app.ai.dimension_scores) if app.ai else {}
        employee = Employee(
            id=app.id,
            offer_id=msg.offer_id,
            application_id=app.id,
            requisition_id=req.id,
            dimension_scores=scores,
            competency_bar=dict(req.competency_bar),
            dimension_weights=dict(req.dimension_weights),
            person_id=app.person_id,
            created_at=now,
            **msg.model_dump(include=TASK_HIRE_FIELDS | {"email", "grade"}),
        )
        # the plan aims at the dimensions whose confidence-weighted score is below the bar
        weighed = confidence.weighed(app, BackgroundStore(self.repo).checks(app.id), req.dimension_weights)
        catalogue = Courses(self.repo).catalogue()
        plan = TrainingPlan(
            employee_id=employee.id,
            **employee.model_dump(include={"name", "department", "title", "start_date"}),
            dimensions=plan_dimensions(scores, req.competency_bar, catalogue, msg.start_date, weighed.scores),
            basis_zh=f"培训计划针对可信度加权得分低于岗位要求的维度。{weighed.explanation_zh}",
            basis_en=f"The plan covers the dimensions whose confidence-weighted score is below the bar. "
            f"{weighed.explanation_en}",
            created_at=now,
        )
        sections = [task_item(t) for t in build_tasks(employee.id, msg, now)]
        sections += [training_item(plan), cohort_item(employee)]
        # the employee and its audit record are the transaction's first two items
        if len(sections) + 2 > MAX_TRANSACTION_ITEMS:  # the task list is fixed: never reached
            raise ValidationFailed("too many onboarding items for one transaction")
        audit = AuditEntry(
            subject=f"employee:{employee.id}",
            actor="system",
            action="employee.onboard",
            details={"offer_id": msg.offer_id, "tasks": len(sections) - 2, "plan": len(plan.dimensions)},
        )
        created = self.employees.create(employee, audit, [self.store.put_request(i) for i in sections])
        stored = self.employees.require(employee.id) if not created else employee
        stored_plan = self.store.training(stored.id) if not created else plan
        welcome = self._once(stored.id, "welcome", lambda: [self.send(msg.email, *onboarding_mail.welcome_pack(msg))])
        planned = "none"
        if stored_plan and stored_plan.dimensions:
            text = onboarding_mail.training_plan(stored_plan)
            planned = self._once(
                stored.id,
                "training_plan",
                lambda: [self.send(to, *text) for to in self.people("manager", stored.department)],
            )
        return Outcome(stored.id, created, welcome, planned)

    def _once(self, employee_id: str, kind: str, deliver: Callable[[], list[str]]) -> str:
        marker = self.store.marker(employee_id, kind)
        if marker and marker.get("status") == "sent":
            return "already_sent"
        self.store.set_marker(employee_id, kind, {"status": "sending", "at": iso(utcnow())})
        ids = deliver()
        self.store.set_marker(employee_id, kind, {"status": "sent", "at": iso(utcnow()), "ses_message_ids": ids})
        return "sent"

    # -- the daily schedule ---------------------------------------------------------------------------
    def daily(self, today: date) -> dict[str, int]:
        return {**self.escalate_overdue(today), **self.remind_reassessments(today)}

    def escalate_overdue(self, today: date) -> dict[str, int]:
        """Tasks past their due date before the hire's start: one summary mail to HR, then each is
        marked escalated (and leaves the pending index), so it is escalated once."""
        overdue = [t for t in self.store.pending_tasks_due_before(today) if is_overdue(t, today)]
        if not overdue:
            return {"escalated": 0}
        recipients = self.people("hr", None)
        text = onboarding_mail.overdue_summary(overdue, today)
        for to in recipients:
            self.send(to, *text)
        now, escalated = iso(utcnow()), 0
        for task in overdue:
            after = task.model_copy(update={"escalated_at": now, "version": task.version + 1})
            audit = AuditEntry(
                subject=f"employee:{task.employee_id}",
                actor="system",
                action="task.escalate",
                details={"task_id": task.id, "due_date": task.due_date.isoformat(), "mailed": len(recipients)},
            )
            try:
                self.store.update_task(task, after, audit)
                escalated += 1
            except Conflict:  # changed meanwhile (e.g. done): it is found again tomorrow if still overdue
                continue
        return {"escalated": escalated}

    def remind_reassessments(self, today: date) -> dict[str, int]:
        reminded = 0
        for plan in self.store.reassessments_due(today):
            if plan.reminded_at is not None or not plan.pending():
                continue
            text = onboarding_mail.reassessment_reminder(plan)
            for to in self.people("manager", plan.department):
                self.send(to, *text)
            after = plan.model_copy(update={"reminded_at": iso(utcnow()), "version": plan.version + 1})
            audit = AuditEntry(
                subject=f"employee:{plan.employee_id}",
                actor="system",
                action="training.remind",
                details={"dimensions": [d.dimension.value for d in plan.pending()]},
            )
            try:
                self.store.update_training(plan, after, audit)
                reminded += 1
            except Conflict:
                continue
        return {"reminders": reminded}
