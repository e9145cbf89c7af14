"""Onboarding's pure rules: the tasks per team, their due dates, who sees which team, overdue
tasks, the training plan, and the attrition rate. No I/O.

* **Tasks.** IT: an AD account, a mailbox, and the system permissions derived from role family ×
  department (``SYSTEMS_BY_FAMILY`` plus ``SYSTEMS_BY_DEPARTMENT``); admin: computer, badge, desk;
  HR: the documents the offer asked the hire to bring, the contract, social insurance. Due dates
  count working days (Monday–Friday) back from the start date: IT 3, admin 2, HR documents 5,
  contract and social insurance 1. A task id is ``<employee id>.<kind>``.
* **Overdue.** A task not done whose due date has passed while the start date has not come yet.
* **Training plan.** Every dimension with an AI score below the requisition's bar (a dimension the
  AI did not score, or without a bar, is not in the plan) gets up to ``COURSES_PER_DIMENSION`` active
  courses of that dimension, in catalogue order, and a reassessment due 30 days after the start date.
* **Attrition.** A cohort is the start-date month. For a cohort (and requisition): hires = the
  employees who started in it; departures = those whose departure date is at most ``window`` days
  after their own start date; rate = departures / hires. A row is ``complete`` once the window has
  passed for its last starter (before that the rate can still rise).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from shared.domain.time_rules import one_month_after
from shared.models.common import Dimension, RoleFamily
from shared.models.onboarding import OnboardingRequest
from shared.models.tasks import SystemAccess, Task, TaskStatus, Team
from shared.models.training import Course, PlanDimension, PlannedCourse

COURSES_PER_DIMENSION = 3

TASK_HIRE_FIELDS = {"name", "department", "title", "role_family", "start_date"}
"""What every onboarding task repeats of its hire (a team's board is one Query)."""


def _s(code: str, zh: str, en: str, access: str) -> SystemAccess:
    return SystemAccess.model_validate({"code": code, "name_zh": zh, "name_en": en, "access": access})


COMMON_SYSTEMS = (_s("oa", "OA 办公系统", "Office automation (OA)", "write"),)
SYSTEMS_BY_FAMILY: dict[RoleFamily, tuple[SystemAccess, ...]] = {
    RoleFamily.customer_manager: (
        _s("crm", "CRM 客户关系管理系统", "CRM", "write"),
        _s("credit_query", "信贷系统（查询）", "Credit system (query)", "query"),
        _s("wealth_sales", "理财销售系统", "Wealth product sales system", "write"),
    ),
    RoleFamily.risk_manager: (
        _s("risk_alert", "风险预警系统", "Risk early-warning system", "write"),
        _s("credit_approval", "信贷审批系统（只读）", "Credit approval system (read-only)", "read"),
        _s("credit_bureau", "征信查询系统", "Credit bureau inquiry", "query"),
    ),
    RoleFamily.teller_operations: (
        _s("core_counter", "核心业务系统（柜面）", "Core banking (counter)", "write"),
        _s("aml_monitor", "反洗钱监测系统", "AML monitoring", "write"),
        _s("image_vouchers", "影像凭证系统", "Voucher imaging", "write"),
    ),
    RoleFamily.it_data: (
        _s("code_repo", "代码仓库与持续集成", "Code repository and CI", "write"),
        _s("data_warehouse_dev", "数据仓库（开发环境）", "Data warehouse (development)", "write"),
        _s("itsm", "运维工单系统", "IT service management", "write"),
    ),
}
SYSTEMS_BY_DEPARTMENT: dict[str, tuple[SystemAccess, ...]] = {
    "零售金融部": (_s("mobile_ops", "手机银行运营后台", "Mobile banking operations console", "read"),),
    "风险管理部": (_s("internal_rating", "内部评级系统", "Internal rating system", "write"),),
    "公司金融部": (_s("corporate_crm", "对公客户管理系统", "Corporate customer management", "write"),),
    "信息科技部": (_s("cmdb", "配置管理数据库", "Configuration management database", "read"),),
}


def systems_for(role_family: RoleFamily, department: str) -> list[SystemAccess]:
    return [*COMMON_SYSTEMS, *SYSTEMS_BY_FAMILY[role_family], *SYSTEMS_BY_DEPARTMENT.get(department, ())]


def working_days_before(day: date, n: int) -> date:
    """The date ``n`` working days (Monday–Friday) before ``day``."""
    current = day
    while n > 0:
        current -= timedelta(days=1)
        if current.weekday() < 5:
            n -= 1
    return current


@dataclass(frozen=True)
class TaskSpec:
    team: Team
    kind: str
    title_zh: str
    title_en: str
    working_days_before: int


TASK_SPECS: tuple[TaskSpec, ...] = (
    TaskSpec(Team.it, "ad_account", "开通域账号（AD）", "Create the directory (AD) account", 3),
    TaskSpec(Team.it, "mailbox", "开通企业邮箱", "Create the mailbox", 3),
    TaskSpec(Team.it, "system_permissions", "开通业务系统权限", "Grant system permissions", 3),
    TaskSpec(Team.admin, "computer", "准备办公电脑", "Prepare the computer", 2),
    TaskSpec(Team.admin, "badge", "制作工牌与门禁卡", "Make the badge and access card", 2),
    TaskSpec(Team.admin, "desk", "安排工位", "Assign a desk", 2),
    TaskSpec(Team.hr, "documents", "收取入职材料", "Collect the hiring documents", 5),
    TaskSpec(Team.hr, "contract", "签订劳动合同", "Sign the employment contract", 1),
    TaskSpec(Team.hr, "social_insurance", "办理社会保险与公积金", "Register social insurance and housing fund", 1),
)


def task_id(employee_id: str, kind: str) -> str:
    return f"{employee_id}.{kind}"


def parse_task_id(value: str) -> tuple[str, str] | None:
    """(employee id, kind) of a task id, or None when it cannot be one."""
    employee_id, dot, kind = value.rpartition(".")
    if not dot or not employee_id or kind not in {s.kind for s in TASK_SPECS}:
        return None
    return employee_id, kind


def build_tasks(employee_id: str, msg: OnboardingRequest, now: str) -> list[Task]:
    """Every onboarding task of a hire, due before the start date."""
    systems = systems_for(msg.role_family, msg.department)
    hire = msg.model_dump(include=TASK_HIRE_FIELDS)
    tasks = []
    for spec in TASK_SPECS:
        tasks.append(
            Task(
                id=task_id(employee_id, spec.kind),
                employee_id=employee_id,
                team=spec.team,
                kind=spec.kind,
                title_zh=spec.title_zh,
                title_en=spec.title_en,
                due_date=working_days_before(msg.start_date, spec.working_days_before),
                systems=systems if spec.kind == "system_permissions" else [],
                documents=list(msg.documents_to_bring) if spec.kind == "documents" else [],
                created_at=now,
                updated_at=now,
                **hire,
            )
        )
    return tasks


def visible_teams(roles: Iterable[str]) -> set[Team]:
    """The teams whose board a role works: HR every team (admin tasks included), IT its own."""
    roles = set(roles)
    if "hr" in roles:
        return set(Team)
    if "it" in roles:
        return {Team.it}
    return set()


def is_overdue(task: Task, today: date) -> bool:
    return task.status is not TaskStatus.done and task.due_date < today < task.start_date


def plan_dimensions(
    scores: Mapping[Dimension, float],
    bar: Mapping[Dimension, int],
    catalogue: Sequence[Course],
    start_date: date,
    weighed: Mapping[Dimension, float] | None = None,
) -> list[PlanDimension]:
    """One entry per dimension whose score is below its bar (canonical dimension order): the
    confidence-weighted score (``weighed``) where there is one, else the AI score."""
    due = one_month_after(start_date)  # the reminder says "入职已满一个月": never before it is true
    planned = []
    for dimension in Dimension:
        score, required = scores.get(dimension), bar.get(dimension)
        decisive = (weighed or {}).get(dimension, score)
        if score is None or decisive is None or required is None or decisive >= required:
            continue
        courses = [c for c in catalogue if c.dimension is dimension and c.status == "active"]
        planned.append(
            PlanDimension(
                dimension=dimension,
                score=score,
                weighted_score=(weighed or {}).get(dimension),
                bar=required,
                courses=[
                    PlannedCourse(
                        course_id=c.course_id, title_zh=c.title_zh, title_en=c.title_en, hours=c.hours, format=c.format
                    )
                    for c in courses[:COURSES_PER_DIMENSION]
                ],
                reassess_due=due,
            )
        )
    return planned


def cohort_of(start_date: date) -> str:
    return f"{start_date:%Y-%m}"


def months(since: str, until: str) -> list[str]:
    """The months from ``since`` to ``until`` (YYYY-MM), both included."""
    year, month = map(int, since.split("-"))
    end = tuple(map(int, until.split("-")))
    out = []
    while (year, month) <= end:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def month_shift(month: str, delta: int) -> str:
    year, mon = map(int, month.split("-"))
    index = year * 12 + (mon - 1) + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@dataclass(frozen=True)
class Hire:
    """What attrition needs of one employee."""

    employee_id: str
    requisition_id: str
    title: str
    department: str
    start_date: date
    departed_on: date | None


@dataclass(frozen=True)
class Rate:
    hires: int
    departures: int
    complete: bool

    @property
    def rate(self) -> float:
        return round(self.departures / self.hires, 4) if self.hires else 0.0


def departed_within(hire: Hire, window_days: int) -> bool:
    return hire.departed_on is not None and hire.departed_on <= hire.start_date + timedelta(days=window_days)


def attrition(hires: Sequence[Hire], window_days: int, today: date) -> Rate:
    complete = all(h.start_date + timedelta(days=window_days) <= today for h in hires)
    return Rate(hires=len(hires), departures=sum(departed_within(h, window_days) for h in hires), complete=complete)
