"""The probation cycle: goals from the competency profile, confirmation (starts the state machine),
progress, the manager's decision (answers the state machine's task token), the state machine's
messages (reminders, escalations) and the daily digest of lagging probationers.

The state machine (``infra/statemachines/probation.asl.json``) owns the timeline: it waits, moves the
``phase``, asks for the decision and writes the outcome. This module is what people and the
machine's messages do in between.
"""

from __future__ import annotations

import calendar
import contextlib
import html
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from shared.domain import probation as rules
from shared.domain.radar import LABELS_ZH
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
    GoalView,
    Probation,
    ProbationMessage,
    ProbationView,
    ProgressInput,
)
from shared.settings import get_settings
from shared.store import mail, workflows
from shared.store.audit import AuditEntry
from shared.store.employees import EmployeeStore
from shared.store.probation import ProbationStore
from shared.store.repository import Repository

DAY = 86_400
DECISION_TIMEOUT = 7 * DAY  # the final review waits a week for the manager
HEARTBEAT = 3 * DAY  # and escalates after three days unless the manager opened it
PROGRESS_ATTEMPTS = 3
Mailer = Callable[[str, str, str, str], str]


def execution_name(employee_id: str) -> str:
    return f"probation-{employee_id}"


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _midnight(day: date) -> float:
    return datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()


def _iso_ts(ts: float) -> str:
    return iso(datetime.fromtimestamp(ts, tz=UTC))


def _parse_ts(text: str | None) -> float | None:
    if not text:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def proposed_goals(employee: Employee) -> list[Goal]:
    return [
        Goal(**{k: v for k, v in vars(g).items()})
        for g in rules.propose(employee.role_family, employee.dimension_scores, employee.competency_bar)
    ]


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


def _goal_like(g: Goal) -> rules.GoalLike:
    return rules.GoalLike(
        g.title_zh, g.title_en, g.label_zh, g.label_en, g.target, g.unit_zh, g.unit_en, g.measure, g.weight
    )


def completion(goals: list[Goal]) -> tuple[list[tuple[Goal, rules.Progress]], float]:
    parts = [(g, rules.progress(_goal_like(g), g.achieved)) for g in goals]
    return parts, rules.weighted_completion([(g.weight, p.completion_pct) for g, p in parts])


def elapsed(prob: Probation, now: float) -> float | None:
    started, ends = _parse_ts(prob.started_at), _parse_ts(prob.ends_at)
    if started is None or ends is None:
        return None
    return rules.elapsed_share(started, ends, now)


def view(employee: Employee, prob: Probation | None, now: float) -> ProbationView:
    goals = prob.goals if prob else proposed_goals(employee)
    parts, weighted = completion(goals)
    elapsed_pct = elapsed(prob, now) if prob and prob.status == "running" else None
    return ProbationView(
        employee_id=employee.id,
        name=employee.name,
        department=employee.department,
        role_family=employee.role_family.value,
        status=prob.status if prob else "proposed",
        phase=prob.phase if prob else None,
        outcome=prob.outcome if prob else None,
        cycle=prob.cycle if prob else 1,
        start_date=employee.start_date,
        end_date=prob.end_date if prob else None,
        goals=[
            GoalView(
                id=g.id,
                slot=g.slot,
                dimension=g.dimension,
                title_zh=g.title_zh,
                title_en=g.title_en,
                target=g.target,
                unit_zh=g.unit_zh,
                unit_en=g.unit_en,
                measure=g.measure,
                weight=g.weight,
                achieved=p.achieved,
                remaining=p.remaining,
                completion_pct=p.completion_pct,
                progress_zh=p.words_zh,
                progress_en=p.words_en,
            )
            for g, p in parts
        ],
        summary_zh=rules.summary_zh([_goal_like(g) for g in goals]),
        summary_en=rules.summary_en([_goal_like(g) for g in goals]),
        weighted_completion=weighted,
        elapsed_pct=elapsed_pct,
        lagging=elapsed_pct is not None and rules.is_lagging(weighted, elapsed_pct),
        execution_arn=prob.execution_arn if prob else None,
        awaiting_decision=bool(prob and prob.phase == "awaiting_decision" and prob.task_token),
        decision=prob.decision if prob else None,
        history=prob.history if prob else [],
        version=prob.version if prob else 0,
    )


