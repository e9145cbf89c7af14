"""The running local stack over HTTP: ``python -m infra.local`` as a subprocess.

HR logs in, creates a requisition, uploads an applicant spreadsheet through the presigned POST,
and the import flows S3 → EventBridge → object_created → SQS → import_worker into screened
applications, exactly as it would in AWS.
"""

from __future__ import annotations

import io
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

PROJECT_DIR = Path(__file__).resolve().parents[2]
START_TIMEOUT = 90.0  # seconds for the whole stack to print READY
STOP_TIMEOUT = 30.0
POLLS = 120  # import status polls, POLL_WAIT apart
POLL_WAIT = 0.5

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def national_id(first17: str) -> str:
    """A resident identity number with a correct GB 11643 check character."""
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return first17 + ID_CHECK[total % 11]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningStack:
    process: subprocess.Popen[str]
    api_url: str
    state_dir: Path
    stdout: list[str] = field(default_factory=list)

    def token(self, role: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "infra.local.token", "--role", role, "--state-dir", str(self.state_dir)],
            cwd=PROJECT_DIR,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return result.stdout.strip()

    def printed_token(self, role: str) -> str:
        prefix = f"  {role}: "
        return next(line[len(prefix) :].strip() for line in self.stdout if line.startswith(prefix))


def _pump_lines(stream: Any, lines: queue.Queue[str | None]) -> None:
    for line in stream:
        lines.put(line.rstrip("\n"))
    lines.put(None)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    state_dir = tmp_path_factory.mktemp("local-stack")
    port, moto_port, admin_port = free_port(), free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["PYTHONUNBUFFERED"] = "1"
    stderr_log = (state_dir / "stderr.log").open("w", encoding="utf-8")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "infra.local",
            "--port",
            str(port),
            "--moto-port",
            str(moto_port),
            "--admin-port",
            str(admin_port),
            "--state-dir",
            str(state_dir),
        ],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=stderr_log,
        text=True,
        encoding="utf-8",
    )
    lines: queue.Queue[str | None] = queue.Queue()
    reader = threading.Thread(target=_pump_lines, args=(process.stdout, lines), daemon=True)
    reader.start()
    running = RunningStack(process, f"http://127.0.0.1:{port}", state_dir)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                pytest.fail(f"no READY within {START_TIMEOUT}s; stderr:\n{_tail(state_dir / 'stderr.log')}")
            try:
                line = lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                pytest.fail(f"the stack exited ({process.wait()}) before READY:\n{_tail(state_dir / 'stderr.log')}")
            running.stdout.append(line)
            if line.startswith("READY "):
                assert line == f"READY {running.api_url}"
                break
        yield running
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        stderr_log.close()


def _tail(path: Path, lines: int = 60) -> str:
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def call(stack: RunningStack, method: str, path: str, token: str | None = None, body: Any = None) -> tuple[int, Any]:
    headers = {"Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(stack.api_url + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as err:
        raw = err.read()
        return err.code, json.loads(raw) if raw else None


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


def test_sigint_stops_the_stack_cleanly(stack: RunningStack) -> None:
    # When the stack gets Ctrl-C
    stack.process.send_signal(signal.SIGINT)
    # Then it exits 0 and removes its state file
    assert stack.process.wait(timeout=STOP_TIMEOUT) == 0
    assert not (stack.state_dir / "state.json").exists()
