"""Onboarding's pure rules: tasks and due dates, systems, team visibility, overdue, training plan,
attrition, and the mail texts."""

from __future__ import annotations

from datetime import date

from shared.domain import courses, onboarding_mail
from shared.domain.onboarding import (
    Hire,
    attrition,
    build_tasks,
    is_overdue,
    month_shift,
    months,
    parse_task_id,
    plan_dimensions,
    systems_for,
    visible_teams,
    working_days_before,
)
from shared.models.common import Dimension, RoleFamily
from shared.models.onboarding import OnboardingRequest
from shared.models.tasks import TaskStatus, Team

MSG = OnboardingRequest(
    offer_id="o1",
    application_id="a1",
    requisition_id="r1",
    name="李娜",
    email="li.na@example.com",
    department="风险管理部",
    role_family=RoleFamily.risk_manager,
    title="风险经理",
    grade="P6",
    start_date=date(2027, 3, 1),  # a Monday
    signed_at="2027-02-01T00:00:00Z",
    documents_to_bring=["身份证原件", "体检报告"],
)


def test_working_days_skip_weekends() -> None:
    # Given Monday 2027-03-01 / Then 1 working day before is Friday, 3 is Wednesday
    assert working_days_before(date(2027, 3, 1), 1) == date(2027, 2, 26)
    assert working_days_before(date(2027, 3, 1), 3) == date(2027, 2, 24)
    assert working_days_before(date(2027, 3, 3), 2) == date(2027, 3, 1)


def test_every_team_gets_its_tasks_due_before_the_start() -> None:
    tasks = build_tasks("a1", MSG, "2027-02-01T00:00:00Z")
    by_kind = {t.kind: t for t in tasks}
    assert {t.team for t in tasks} == set(Team) and len(tasks) == 9
    assert all(t.due_date < MSG.start_date and t.status is TaskStatus.open for t in tasks)
    assert by_kind["ad_account"].due_date == date(2027, 2, 24)
    assert by_kind["desk"].due_date == date(2027, 2, 25)
    assert by_kind["documents"].documents == ["身份证原件", "体检报告"]
    codes = [s.code for s in by_kind["system_permissions"].systems]
    assert codes == ["oa", "risk_alert", "credit_approval", "credit_bureau", "internal_rating"]
    assert next(s for s in by_kind["system_permissions"].systems if s.code == "credit_approval").access == "read"
    assert parse_task_id(by_kind["mailbox"].id) == ("a1", "mailbox")
    assert parse_task_id("a1.unknown") is None and parse_task_id("mailbox") is None


def test_systems_follow_role_family_and_department() -> None:
    customer = {s.code for s in systems_for(RoleFamily.customer_manager, "零售金融部")}
    assert {"crm", "credit_query", "wealth_sales", "mobile_ops"} <= customer
    assert "mobile_ops" not in {s.code for s in systems_for(RoleFamily.customer_manager, "公司金融部")}


def test_team_visibility() -> None:
    assert visible_teams({"hr"}) == set(Team)
    assert visible_teams({"it"}) == {Team.it}
    assert visible_teams({"manager"}) == set() and visible_teams({"interviewer"}) == set()


def test_overdue_only_between_due_date_and_start() -> None:
    task = next(t for t in build_tasks("a1", MSG, "now") if t.kind == "mailbox")  # due 2027-02-24
    assert not is_overdue(task, date(2027, 2, 24))
    assert is_overdue(task, date(2027, 2, 25))
    assert not is_overdue(task, date(2027, 3, 1))
    assert not is_overdue(task.model_copy(update={"status": TaskStatus.done}), date(2027, 2, 25))


def test_plan_covers_dimensions_below_the_bar_with_active_courses() -> None:
    catalogue = list(courses.seed())
    retired = catalogue[0].model_copy(update={"status": "retired"})  # logic.01
    catalogue[0] = retired
    scores = {Dimension.teamwork: 70.0, Dimension.logic: 60.0, Dimension.expression: 90.0}
    bar = {Dimension.teamwork: 80, Dimension.logic: 70, Dimension.expression: 75, Dimension.innovation: 60}
    plan = plan_dimensions(scores, bar, catalogue, date(2027, 3, 1))
    assert [d.dimension for d in plan] == [Dimension.logic, Dimension.teamwork]  # canonical order
    assert "logic.01" not in [c.course_id for c in plan[0].courses]
    assert plan[1].courses[0].title_zh == "团队沟通技巧"
    assert all(d.reassess_due == date(2027, 4, 1) for d in plan)  # a calendar month after 1 March, not 30 days
    # a dimension the AI did not score (innovation) is not planned


def test_attrition_rate_and_completeness() -> None:
    hires = [Hire(f"e{i}", "r", "t", "d", date(2025, 1, 6), None) for i in range(25)]
    hires[0] = Hire("e0", "r", "t", "d", date(2025, 1, 6), date(2025, 4, 6))  # day 90: counts
    hires[1] = Hire("e1", "r", "t", "d", date(2025, 1, 6), date(2025, 2, 1))
    hires[2] = Hire("e2", "r", "t", "d", date(2025, 1, 6), date(2025, 4, 7))  # day 91: does not
    rate = attrition(hires, 90, date(2025, 6, 1))
    assert (rate.hires, rate.departures, rate.rate, rate.complete) == (25, 2, 0.08, True)
    assert not attrition(hires, 90, date(2025, 3, 1)).complete
    assert attrition([], 90, date(2025, 3, 1)).rate == 0.0


def test_months() -> None:
    assert months("2025-11", "2026-02") == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert months("2026-02", "2026-01") == []
    assert month_shift("2026-01", -11) == "2025-02"


def test_course_ids_and_the_seed() -> None:
    assert courses.parse_id("teamwork.01") is Dimension.teamwork
    assert courses.parse_id("teamwork") is None and courses.parse_id("nonsense.01") is None
    titles = {c.title_zh for c in courses.seed()}
    assert {"团队沟通技巧", "客户需求挖掘"} <= titles


def test_welcome_pack_is_chinese_then_english_and_escaped() -> None:
    subject, text, html = onboarding_mail.welcome_pack(MSG.model_copy(update={"name": "<李娜>"}))
    assert "欢迎" in subject and "Welcome" in subject
    assert text.index("【首日安排】") < text.index("First day:")
    assert "风险经理负责" in text and "risk manager identifies" in text
    assert "&lt;李娜&gt;" in html and "<李娜>" not in html