class ProbationService:
    def __init__(
        self,
        repo: Repository | None = None,
        send_mail: Mailer | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.repo = repo or Repository()
        self.employees = EmployeeStore(self.repo)
        self.store = ProbationStore(self.repo)
        self.send_mail: Mailer = send_mail or mail.send
        self.clock = clock

    # -- reads -------------------------------------------------------------------------------------
    def load(self, employee_id: str) -> tuple[Employee, Probation | None]:
        employee = self.employees.require(employee_id)
        return employee, self.store.get(employee_id)

    def view(self, employee: Employee, prob: Probation | None) -> ProbationView:
        return view(employee, prob, self.clock())

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
    def durations(self, employee: Employee, body: ConfirmRequest, now: float) -> tuple[dict[str, int], float]:
        """Seconds for each wait of the cycle and the end (epoch seconds)."""
        if body.durations is not None:
            d = body.durations.model_dump()
            return d, now + d["check_in"] + d["mid_term"] + d["end"]
        start = _midnight(employee.start_date)
        end = _midnight(add_months(employee.start_date, body.months))
        mid = start + (end - start) / 2
        check = min(_midnight(add_months(employee.start_date, 1)), mid)
        check_in = max(0.0, check - now)
        mid_term = max(0.0, mid - max(now, check))
        final = max(0.0, end - max(now, mid))
        d = {
            "check_in": int(check_in),
            "mid_term": int(mid_term),
            "end": int(final),
            "decision_timeout": DECISION_TIMEOUT,
            "heartbeat": HEARTBEAT,
        }
        return d, end

    def confirm(self, employee: Employee, body: ConfirmRequest, actor: str, ip: str | None) -> ConfirmResult:
        machine = get_settings().probation_state_machine_arn
        prob = self.store.get(employee.id)
        name = execution_name(employee.id)
        first = prob is None or prob.status == "draft"
        if first:
            now = self.clock()
            durations, ends = self.durations(employee, body, now)
            base = prob or self._new(employee, proposed_goals(employee))
            prob_after = base.model_copy(
                update={
                    "status": "running",
                    "phase": "goals_confirmed",
                    "phase_at": _iso_ts(now),
                    # the period runs from the first working day (compressed: from now)
                    "started_at": _iso_ts(now if body.durations else _midnight(employee.start_date)),
                    "ends_at": _iso_ts(ends),
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
        # the bank's calendar day, as for offers' start dates (a hire's start_date is a Beijing date)
        today = datetime.fromtimestamp(self.clock(), tz=ZoneInfo("Asia/Shanghai")).date()
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
        prob = self.store.get(employee.id)
        if prob is None or prob.status != "running" or prob.phase != "awaiting_decision" or not prob.task_token:
            phase = (prob.phase or prob.status) if prob else "proposed"
            raise Conflict(f"the final review is not waiting for a decision (it is {phase})", [{"phase": phase}])
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
                wait = int(max(0.0, _midnight(body.new_end_date) - now))
            output |= {
                "new_end_date": body.new_end_date.isoformat(),
                "wait_seconds": wait,
                "ends_at": _iso_ts(now + wait) if prob.compressed else _iso_ts(_midnight(body.new_end_date)),
            }
        token = prob.task_token
        # Claim the decision first (conditional on the version read): of two racing decisions one wins.
        claimed = prob.model_copy(
            update={
                "phase": "decided",
                "task_token": None,
                "decision": output | {"at": _iso_ts(now)},
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
        self.store.mark_notice(employee.id, notice, "sending")
        for to, subject, text in self.mails(employee, prob, msg):
            self.send_mail(to, subject, text, _html(text))
        self.store.mark_notice(employee.id, notice, "sent")
        return "sent"

    def mails(self, employee: Employee, prob: Probation, msg: ProbationMessage) -> list[tuple[str, str, str]]:
        settings = get_settings()
        manager = settings.probation_manager_mail.format(department=employee.department)
        hr = settings.probation_hr_mail
        v = self.view(employee, prob)
        who_zh, who_en = (
            f"{employee.name}（{employee.title}，{employee.department}）",
            f"{employee.name} ({employee.title})",
        )
        progress = [f"  - {g.title_zh}：{g.progress_zh} / {g.progress_en}" for g in v.goals]
        status = [f"加权完成度 {v.weighted_completion}% / weighted completion {v.weighted_completion} %", *progress]
        if msg.kind == "probation_check_in":
            weak = sorted({g.dimension for g in prob.goals if g.slot == "development"} | _below_bar(employee))
            weak_zh = "、".join(LABELS_ZH.get(d, d) for d in weak) or "无"
            text = "\n".join(
                [
                    f"{who_zh}入职已满一个月，请安排试用期沟通（1个月回访）。",
                    f"培训复评：请确认培训计划仍针对待提升能力：{weak_zh}。",
                    *status,
                    "",
                    f"{who_en} has completed the first month: please hold the one-month check-in and "
                    f"reassess the training plan for: {', '.join(weak) or 'none'}.",
                ]
            )
            return [(manager, f"试用期1个月回访提醒：{employee.name} / One-month check-in", text)]
        if msg.kind == "probation_mid_term":
            text = "\n".join(
                [f"{who_zh}试用期已过半，请进行中期评估。", *status, "", f"Mid-term review of {who_en} is due."]
            )
            return [(manager, f"试用期中期评估：{employee.name} / Mid-term review", text)]
        if msg.kind == "probation_decision":
            text = "\n".join(
                [
                    f"{who_zh}试用期即将结束，请作出转正决定：转正、延长试用期或不予转正。",
                    f"请在系统中提交：POST /employees/{employee.id}/probation/decision",
                    *status,
                    "",
                    f"The probation of {who_en} ends: please decide (confirm, extend or not confirm).",
                ]
            )
            return [(manager, f"试用期转正评估：{employee.name} / Final review", text)]
        if msg.kind == "probation_extended":
            text = "\n".join(
                [
                    f"{who_zh}的试用期已延长至{prob.end_date}。",
                    f"原因：{(prob.decision or {}).get('reason', '')}",
                    "",
                    f"The probation of {who_en} is extended to {prob.end_date}.",
                ]
            )
            subject = f"试用期延长：{employee.name} / Probation extended"
            return [(manager, subject, text), (hr, subject, text)]
        if msg.kind == "probation_escalation":
            text = "\n".join(
                [
                    f"部门经理未在期限内对{who_zh}作出转正决定，已升级至人力资源部处理。",
                    *status,
                    "",
                    f"The manager did not decide on the probation of {who_en} in time; HR takes over.",
                ]
            )
            subject = f"试用期决定超时升级：{employee.name} / Probation decision escalated"
            return [(hr, subject, text), (manager, subject, text)]
        outcome = {"confirmed": "转正", "not_confirmed": "不予转正", "escalated": "升级人力资源部"}
        text = "\n".join(
            [
                f"{who_zh}的试用期结果：{outcome.get(prob.outcome or '', prob.outcome or '')}。",
                *status,
                "",
                f"Probation outcome for {who_en}: {prob.outcome}.",
            ]
        )
        subject = f"试用期结果：{employee.name} / Probation outcome"
        return [(hr, subject, text), (manager, subject, text)]

    # -- the daily digest --------------------------------------------------------------------------
    def digest(self) -> DigestResult:
        """One mail per department manager listing the lagging probationers; one HR summary."""
        now = self.clock()
        by_department: dict[str, list[str]] = defaultdict(list)
        active: dict[str, int] = defaultdict(int)
        token: str | None = None
        while True:
            page = self.store.active(limit=100, token=token)
            for item in page.items:
                prob = Probation.model_validate(item)
                active[prob.department] += 1
                _, weighted = completion(prob.goals)
                share = elapsed(prob, now)
                if share is not None and rules.is_lagging(weighted, share):
                    name = prob.name or prob.employee_id
                    by_department[prob.department].append(
                        f"  - {prob.employee_id} {name}: 完成度 {weighted}% / 时间进度 {share}% "
                        f"(completion {weighted} %, time elapsed {share} %)"
                    )
            token = page.next_token
            if not token:
                break
        settings = get_settings()
        for department, lines in sorted(by_department.items()):
            text = "\n".join(
                [f"{department}试用期进度落后员工（完成度低于时间进度）：", *lines, "", rules.LAGGING_RULE]
            )
            self.send_mail(
                settings.probation_manager_mail.format(department=department),
                f"试用期进度提醒：{len(lines)}人落后 / Probation digest",
                text,
                _html(text),
            )
        hr_mails = 0
        if active:
            lines = [
                f"  - {d}: 在试用 {n} 人，落后 {len(by_department.get(d, []))} 人 / active {n}, lagging "
                f"{len(by_department.get(d, []))}"
                for d, n in sorted(active.items())
            ]
            text = "\n".join(["试用期每日汇总 / Daily probation summary", *lines, "", rules.LAGGING_RULE])
            self.send_mail(settings.probation_hr_mail, "试用期每日汇总 / Probation summary", text, _html(text))
            hr_mails = 1
        return DigestResult(
            active=sum(active.values()),
            lagging=sum(len(v) for v in by_department.values()),
            manager_mails=len(by_department),
            hr_mails=hr_mails,
        )


def _below_bar(employee: Employee) -> set[str]:
    return {d for d, s in employee.dimension_scores.items() if s < employee.competency_bar.get(d, rules.DEFAULT_BAR)}


def _html(text: str) -> str:
    return '<pre style="font-family:sans-serif">' + html.escape(text) + "</pre>"
