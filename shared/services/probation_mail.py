"""The probation cycle's mails, Chinese first and English below: the state machine's notices to the
department's manager and HR (check-in, mid-term, final review, extension, escalation, outcome) and
the daily digest of lagging probationers."""

from __future__ import annotations

import html

from shared.domain import probation as rules
from shared.models.employee import Employee
from shared.models.probation import Probation, ProbationView
from shared.vocabulary import DIMENSIONS, dimension_zh

Mail = tuple[str, str, str]  # to, subject, text


def notices(employee: Employee, prob: Probation, view: ProbationView, kind: str, manager: str, hr: str) -> list[Mail]:
    """The mails of one state-machine message of ``kind``, each to ``manager`` or ``hr`` (the service
    passes the roles and reads their addresses from the directory)."""
    who_zh, who_en = (
        f"{employee.name}（{employee.title}，{employee.department}）",
        f"{employee.name} ({employee.title})",
    )
    progress = [f"  - {g.title_zh}：{g.progress_zh} / {g.progress_en}" for g in view.goals]
    status = [f"加权完成度 {view.weighted_completion}% / weighted completion {view.weighted_completion} %", *progress]

    def text(*zh: str, en: str, with_status: bool = True) -> str:
        """Chinese first (then the progress), English below."""
        return "\n".join([*zh, *(status if with_status else []), "", en])

    if kind == "probation_check_in":
        weak = sorted({g.dimension for g in prob.goals if g.slot == "development"} | below_bar(employee))
        weak_zh = "、".join(dimension_zh(d) for d in weak) or "无"
        weak_en = ", ".join(DIMENSIONS[d].en_text for d in weak) or "none"
        check_in_en = (
            f"{who_en} has completed the first month: please hold the one-month check-in and "
            f"reassess the training plan for: {weak_en}."
        )
        zh = [
            f"{who_zh}入职已满一个月，请安排试用期沟通（1个月回访）。",
            f"培训复评：请确认培训计划仍针对待提升能力：{weak_zh}。",
        ]
        subject = f"试用期1个月回访提醒：{employee.name} / One-month check-in"
        return [(manager, subject, text(*zh, en=check_in_en))]
    if kind == "probation_mid_term":
        mid_term = text(f"{who_zh}试用期已过半，请进行中期评估。", en=f"Mid-term review of {who_en} is due.")
        return [(manager, f"试用期中期评估：{employee.name} / Mid-term review", mid_term)]
    if kind == "probation_decision":
        decision = text(
            f"{who_zh}试用期即将结束，请作出转正决定：转正、延长试用期或不予转正。",
            f"请在人事系统控制台的员工页面（员工 → {employee.name} → 试用期，#/employees/{employee.id}）提交决定。",
            en=f"The probation of {who_en} ends: please decide (confirm, extend or not confirm) on the "
            f"employee's page of the console (#/employees/{employee.id}).",
        )
        return [(manager, f"试用期转正评估：{employee.name} / Final review", decision)]
    if kind == "probation_extended":
        extended = text(
            f"{who_zh}的试用期已延长至{prob.end_date}。",
            f"原因：{(prob.decision or {}).get('reason', '')}",
            en=f"The probation of {who_en} is extended to {prob.end_date}.",
            with_status=False,
        )
        subject = f"试用期延长：{employee.name} / Probation extended"
        return [(manager, subject, extended), (hr, subject, extended)]
    if kind == "probation_escalation":
        escalation = text(
            f"部门经理未在期限内对{who_zh}作出转正决定，已升级至人力资源部处理。",
            en=f"The manager did not decide on the probation of {who_en} in time; HR takes over.",
        )
        subject = f"试用期决定超时升级：{employee.name} / Probation decision escalated"
        return [(hr, subject, escalation), (manager, subject, escalation)]
    outcome = {"confirmed": "转正", "not_confirmed": "不予转正", "escalated": "升级人力资源部"}
    result = text(
        f"{who_zh}的试用期结果：{outcome.get(prob.outcome or '', prob.outcome or '')}。",
        en=f"Probation outcome for {who_en}: {prob.outcome}.",
    )
    subject = f"试用期结果：{employee.name} / Probation outcome"
    return [(hr, subject, result), (manager, subject, result)]


def lagging_line(prob: Probation, weighted: float, share: float) -> str:
    name = prob.name or prob.employee_id
    return (
        f"  - {prob.employee_id} {name}: 完成度 {weighted}% / 时间进度 {share}% "
        f"(completion {weighted} %, time elapsed {share} %)"
    )


def manager_digest(department: str, lines: list[str]) -> tuple[str, str]:
    """The subject and text of a department manager's digest."""
    text = "\n".join([f"{department}试用期进度落后员工（完成度低于时间进度）：", *lines, "", rules.LAGGING_RULE])
    return f"试用期进度提醒：{len(lines)}人落后 / Probation digest", text


def hr_summary(active: dict[str, int], lagging: dict[str, list[str]]) -> tuple[str, str]:
    """The subject and text of HR's daily summary, per department."""
    lines = [
        f"  - {d}: 在试用 {n} 人，落后 {len(lagging.get(d, []))} 人 / active {n}, lagging {len(lagging.get(d, []))}"
        for d, n in sorted(active.items())
    ]
    text = "\n".join(["试用期每日汇总 / Daily probation summary", *lines, "", rules.LAGGING_RULE])
    return "试用期每日汇总 / Probation summary", text


def below_bar(employee: Employee) -> set[str]:
    return {d for d, s in employee.dimension_scores.items() if s < employee.competency_bar.get(d, rules.DEFAULT_BAR)}


def as_html(text: str) -> str:
    return '<pre style="font-family:sans-serif">' + html.escape(text) + "</pre>"
