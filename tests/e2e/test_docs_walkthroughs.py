"""The calls README.md and docs/ show, sent to a running local stack: every documented address is
served by what the documents say listens there, every documented path exists on it, and the
concrete walk-throughs (no placeholder left) answer as a reader expects. The default ports the
documents use (API 8000, admin 8001, vendors 8002 and 8003, moto 5000) are mapped to the ports of
this stack by what listens on them (``infra.local.stack.Options.ports``)."""

from __future__ import annotations

import re
import socket
from functools import cache
from typing import Any

from infra.local import demo
from infra.local.stack import Options
from tests.support import documented
from tests.support.running import PORT_OPTIONS, RunningStack, request_raw

DEMO_DATA = True  # the documents' examples name the demo history's cycles and hires (demo-h1, demo-000)
NO_SUCH = re.compile(r"^(No such route\.|no such path )")  # the answer of the API, and of every other local port


def listener_of(port: int) -> str:
    """What listens on a documented port (by the stack's default layout)."""
    return {p: name for name, p in Options().ports().items()}[port]


def refused(status: int, body: Any) -> bool:
    """The answer of a server to a path it does not serve."""
    error = body.get("error") if isinstance(body, dict) else None
    message = error.get("message") if isinstance(error, dict) else None
    return status == 404 and isinstance(message, str) and NO_SUCH.match(message) is not None


def test_every_documented_call_is_served_where_the_documents_say(stack: RunningStack) -> None:
    token = cache(stack.token)
    problems = []
    for call in documented.requests():
        # Given a documented call, sent to this stack's listener for the documented port
        listener = listener_of(call.port)
        if not call.path:  # a bare address: something listens there
            with socket.create_connection(("127.0.0.1", stack.ports[PORT_OPTIONS[listener]]), timeout=5):
                continue
        if listener == "moto" or (listener == "API" and not call.concrete):
            continue  # (an API path with placeholders is checked against the route table, tests/unit)
        path = documented.PLACEHOLDER.sub("doc-check", call.path)
        headers = dict(call.headers)
        if call.role:
            headers["Authorization"] = f"Bearer {token(call.role)}"
        # When it is sent
        status, body = request_raw(stack.url(listener) + path, call.method, call.body, headers)
        # Then the path exists there and nothing fails; the answer is the one the document shows, and
        # a documented read with a token succeeds
        read = call.method == "GET" and (call.role or listener != "API") and call.concrete
        wrong = status != call.expected if call.expected else read and status >= 400
        if refused(status, body) or status >= 500 or wrong:
            problems.append(f"{call.where}: {call.method} {listener} {call.path} → {status} {str(body)[:200]}")
    assert not problems, "\n".join(problems)


def test_the_readme_counts_the_demo_hires_the_stack_seeds(stack: RunningStack) -> None:
    # Given what the running stack logged when it seeded its demo history
    log = (stack.state_dir / "stderr.log").read_text(encoding="utf-8")
    seeded = re.search(r"demo history seeded: (\d+) hires", log)
    assert seeded is not None, log[-2000:]
    # Then the README names that number
    assert int(seeded.group(1)) == demo.ACTIVE + demo.LEFT + 1
    assert f"{seeded.group(1)} hires" in (documented.ROOT / "README.md").read_text(encoding="utf-8")


def test_the_banner_names_every_port_the_stack_listens_on(stack: RunningStack) -> None:
    # Given the stack started with every port given by its option
    banner = "\n".join(stack.stdout)
    # Then the banner names each of them
    missing = [name for name in PORT_OPTIONS if f"127.0.0.1:{stack.ports[PORT_OPTIONS[name]]}" not in banner]
    assert missing == []
