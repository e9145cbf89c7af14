"""The running local stack for end-to-end tests: ``python -m infra.local`` as a subprocess on free
ports, one per test module, stopped with SIGINT afterwards; and JSON calls to its API."""

from __future__ import annotations

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
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
START_TIMEOUT = 90.0  # seconds for the whole stack to print READY
STOP_TIMEOUT = 30.0


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
def stack(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[RunningStack]:
    """A module that sets ``DEMO_DATA = True`` gets the demo history (``infra/local/demo.py``)."""
    demo = [] if getattr(request.module, "DEMO_DATA", False) else ["--no-demo-data"]
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
            *demo,
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
                pytest.fail(f"no READY within {START_TIMEOUT}s; stderr:\n{tail(state_dir / 'stderr.log')}")
            try:
                line = lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                pytest.fail(f"the stack exited ({process.wait()}) before READY:\n{tail(state_dir / 'stderr.log')}")
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


def tail(path: Path, lines: int = 60) -> str:
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


POLL_SECONDS = 30.0  # the simulated vendors answer within ~2 s; the pump delivers within ~1 s


def wait_until(what: str, probe: Any, timeout: float = POLL_SECONDS) -> Any:
    """Poll ``probe`` (an API read) until it returns something truthy, for at most ``timeout`` s."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if found:
            return found
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.5)
