"""The commands, ports and API paths README.md and docs/ name exist: every ``make`` target and
variable in the Makefile, every ``python -m`` command with the options the docs give it, every port
one the local stack listens on (each with its own option), every API call a route of the app. The
calls themselves run against a local stack in ``tests/e2e/test_docs_walkthroughs.py``."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from functools import cache

import pytest

from infra.local.__main__ import parse_args
from infra.local.stack import Options
from tests.support import documented
from tests.support.running import PORT_OPTIONS


@cache
def help_text(module: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", module, "--help"], cwd=documented.ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, f"python -m {module} --help: {done.stderr[-2000:]}"
    return done.stdout


def route_of(path: str, routes: set[tuple[str, str]], method: str) -> bool:
    """Whether a documented path (placeholders such as $APP, <id>, {id}) is a route of the app."""
    asked = path.rstrip("/").split("/") or [""]
    for route_method, route in routes:
        parts = route.split("/")
        if route_method != method or len(parts) != len(asked):
            continue
        if all(r == a or (r.startswith("{") and a) for r, a in zip(parts, asked, strict=True)):
            return True
    return False


def test_every_code_block_is_closed() -> None:
    # Given every document; Then each code block is closed before the next one opens
    for path in documented.documents():
        assert list(documented.snippets(path))


def test_every_make_target_and_variable_the_docs_name_exists() -> None:
    # Given the make commands of the documents
    commands = documented.make_commands()
    assert {"run", "test", "token", "simulate"} <= {c.program for c in commands}
    # Then each target is a rule of the Makefile, and each variable one it reads
    targets, variables = documented.makefile_targets(), documented.makefile_variables()
    assert [(c.where, c.program) for c in commands if c.program not in targets] == []
    assert [(c.where, v) for c in commands for v in c.options if v not in variables] == []


def test_every_python_command_the_docs_name_exists_with_its_options() -> None:
    # Given the python -m commands of the documents
    commands = documented.python_commands()
    assert {"infra.local", "infra.local.simulator", "infra.local.redrive"} <= {c.program for c in commands}
    # Then each module exists, and each option it is given is one its --help lists
    missing = [(c.where, c.program) for c in commands if importlib.util.find_spec(c.program) is None]
    assert missing == []
    unknown = [
        (c.where, c.program, option)
        for c in commands
        for option in c.options
        if not re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", help_text(c.program))
    ]
    assert unknown == []


def test_every_local_port_has_its_own_option() -> None:
    # Given a distinct port for each option of the local stack
    given = {listener: 9100 + n for n, listener in enumerate(PORT_OPTIONS)}
    options, _ = parse_args([arg for name, port in given.items() for arg in (PORT_OPTIONS[name], str(port))])
    # Then every port the stack listens on is the one given
    assert options.ports() == given
    # And without options they are the ports the README names
    assert Options().ports() == {
        "moto": 5000,
        "API": 8000,
        "admin": 8001,
        "background-check vendor": 8002,
        "e-sign vendor": 8003,
        "sign-in pages": 8004,
    }


def test_every_port_the_docs_name_is_one_the_local_stack_listens_on() -> None:
    # Given the local addresses of the documents
    calls = documented.requests()
    assert len(calls) > 40
    # Then each is on a port of the local stack's default layout
    listening = set(Options().ports().values())
    assert [(c.where, c.port, c.path) for c in calls if c.port not in listening] == []


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE"])
def test_every_api_call_the_docs_show_is_a_route_of_the_app(method: str) -> None:
    from app import app

    # Given the app's route table and the documented calls to the API's port
    routes = {(m, path) for path, methods in app.routes.items() for m in methods}
    calls = [c for c in documented.requests() if c.port == Options().port and c.path and c.method == method]
    # Then each names a route (a placeholder stands for a path parameter)
    assert [(c.where, c.method, c.route) for c in calls if not route_of(c.route, routes, method)] == []


def test_the_checks_find_drift() -> None:
    # Given the route table's shape and a documented call to a route that does not exist
    routes = {("GET", "/requisitions/{requisition_id}"), ("POST", "/schedules/{name}")}
    # Then only the existing routes match, with any placeholder for a parameter
    assert route_of("/requisitions/$REQ", routes, "GET") and route_of("/requisitions/<id>", routes, "GET")
    assert not route_of("/requisitions/$REQ/funnel", routes, "GET")
    assert not route_of("/requisitions/$REQ", routes, "POST")
