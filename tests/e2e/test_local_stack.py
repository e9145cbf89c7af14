"""The running local stack over HTTP: ``python -m infra.local`` as a subprocess.

HR logs in, creates a requisition, uploads an applicant spreadsheet through the presigned POST,
and the import flows S3 → EventBridge → object_created → SQS → import_worker into screened
applications, exactly as it would in AWS.
"""

from __future__ import annotations

import io
import signal
import subprocess
import time
import urllib.request
import uuid
from typing import Any

import pytest

from tests.support.running import STOP_TIMEOUT, RunningStack, call, tail

pytestmark = pytest.mark.e2e

POLLS = 120  # import status polls, POLL_WAIT apart
POLL_WAIT = 0.5

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def national_id(first17: str) -> str:
    """A resident identity number with a correct GB 11643 check character."""
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return first17 + ID_CHECK[total % 11]


def multipart(fields: dict[str, str], filename: str, content: bytes, content_type: str) -> tuple[bytes, str]:
    """A multipart/form-data body for an S3 presigned POST (the file must be the last part)."""
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(value.encode("utf-8") + b"\r\n")
    out.write(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n".encode()
    )
    out.write(content + b"\r\n" + f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def applicants_xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["姓名", "邮箱", "手机号", "身份证号", "简历内容"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


REQUISITION = {
    "title": "客户经理（零售金融）",
    "department": "零售金融部",
    "role_family": "customer_manager",
    "headcount": 2,
    "salary_band": {"min": 150000, "max": 260000},
    "required_keywords": [{"term": "营销", "aliases": ["销售"]}],
    "preferred_keywords": [{"term": "CFA", "aliases": ["特许金融分析师"]}],
    "competency_bar": {"customer_orientation": 70, "expression": 65},
    "dimension_weights": {"customer_orientation": 0.4, "expression": 0.3, "logic": 0.3},
    "shortlist_ratio": 0.3,
}


def test_banner_prints_a_token_per_role_and_auth_is_enforced(stack: RunningStack) -> None:
    # Given the stack is up
    # Then it printed a token for every demo role, and the API refuses requests without a valid one
    for role in ("hr", "manager", "manager2", "interviewer", "it"):
        assert stack.printed_token(role).count(".") == 2
    assert call(stack, "GET", "/health")[0] == 200
    status, _ = call(stack, "GET", "/requisitions")
    assert status == 401
    status, body = call(stack, "GET", "/requisitions", token="not-a-jwt")
    assert status == 401 and body["error"]["code"] == "unauthenticated"
    # And the printed token is accepted
    assert call(stack, "GET", "/requisitions", token=stack.printed_token("hr"))[0] == 200


def test_spreadsheet_import_becomes_screened_applications(stack: RunningStack) -> None:
    # Given HR is logged in (a fresh token from the token command)
    hr = stack.token("hr")

    # When HR creates a requisition
    status, requisition = call(stack, "POST", "/requisitions", hr, REQUISITION)
    assert status == 201, requisition
    requisition_id = requisition["id"]

    # And starts an import for it
    status, started = call(
        stack, "POST", "/imports", hr, {"requisition_id": requisition_id, "filename": "applicants.xlsx"}
    )
    assert status == 201, started
    import_id, upload = started["id"], started["upload"]
    assert upload["url"].startswith("http://127.0.0.1:") and upload["fields"]

    # And uploads a spreadsheet to the presigned POST: two matching resumes, one without the
    # required keyword, one row with a wrong check digit
    rows = [
        [
            "张伟",
            "zhang.wei@example.com",
            "13800138001",
            national_id("11010519900307123"),
            "五年银行零售营销经验，持有CFA",
        ],
        ["李娜", "li.na@example.com", "13800138002", national_id("31010419920815234"), "负责理财产品销售与客户维护"],
        ["王强", "wang.qiang@example.com", "13800138003", national_id("44030519880101345"), "后台运维与系统管理"],
        ["赵敏", "zhao.min@example.com", "13800138004", "110105199003071230", "营销"],
    ]
    assert national_id("11010519900307123")[-1] != "0"  # so the last row's check digit is wrong
    content_type = upload["fields"].get("Content-Type", "application/octet-stream")
    body, form_type = multipart(upload["fields"], "applicants.xlsx", applicants_xlsx(rows), content_type)
    request = urllib.request.Request(upload["url"], data=body, headers={"Content-Type": form_type}, method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status in (200, 201, 204)

    # Then the import completes (S3 → EventBridge → parse → SQS chunks → applications)
    job: dict[str, Any] = {}
    for _ in range(POLLS):
        status, job = call(stack, "GET", f"/imports/{import_id}", hr)
        assert status == 200, job
        if job["state"] in ("completed", "failed"):
            break
        time.sleep(POLL_WAIT)
    assert job["state"] == "completed", job
    assert job["total_rows"] == 4 and job["processed_rows"] == 4
    assert (job["accepted"], job["rejected"]) == (3, 1), job

    # And the requisition lists the three screened applications
    status, page = call(stack, "GET", f"/requisitions/{requisition_id}/applications", hr)
    assert status == 200, page
    by_name = {item["name"]: item for item in page["items"]}
    assert set(by_name) == {"张伟", "李娜", "王强"}
    assert by_name["张伟"]["screening_proposal"] == "advance"
    assert by_name["李娜"]["screening_proposal"] == "advance"  # "销售" is an alias of the keyword
    assert by_name["王强"]["screening_proposal"] == "reject"
    assert by_name["张伟"]["screening_score"] > by_name["李娜"]["screening_score"]  # the preferred CFA

    # And the manager of another department may not read them
    status, _ = call(stack, "GET", f"/requisitions/{requisition_id}/applications", stack.token("manager2"))
    assert status == 403


def test_probation_cycle_runs_in_the_local_step_functions(stack: RunningStack) -> None:
    import json
    from datetime import date

    import boto3

    from infra.local.cognito import RETAIL_BANKING
    from shared.store.employees import employee_item
    from shared.store.items import serialize
    from tests.support.employees import employee as new_employee

    # Given a hire in the local table (what onboarding creates from a signed offer)
    state = json.loads((stack.state_dir / "state.json").read_text(encoding="utf-8"))
    employee_id = uuid.uuid4().hex
    employee = new_employee(
        employee_id,
        requisition_id="req-local",
        department=RETAIL_BANKING,
        start_date=date.today(),
        dimension_scores={"data_analysis": 90, "expression": 75},
    )
    ddb = boto3.client(
        "dynamodb",
        endpoint_url=state["moto_endpoint"],
        region_name=state["region"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    ddb.put_item(TableName=state["outputs"]["TableName"], Item=serialize(employee_item(employee)))
    hr, manager = stack.token("hr"), stack.token("manager")
    path = f"/employees/{employee_id}/probation"

    # When HR confirms the goals with a cycle of seconds
    durations = {"check_in": 0, "mid_term": 0, "end": 1, "decision_timeout": 120, "heartbeat": 120}
    status, started = call(stack, "POST", f"{path}/confirm", hr, {"durations": durations})
    assert status == 201, started

    # Then the state machine reaches the final review (the pump delivers its message)
    view: dict[str, Any] = {}
    for _ in range(POLLS):
        status, view = call(stack, "GET", path, hr)
        if view.get("awaiting_decision"):
            break
        time.sleep(POLL_WAIT)
    assert view.get("awaiting_decision"), view

    # And the manager's decision completes it with the outcome written by the state machine
    status, decided = call(stack, "POST", f"{path}/decision", manager, {"decision": "confirm"})
    assert status == 200, decided
    for _ in range(POLLS):
        status, view = call(stack, "GET", path, hr)
        if view["status"] == "completed":
            break
        time.sleep(POLL_WAIT)
    assert (view["status"], view["outcome"]) == ("completed", "confirmed"), view


def test_sigint_stops_the_stack_cleanly(stack: RunningStack) -> None:
    # When the stack gets Ctrl-C
    stack.process.send_signal(signal.SIGINT)
    # Then it exits 0 and removes its state file
    try:
        code = stack.process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"no exit within {STOP_TIMEOUT}s of SIGINT; stderr:\n{tail(stack.state_dir / 'stderr.log', 200)}")
    assert code == 0, tail(stack.state_dir / "stderr.log")
    assert not (stack.state_dir / "state.json").exists()
