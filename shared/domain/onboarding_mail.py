"""The texts onboarding mails: the welcome pack to the hire, the training plan and its one-month
reminder to the department's managers, and the overdue-task summary to HR. Chinese first, English
below; every text is escaped in the HTML part. Pure: the welcome pack's content ships with the code
(``shared/data/welcome_pack.json``)."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from shared.models.onboarding import OnboardingRequest
from shared.models.tasks import Task
from shared.models.training import PlanDimension, TrainingPlan
from shared.vocabulary import dimension_en, dimension_zh

WELCOME_RESOURCE = "data/welcome_pack.json"
Mail = tuple[str, str, str]  # subject, text, html


@cache
def welcome_content() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resources.files("shared").joinpath(WELCOME_RESOURCE).read_text(encoding="utf-8"))
    return data


def _zh_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def render(subject: str, lines: Sequence[str]) -> Mail:
    """A mail of the product: the lines as plain text and as a page of paragraphs (a blank line: a rule)."""
    text = "\n".join(lines)
    body = (
        '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><body>'
        + "".join(f"<p>{html.escape(line)}</p>" if line else "<hr>" for line in lines)
        + "</body></html>"
    )
    return subject, text, body


def welcome_pack(msg: OnboardingRequest) -> Mail:
    """Culture handbook, job description, office address and directions, first-day schedule."""
    pack = welcome_content()
    job = pack["job_descriptions"][msg.role_family.value]
    office, book = pack["office"], pack["handbook"]
    zh = [
        f"{msg.name}，您好：",
        f"欢迎加入中原银行{msg.department}，担任“{msg.title}”。您的入职日期为{_zh_date(msg.start_date)}。",
        f"【企业文化】《{book['title_zh']}》：{book['summary_zh']} 全文：{book['url']}",
        f"【岗位职责】{job['zh']}",
        f"【报到地址】{office['address_zh']}",
        f"【交通指引】{office['directions_zh']}",
        "【首日安排】",
        *(f"{item['time']} {item['zh']}" for item in pack["first_day"]),
    ]
    if msg.documents_to_bring:
        zh.append("【请携带】" + "、".join(msg.documents_to_bring))
    en = [
        f"Dear {msg.name},",
        f"Welcome to Zhongyuan Bank, {msg.department}, as \u201c{msg.title}\u201d. Your first day is "
        f"{msg.start_date.isoformat()}.",
        f"Culture: {book['title_en']} \u2014 {book['summary_en']} Full text: {book['url']}",
        f"Your role: {job['en']}",
        f"Address: {office['address_en']}",
        f"Directions: {office['directions_en']}",
        "First day:",
        *(f"{item['time']} {item['en']}" for item in pack["first_day"]),
    ]
    if msg.documents_to_bring:
        en.append("Please bring: " + "; ".join(msg.documents_to_bring))
    return render(f"欢迎加入中原银行 / Welcome to Zhongyuan Bank — {msg.title}", [*zh, "", *en])


def _plan_lines(dimensions: Sequence[PlanDimension]) -> tuple[list[str], list[str]]:
    zh, en = [], []
    for d in dimensions:
        courses_zh = "、".join(c.title_zh for c in d.courses) or "（课程目录中暂无该维度课程）"
        courses_en = "; ".join(c.title_en for c in d.courses) or "(no course in the catalogue yet)"
        zh.append(f"· {dimension_zh(d.dimension)}：面试 {d.score:g} 分，要求 {d.bar} 分；课程：{courses_zh}")
        en.append(f"- {dimension_en(d.dimension)}: interview {d.score:g}, bar {d.bar}; courses: {courses_en}")
    return zh, en


def training_plan(plan: TrainingPlan) -> Mail:
    zh_dims, en_dims = _plan_lines(plan.dimensions)
    due = plan.dimensions[0].reassess_due if plan.dimensions else plan.start_date
    lines = [
        "您好：",
        f"新员工{plan.name}（{plan.title}）将于{_zh_date(plan.start_date)}入职。根据面试能力评估，以下维度低于岗位要求，已安排培训：",
        *zh_dims,
        f"请于{_zh_date(due)}后对上述维度重新评估，并在系统中记录评估结果。",
        "",
        "Hello,",
        f"{plan.name} ({plan.title}) starts on {plan.start_date.isoformat()}. The interview scored these "
        "dimensions below the role's bar; training is planned:",
        *en_dims,
        f"Please reassess them after {due.isoformat()} and record the result.",
    ]
    return render(f"新员工培训计划 / Training plan: {plan.name}", lines)


def reassessment_reminder(plan: TrainingPlan) -> Mail:
    zh_dims, en_dims = _plan_lines(plan.pending())
    lines = [
        "您好：",
        f"{plan.name}（{plan.title}）入职已满一个月，请对以下维度重新评估并记录结果：",
        *zh_dims,
        "",
        "Hello,",
        f"{plan.name} ({plan.title}) has been with us for a month. Please reassess these dimensions and "
        "record the result:",
        *en_dims,
    ]
    return render(f"能力复评提醒 / Reassessment due: {plan.name}", lines)


def overdue_summary(tasks: Sequence[Task], today: date) -> Mail:
    rows = [
        f"{t.due_date.isoformat()} | {t.team.value} | {t.title_zh} / {t.title_en} | {t.name}（{t.department}）"
        f" 入职 {t.start_date.isoformat()} | {t.status.value} | {t.id}"
        for t in sorted(tasks, key=lambda t: (t.start_date, t.due_date, t.id))
    ]
    lines = [
        f"截至{_zh_date(today)}，以下入职任务已逾期且新员工尚未入职（共 {len(tasks)} 项）：",
        *rows,
        "",
        f"As of {today.isoformat()}, these onboarding tasks are overdue before the hire's start date ({len(tasks)}):",
        "(due | team | task | hire, start date | status | id — see above)",
    ]
    return render(f"入职任务逾期提醒 / Overdue onboarding tasks: {len(tasks)}", lines)
