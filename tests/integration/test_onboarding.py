"""Onboarding: the consumer (partial failures, duplicates, dead letters), task boards and their
permissions, overdue escalation, training plans with the one-month reminder, and attrition."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from chalice.test import Client

from tests.support.api import Api
from tests.support.bodies import COURSE
from tests.support.employees import seed_hires
from tests.support.events import sqs_event
from tests.support.mail import mail_to
from tests.support.onboarding import START, Onboard

SENSITIVE = ("score", "salary", "evaluation", "background", "dimension", "competency", "bar", "grade", "email")


@pytest.fixture
def ob(api: Api, client: Client) -> Onboard:
    return Onboard(api, client)


# -- the consumer ---------------------------------------------------------------------------------------
def test_a_bad_message_fails_alone(ob: Onboard, api: Api, caplog: pytest.LogCaptureFixture) -> None:
    # Given a batch of three: two signed offers and one message missing its start date
    good = [ob.hire(1), ob.hire(2)]
    bad = ob.message(ob.hire(3))
    del bad["start_date"]
    ob.put(ob.message(good[0]), bad, ob.message(good[1]))
    messages = ob.receive(3)
    assert len({m["MessageId"] for m in messages}) == 3  # real, unique message ids
    arn = ob.sqs.get_queue_attributes(QueueUrl=ob.queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    # When the consumer gets the batch
    response = ob.invoke(sqs_event(messages, arn))
    # Then only the bad message is reported failed, and its neighbours were onboarded
    bad_id = next(m["MessageId"] for m in messages if "start_date" not in json.loads(m["Body"]))
    assert response == {"batchItemFailures": [{"itemIdentifier": bad_id}]}
    for app_id in good:
        assert api.call("GET", f"/employees/{app_id}").data["status"] == "onboarding"
    # And the log names the field, not the person
    logged = [r for r in caplog.records if r.getMessage() == "invalid onboarding message"]
    assert [p["field"] for p in logged[0].__dict__["problems"]] == ["start_date"]
    everything = " ".join(str(r.__dict__) for r in caplog.records if r.name == "talent-lifecycle")
    assert bad["email"] not in everything and "张伟" not in everything


def test_a_duplicate_message_onboards_once(ob: Onboard, api: Api) -> None:
    # Given one signed offer delivered three times (the same body, three message ids)
    app_id = ob.hire(4, teamwork=70)
    message = ob.message(app_id)
    ob.put(message, message)
    ob.drain()
    ob.put(message)
    ob.drain()
    # Then there is one employee, one set of nine tasks, one welcome pack and one plan mail per manager
    assert api.call("GET", f"/employees/{app_id}").status_code == 200
    tasks = api.call("GET", f"/employees/{app_id}/tasks").data["items"]
    assert len(tasks) == 9 and {t["team"] for t in tasks} == {"it", "admin", "hr"}
    welcome = mail_to(message["email"])
    assert len(welcome) == 1
    assert "欢迎加入中原银行" in welcome[0].subject and "Welcome" in welcome[0].subject
    body = welcome[0].body
    for part in ("中原银行企业文化手册", "岗位职责", "郑东新区", "会展中心站", "首日安排", "08:45", "离职证明"):
        assert part in body, part
    for part in ("culture handbook", "Your role", "Directions", "First day"):
        assert part in body, part
    assert len(mail_to("manager.demo@example.com")) == 1  # the department's manager
    assert mail_to("manager2.demo@example.com") == []  # not another department's


def test_a_message_that_keeps_failing_reaches_the_dead_letter_queue(ob: Onboard) -> None:
    # Given a valid message for an application that does not exist
    ob.put(ob.message("no-such-application"))
    dlq = ob.api.stack.env["ONBOARDING_DEAD_LETTER_QUEUE_URL"]
    # When the queue delivers it again and again (maxReceiveCount 5 in the template)
    for _ in range(6):
        ob.drain()
    # Then it rests in the dead-letter queue and no longer in the work queue
    moved = ob.sqs.receive_message(QueueUrl=dlq, MaxNumberOfMessages=10).get("Messages", [])
    assert [json.loads(m["Body"])["application_id"] for m in moved] == ["no-such-application"]
    assert ob.sqs.receive_message(QueueUrl=ob.queue_url, VisibilityTimeout=0).get("Messages", []) == []
    # And the documented redrive (the local stand-in for start-message-move-task) puts it back
    from infra.local.redrive import move_messages

    dlq_arn = ob.sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    for m in moved:  # make them visible again to the mover
        ob.sqs.change_message_visibility(QueueUrl=dlq, ReceiptHandle=m["ReceiptHandle"], VisibilityTimeout=0)
    assert move_messages(ob.sqs, dlq_arn) == 1
    back = ob.sqs.receive_message(QueueUrl=ob.queue_url).get("Messages", [])
    assert [json.loads(m["Body"])["application_id"] for m in back] == ["no-such-application"]


# -- task boards ------------------------------------------------------------------------------------------
def test_it_sees_only_it_tasks_and_only_provisioning_facts(ob: Onboard, api: Api) -> None:
    app_id = ob.onboarded(ob.hire(5))
    # When IT reads its board
    board = api.call("GET", "/onboarding/tasks?team=it&status=open", role="it")
    # Then it lists the IT tasks with what provisioning needs, and nothing about assessment or pay
    assert board.status_code == 200
    items = board.data["items"]
    assert {t["kind"] for t in items} == {"ad_account", "mailbox", "system_permissions"}
    permissions = next(t for t in items if t["kind"] == "system_permissions")
    assert {"crm", "credit_query", "wealth_sales", "mobile_ops"} <= {s["code"] for s in permissions["systems"]}
    assert (
        permissions["name"] == "张伟" and permissions["start_date"] == START and permissions["due_date"] == "2027-01-06"
    )
    raw = json.dumps(board.data, ensure_ascii=False)
    for word in SENSITIVE:
        assert word not in raw, word
    assert set(items[0]) == {
        "id", "team", "kind", "title_zh", "title_en", "due_date", "status", "assignee", "notes",
        "escalated_at", "version", "name", "department", "title", "role_family", "start_date", "systems",
    }  # fmt: skip
    # And other teams' boards and the employee record are closed to IT
    assert api.call("GET", "/onboarding/tasks?team=hr", role="it").status_code == 403
    assert api.call("GET", "/onboarding/tasks?team=admin", role="it").status_code == 403
    assert api.call("GET", f"/employees/{app_id}", role="it").status_code == 403
    assert api.call("GET", f"/onboarding/tasks/{app_id}.documents", role="it").status_code == 403
    # And HR works every team's board (admin tasks included)
    admin = api.call("GET", "/onboarding/tasks?team=admin").data["items"]
    assert {t["kind"] for t in admin} == {"computer", "badge", "desk"}
    hr_docs = api.call("GET", f"/onboarding/tasks/{app_id}.documents").data
    assert hr_docs["documents"] == ["身份证原件", "学历学位证书", "离职证明"] and hr_docs["due_date"] == "2027-01-04"


def test_task_board_permissions_and_updates(ob: Onboard, api: Api) -> None:
    app_id = ob.onboarded(ob.hire(6))
    task = f"{app_id}.mailbox"
    # IT works an IT task
    done = api.call(
        "PATCH", f"/onboarding/tasks/{task}", role="it", body={"status": "done", "notes": "已开通", "version": 1}
    )
    assert done.status_code == 200 and done.data["status"] == "done" and done.data["version"] == 2
    assert "employee_id" not in done.data  # the IT view
    # a stale version is 409 and changes nothing
    stale = api.call("PATCH", f"/onboarding/tasks/{task}", role="it", body={"status": "blocked", "version": 1})
    assert stale.status_code == 409
    assert api.call("GET", f"/onboarding/tasks/{task}", role="it").data["status"] == "done"
    # the status index follows the change
    open_it = api.call("GET", "/onboarding/tasks?team=it&status=open", role="it").data["items"]
    assert task not in {t["id"] for t in open_it}
    done_it = api.call("GET", "/onboarding/tasks?team=it&status=done", role="it").data["items"]
    assert [t["id"] for t in done_it] == [task]
    # IT may not touch HR's tasks; managers, interviewers nobody's
    hr_task = f"{app_id}.contract"
    assert (
        api.call("PATCH", f"/onboarding/tasks/{hr_task}", role="it", body={"status": "done", "version": 1}).status_code
        == 403
    )
    for role in ("manager", "interviewer"):
        assert (
            api.call("PATCH", f"/onboarding/tasks/{task}", role=role, body={"notes": "x", "version": 2}).status_code
            == 403
        )
    assert api.call("GET", "/onboarding/tasks?team=it", role="interviewer").status_code == 403
    assert api.call("GET", "/onboarding/tasks?team=it", role="manager").status_code == 403
    # managers read their own department's hires' tasks only
    assert len(api.call("GET", f"/employees/{app_id}/tasks", role="manager").data["items"]) == 9
    assert api.call("GET", f"/employees/{app_id}/tasks", role="manager2").status_code == 403
    assert api.call("GET", f"/employees/{app_id}/tasks", role="interviewer").status_code == 403
    # bad input is 400 naming the field; unknown tasks 404
    bad = api.call("PATCH", f"/onboarding/tasks/{hr_task}", body={"status": "finished", "version": 1})
    assert bad.status_code == 400 and bad.data["error"]["details"][0]["field"] == "status"
    empty = api.call("PATCH", f"/onboarding/tasks/{hr_task}", body={"version": 1})
    assert empty.status_code == 400
    assert api.call("PATCH", "/onboarding/tasks/nope.mailbox", body={"notes": "x", "version": 1}).status_code == 404
    assert api.call("GET", "/onboarding/tasks?team=finance").status_code == 400
    # HR assigns an admin task
    assigned = api.call("PATCH", f"/onboarding/tasks/{app_id}.desk", body={"assignee": "hr.demo", "version": 1})
    assert assigned.status_code == 200 and assigned.data["assignee"] == "hr.demo"


def test_overdue_tasks_are_escalated_once_before_the_start_date(ob: Onboard, api: Api) -> None:
    app_id = ob.onboarded(ob.hire(7))
    api.call("PATCH", f"/onboarding/tasks/{app_id}.mailbox", role="it", body={"status": "done", "version": 1})
    before = len(mail_to("hr.demo@example.com"))
    # On the day IT's tasks fall due only HR's documents (due the day before) are overdue
    assert ob.daily("2027-01-06")["escalated"] == 1
    # When the schedule runs the day after IT's due date (before the start date)
    assert ob.daily("2027-01-07")["escalated"] == 2  # AD account and permissions; the mailbox is done
    # Then HR got one summary per run naming the tasks, and a task is never escalated twice
    summaries = mail_to("hr.demo@example.com")[before:]
    assert len(summaries) == 2 and f"{app_id}.ad_account" in summaries[1].body
    assert f"{app_id}.documents" not in summaries[1].body
    assert ob.daily("2027-01-07")["escalated"] == 0
    assert len(mail_to("hr.demo@example.com")) == before + 2
    escalated = api.call("GET", f"/onboarding/tasks/{app_id}.ad_account", role="it").data
    assert escalated["escalated_at"] and escalated["status"] == "open"
    # And nothing is escalated once the hire has started
    assert ob.daily("2027-01-12")["escalated"] == 0  # admin's tasks are late, but the hire has started


# -- training plan -------------------------------------------------------------------------------------------
def test_training_plan_covers_dimensions_below_the_bar(ob: Onboard, api: Api) -> None:
    app_id = ob.onboarded(ob.hire(8, teamwork=70, customer_orientation=72))
    plan = api.call("GET", f"/employees/{app_id}/training", role="manager")
    assert plan.status_code == 200
    dims = {d["dimension"]: d for d in plan.data["dimensions"]}
    # teamwork 70 < 80 and customer_orientation 72 < 80; logic 85 ≥ 70 and expression 78 ≥ 75 are not planned
    assert set(dims) == {"teamwork", "customer_orientation"}
    assert (dims["teamwork"]["score"], dims["teamwork"]["bar"]) == (70, 80)
    assert "团队沟通技巧" in [c["title_zh"] for c in dims["teamwork"]["courses"]]
    assert "客户需求挖掘" in [c["title_zh"] for c in dims["customer_orientation"]["courses"]]
    assert dims["teamwork"]["reassess_due"] == "2027-02-11"  # a month after the start date
    mails = mail_to("manager.demo@example.com")
    assert len(mails) == 1 and "团队沟通技巧" in mails[0].body and "客户需求挖掘" in mails[0].body
    assert api.call("GET", f"/employees/{app_id}/training", role="manager2").status_code == 403
    assert api.call("GET", f"/employees/{app_id}/training", role="it").status_code == 403


def test_the_manager_is_reminded_once_after_a_month_and_records_the_reassessment(ob: Onboard, api: Api) -> None:
    app_id = ob.onboarded(ob.hire(9, teamwork=70))
    planned = len(mail_to("manager.demo@example.com"))
    # Not before the month is over (30 days after 11 January is not yet a month)
    assert ob.daily("2027-02-10")["reminders"] == 0
    # On the day a calendar month has passed: one reminder, once
    assert ob.daily("2027-02-11")["reminders"] == 1
    assert ob.daily("2027-02-12")["reminders"] == 0
    reminders = mail_to("manager.demo@example.com")[planned:]
    assert len(reminders) == 1 and "能力复评提醒" in reminders[0].subject
    # The manager records the reassessment
    body = {"dimension": "teamwork", "score": 82, "comment": "跨部门项目中主动协调，进步明显"}
    recorded = api.call("POST", f"/employees/{app_id}/training/assessments", role="manager", body=body)
    assert recorded.status_code == 201
    teamwork = next(d for d in recorded.data["dimensions"] if d["dimension"] == "teamwork")
    assert teamwork["assessments"][0]["score"] == 82 and teamwork["assessments"][0]["assessed_by"] == "manager.demo"
    # Other departments, interviewers and bad input are refused
    assert api.call("POST", f"/employees/{app_id}/training/assessments", role="manager2", body=body).status_code == 403
    assert (
        api.call("POST", f"/employees/{app_id}/training/assessments", role="interviewer", body=body).status_code == 403
    )
    other = api.call("POST", f"/employees/{app_id}/training/assessments", body=body | {"dimension": "logic"})
    assert other.status_code == 400 and other.data["error"]["details"][0]["field"] == "dimension"
    high = api.call("POST", f"/employees/{app_id}/training/assessments", body=body | {"score": 101})
    assert high.status_code == 400 and high.data["error"]["details"][0]["field"] == "score"


def test_a_plan_reassessed_in_time_gets_no_reminder(ob: Onboard, api: Api) -> None:
    app_id = ob.onboarded(ob.hire(10, teamwork=70))
    body = {"dimension": "teamwork", "score": 85, "comment": "已达标"}
    assert api.call("POST", f"/employees/{app_id}/training/assessments", role="manager", body=body).status_code == 201
    assert ob.daily("2027-02-20")["reminders"] == 0


# -- employees ---------------------------------------------------------------------------------------------
def test_employee_record_and_listing(ob: Onboard, api: Api) -> None:
    app_id = ob.onboarded(ob.hire(11))
    got = api.call("GET", f"/employees/{app_id}", role="manager")
    assert got.status_code == 200 and got.data["dimension_scores"]["teamwork"] == 70
    assert got.data["competency_bar"]["teamwork"] == 80 and got.data["title"] == "对公客户经理"
    for role in ("manager2", "interviewer", "it"):
        assert api.call("GET", f"/employees/{app_id}", role=role).status_code == 403
    assert api.call("GET", "/employees/nobody").status_code == 404
    mine = api.call("GET", "/employees", role="manager").data
    assert mine["department"] == "零售金融部" and [e["id"] for e in mine["items"]] == [app_id]
    assert api.call("GET", "/employees?department=零售金融部", role="manager2").status_code == 403
    assert api.call("GET", "/employees?department=风险管理部", role="manager2").data["items"] == []
    missing = api.call("GET", "/employees")
    assert missing.status_code == 400 and missing.data["error"]["details"][0]["field"] == "department"


# -- departures and attrition ------------------------------------------------------------------------------
def depart(api: Api, employee_id: str, day: str, role: str = "hr") -> Any:
    body = {"date": day, "reason_code": "resigned", "reason": "个人发展原因主动离职"}
    return api.call("POST", f"/employees/{employee_id}/departure", role=role, body=body)


def test_attrition_per_cohort_and_requisition(api: Api) -> None:
    # Given 25 hires of one requisition who started in January 2025, and 4 of another in February
    retail = seed_hires("req-retail", "零售金融部", [date(2025, 1, 6)] * 20 + [date(2025, 1, 20)] * 5, "r")
    risk = seed_hires("req-risk", "风险管理部", [date(2025, 2, 3)] * 4, "k")
    # When two leave within 90 days of their start, one after 120 days, and one risk hire within 90
    assert depart(api, retail[0], "2025-02-14").status_code == 201
    assert depart(api, retail[21], "2025-04-20").status_code == 201  # 90 days after 2025-01-20
    assert depart(api, retail[1], "2025-05-06").status_code == 201  # 120 days: not within the window
    assert depart(api, risk[0], "2025-03-01").status_code == 201
    # Then the 3-month attrition of the January cohort is 2 of 25 = 8 %
    report = api.call("GET", "/analytics/attrition?window=90d&since=2025-01&until=2025-03").data
    rows = {(r["cohort"], r["requisition_id"]): r for r in report["rows"]}
    january = rows[("2025-01", "req-retail")]
    assert (january["hires"], january["departures"], january["rate"], january["rate_percent"]) == (25, 2, 0.08, 8.0)
    assert (january["rate_low_percent"], january["rate_high_percent"]) == (2.22, 24.97)  # Wilson 95 % of 2 / 25
    assert january["complete"] and january["department"] == "零售金融部" and january["title"] == "对公客户经理"
    assert rows[("2025-02", "req-risk")]["rate_percent"] == 25.0
    assert [c["cohort"] for c in report["cohorts"]] == ["2025-01", "2025-02"]
    assert (report["total"]["hires"], report["total"]["departures"]) == (29, 3)
    assert report["window_days"] == 90 and "start-date month" in report["definition"]
    # And a longer window counts the later departure too
    longer = api.call("GET", "/analytics/attrition?window=180d&since=2025-01&until=2025-01").data
    assert longer["rows"][0]["departures"] == 3
    # And a manager sees only their own department
    mine = api.call("GET", "/analytics/attrition?since=2025-01&until=2025-03", role="manager").data
    assert {r["requisition_id"] for r in mine["rows"]} == {"req-retail"} and mine["department"] == "零售金融部"
    assert (
        api.call("GET", "/analytics/attrition?department=零售金融部&since=2025-01", role="manager2").status_code == 403
    )
    for role in ("interviewer", "it"):
        assert api.call("GET", "/analytics/attrition", role=role).status_code == 403
    bad = api.call("GET", "/analytics/attrition?window=3m")
    assert bad.status_code == 400 and bad.data["error"]["details"][0]["field"] == "window"
    backwards = api.call("GET", "/analytics/attrition?since=2025-05&until=2025-01")
    assert backwards.status_code == 400


def test_a_departure_is_recorded_once_by_hr(api: Api) -> None:
    (employee_id,) = seed_hires("req-retail", "零售金融部", [date(2025, 3, 3)], "d")
    early = depart(api, employee_id, "2025-03-01")
    assert early.status_code == 400 and early.data["error"]["details"][0]["field"] == "date"
    assert depart(api, employee_id, "2025-04-01", role="manager").status_code == 403
    assert depart(api, employee_id, "2025-04-01").status_code == 201
    assert depart(api, employee_id, "2025-04-02").status_code == 409
    got = api.call("GET", f"/employees/{employee_id}").data
    assert got["status"] == "departed" and got["departure"]["date"] == "2025-04-01"
    assert got["departure"]["reason_code"] == "resigned" and got["version"] == 2
    missing = api.call("POST", f"/employees/{employee_id}/departure", body={"date": "2025-04-01", "reason": "x"})
    assert missing.status_code == 400 and missing.data["error"]["details"][0]["field"] == "reason_code"
    assert depart(api, "nobody", "2025-04-01").status_code == 404


# -- the course catalogue ------------------------------------------------------------------------------------
def test_hr_maintains_the_course_catalogue_and_plans_use_it(ob: Onboard, api: Api) -> None:
    # The seed has real courses, at least two per dimension
    catalogue = api.call("GET", "/courses", role="manager").data["items"]
    per_dimension: dict[str, int] = {}
    for course in catalogue:
        per_dimension[course["dimension"]] = per_dimension.get(course["dimension"], 0) + 1
    assert len(per_dimension) == 8 and min(per_dimension.values()) >= 2
    teamwork = api.call("GET", "/courses?dimension=teamwork").data["items"]
    assert teamwork[0]["title_zh"] == "团队沟通技巧" and teamwork[0]["course_id"] == "teamwork.01"
    # HR retires one seed course and adds another
    retired = api.call("DELETE", "/courses/teamwork.01", body={"reason": "课程已更新", "version": 1})
    assert retired.status_code == 200 and retired.data["status"] == "retired"
    new = COURSE
    added = api.call("POST", "/courses", body=new)
    assert added.status_code == 201 and added.data["version"] == 1
    edited = api.call(
        "PUT",
        f"/courses/{added.data['course_id']}",
        body={k: v for k, v in new.items() if k != "dimension"} | {"hours": 8, "version": 1},
    )
    assert edited.status_code == 200 and edited.data["hours"] == 8 and edited.data["version"] == 2
    stale = api.call(
        "PUT",
        f"/courses/{added.data['course_id']}",
        body={k: v for k, v in new.items() if k != "dimension"} | {"version": 1},
    )
    assert stale.status_code == 409
    assert api.call("POST", "/courses", role="manager", body=new).status_code == 403
    assert api.call("GET", "/courses", role="it").status_code == 403
    assert api.call("GET", "/courses/teamwork.99").status_code == 404
    bad = api.call("POST", "/courses", body=new | {"hours": 0})
    assert bad.status_code == 400 and bad.data["error"]["details"][0]["field"] == "hours"
    # Then a new hire's plan leaves out the retired course and includes the new one
    app_id = ob.onboarded(ob.hire(12, teamwork=70))
    plan = api.call("GET", f"/employees/{app_id}/training").data
    titles = [c["title_zh"] for c in plan["dimensions"][0]["courses"]]
    assert "团队沟通技巧" not in titles and "团队沟通技巧（2027版）" in titles
