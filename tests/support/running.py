"""The running local stack as a subprocess (``python -m infra.local``) on free loopback ports, for
end-to-end tests, benches and the fuzzer; stopped with SIGINT as Ctrl-C stops it. And JSON calls to
its API over HTTP."""

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
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parents[2]
START_TIMEOUT = 120.0  # seconds for the whole stack to print READY
STOP_TIMEOUT = 30.0
POLL_SECONDS = 30.0  # the simulated vendors answer within ~2 s; the pump delivers within ~1 s
# every port the stack listens on (the names of infra.local.stack.Options.ports) and its option
PORT_OPTIONS = {
    "API": "--port",
    "moto": "--moto-port",
    "admin": "--admin-port",
    "background-check vendor": "--bgc-vendor-port",
    "e-sign vendor": "--esign-vendor-port",
    "sign-in pages": "--sign-in-port",
}


class StackDidNotStart(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningStack:
    process: subprocess.Popen[str]
    api_url: str
    state_dir: Path
    ports: dict[str, int] = field(default_factory=dict)  # port option -> port, e.g. "--admin-port"
    stdout: list[str] = field(default_factory=list)  # what it printed up to READY (the banner)

    def token(self, role: str) -> str:
        """A fresh token, as ``make token ROLE=...`` gets one."""
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

    def url(self, listener: str) -> str:
        """``http://127.0.0.1:<port>`` of what listens there (a name of ``PORT_OPTIONS``)."""
        return f"http://127.0.0.1:{self.ports[PORT_OPTIONS[listener]]}"


def _read_lines(stream: Any, lines: queue.Queue[str | None]) -> None:
    for line in stream:
        lines.put(line.rstrip("\n"))
    lines.put(None)


def tail(path: Path, lines: int = 60) -> str:
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


PORT_ATTEMPTS = 3  # a free port may be taken by another process before the stack binds it


@contextmanager
def local_stack(
    state_dir: Path, *, port: int | None = None, options: Sequence[str] = (), start_timeout: float = START_TIMEOUT
) -> Iterator[RunningStack]:
    """Start the stack with its state and stderr (``stderr.log``) in ``state_dir``; every port free
    (the API's is ``port`` if given); ``options`` are passed on (e.g. ``--no-demo-data``). Raises
    ``StackDidNotStart`` (with the end of its stderr) unless it prints READY in time. A port found free
    and taken before the stack bound it (another test's connection) is retried with fresh ports."""
    for attempt in range(1, PORT_ATTEMPTS + 1):
        ports = {option: free_port() for option in PORT_OPTIONS.values()} | ({"--port": port} if port else {})
        try:
            running = _start(state_dir, ports, options, start_timeout)
        except StackDidNotStart as exc:
            if attempt == PORT_ATTEMPTS or port is not None or "in use" not in str(exc):
                raise
            continue
        try:
            yield running
        finally:
            _stop(running.process)
        return


def _start(state_dir: Path, ports: dict[str, int], options: Sequence[str], start_timeout: float) -> RunningStack:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")} | {"PYTHONUNBUFFERED": "1"}
    stderr_path = state_dir / "stderr.log"
    with stderr_path.open("w", encoding="utf-8") as stderr:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "infra.local",
                *(str(part) for pair in ports.items() for part in pair),
                "--state-dir",
                str(state_dir),
                *options,
            ],
            cwd=PROJECT_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            encoding="utf-8",
        )
    lines: queue.Queue[str | None] = queue.Queue()
    # keeps reading what it prints after READY too, so that a full pipe never blocks the stack
    threading.Thread(target=_read_lines, args=(process.stdout, lines), daemon=True).start()
    running = RunningStack(process, f"http://127.0.0.1:{ports['--port']}", state_dir, ports)
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise StackDidNotStart(f"no READY within {start_timeout}s; stderr:\n{tail(stderr_path)}")
            try:
                line = lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                raise StackDidNotStart(f"the stack exited ({process.wait()}) before READY:\n{tail(stderr_path)}")
            running.stdout.append(line)
            if line.startswith("READY "):
                assert line == f"READY {running.api_url}", line
                return running
    except BaseException:
        _stop(process)
        raise


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def request_raw(
    url: str, method: str = "GET", body: bytes | None = None, headers: dict[str, str] | None = None, timeout: float = 30
) -> tuple[int, Any]:
    """(HTTP status, the body decoded from JSON, or as text, or None) of one call; an error status is
    returned, not raised."""
    request = urllib.request.Request(url, data=body, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as err:
        status, raw = err.code, err.read()
    if not raw:
        return status, None
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, raw.decode("utf-8", errors="replace")


def request_json(
    url: str, method: str = "GET", token: str | None = None, body: Any = None, timeout: float = 30
) -> tuple[int, Any]:
    """(HTTP status, decoded JSON body or None) of one JSON call; an error status is returned, not raised."""
    headers = {"Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return request_raw(url, method, data, headers, timeout)


def call(stack: RunningStack, method: str, path: str, token: str | None = None, body: Any = None) -> tuple[int, Any]:
    """A JSON call to the running stack's API."""
    return request_json(stack.api_url + path, method, token, body)


def wait_until(what: str, probe: Callable[[], Any], timeout: float = POLL_SECONDS, interval: float = 0.5) -> Any:
    """Poll ``probe`` (an API read) every ``interval`` s until it returns something truthy, for at most
    ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)
