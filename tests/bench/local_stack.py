"""The running local stack for a bench: ``python -m infra.local`` on free loopback ports (as
``tests/e2e/conftest.py`` starts it for end-to-end tests), stopped with SIGINT afterwards."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 120.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_stack() -> Iterator[tuple[str, Callable[[str], str]]]:
    """Yields the API's URL and ``token(role)``."""
    with tempfile.TemporaryDirectory(prefix="bench-stack-") as state:
        port = free_port()
        ports = ["--port", str(port), "--moto-port", str(free_port()), "--admin-port", str(free_port())]
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")} | {"PYTHONUNBUFFERED": "1"}
        with open(Path(state) / "stderr.log", "w", encoding="utf-8") as stderr:
            process = subprocess.Popen(
                [sys.executable, "-m", "infra.local", *ports, "--state-dir", state],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
            )
            try:
                api_url, deadline = f"http://127.0.0.1:{port}", time.monotonic() + START_TIMEOUT
                assert process.stdout is not None
                for line in process.stdout:  # bounded by the stack: it prints READY or exits
                    if line.startswith("READY "):
                        break
                    if time.monotonic() > deadline:
                        raise RuntimeError("the local stack did not print READY in time")
                else:
                    raise RuntimeError(f"the local stack exited ({process.wait()}); see {stderr.name}")
                # keep reading what it prints, so that a full pipe never blocks the stack
                threading.Thread(target=lambda: [None for _ in process.stdout or ()], daemon=True).start()

                def token(role: str) -> str:
                    out = subprocess.run(
                        [sys.executable, "-m", "infra.local.token", "--role", role, "--state-dir", state],
                        cwd=ROOT,
                        capture_output=True,
                        text=True,
                        timeout=60,
                        check=True,
                    )
                    return out.stdout.strip()

                yield api_url, token
            finally:
                if process.poll() is None:
                    process.send_signal(signal.SIGINT)
                    try:
                        process.wait(timeout=30)
                    except subprocess.TimeoutExpired:
                        process.kill()
                        process.wait()
