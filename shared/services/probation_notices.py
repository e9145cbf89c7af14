"""What the probation state machine's messages do (the manager's and HR's notices: reminders,
escalations, the decision's request with its task token) and the daily digest of lagging
probationers; the reads both they and the people's actions (``shared.services.probation``) start from."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from shared.clock import BANK_TIME
from shared.clock import timestamp as clock_timestamp
from shared.domain import probation as rules
from shared.domain import time_rules
from shared.models.common import iso, utcnow
from shared.models.employee import Employee
from shared.models.probation import DigestResult, Probation, ProbationMessage, ProbationView
from shared.services import probation_mail as mail_text
from shared.services.probation_mail import as_html
from shared.services.probation_view import completion, elapsed, view
from shared.store import directory, mail
from shared.store.audit import AuditEntry
from shared.store.employees import EmployeeStore
from shared.store.probation import ProbationStore
from shared.store.repository import Repository

CHECK_IN = "probation_check_in"  # the state machine's one-month message
Mailer = Callable[[str, str, str, str], str]


class ProbationNotices:
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
