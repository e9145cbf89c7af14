"""The route table (functions/routing.py): app.py registers, without importing a handler module,
exactly the routes and event sources the handler modules declare."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from chalice.app import EventSourceHandler, ScheduleExpression
from chalice.deploy.swagger import CFNSwaggerGenerator

from app import app
from functions import routing
from shared.domain.exports import XLSX

ROOT = Path(__file__).resolve().parents[2]


def event_sources(chalice_app: Any) -> list[dict[str, Any]]:
    """Each event source as packaging reads it (a schedule's expression as its text)."""
    return [
        {
            "type": type(config).__name__,
            **{
                key: value.to_string() if isinstance(value, ScheduleExpression) else value
                for key, value in vars(config).items()
            },
        }
        for config in chalice_app.event_sources
    ]


def test_the_committed_table_is_what_the_handler_modules_declare() -> None:
    # Given every handler module's own blueprint on a reference app
    declared = routing.rows_of(routing.reference_app())
    # When the committed table is read / Then it is the same, line for line
    committed = routing.TABLE.read_text(encoding="utf-8")
    assert committed == routing.render(declared), (
        "functions/route_table.json is stale: run `make routes` (it writes what the handler modules declare)"
    )


def test_the_app_registers_what_the_reference_app_does() -> None:
    # Given the app (from the table) and the reference app (every module imported)
    reference = routing.reference_app()
    ours, theirs = (CFNSwaggerGenerator().generate_swagger(a) for a in (app, reference))
    # Then the API definition Chalice packages is the same, summaries and authorizers included; the
    # app adds the spreadsheet export's media type
    binary = "x-amazon-apigateway-binary-media-types"
    assert ours.pop(binary) == [*theirs.pop(binary), XLSX]
    assert ours == theirs
    # And every route's view has the handler's name and docstring
    for path, entries in reference.routes.items():
        for method, entry in entries.items():
            registered = app.routes[path][method]
            assert (registered.view_name, registered.authorizer, registered.view_args) == (
                entry.view_name,
                entry.authorizer,
                entry.view_args,
            )
            assert inspect.getdoc(registered.view_function) == inspect.getdoc(entry.view_function)
    # And every event source, with its Lambda handler string, and the authorizer are the same
    assert event_sources(app) == event_sources(reference)
    assert [vars(c) for c in app.builtin_auth_handlers] == [vars(c) for c in reference.builtin_auth_handlers]
    assert sorted(app.handler_map) == sorted(reference.handler_map)


def test_importing_the_app_imports_no_handler_module_service_or_model() -> None:
    # Given a fresh interpreter
    probe = (
        "import json, sys; import app; "
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('functions.', 'shared.', 'pydantic.main')))))"
    )
    # When it imports the app (the API function's cold start)
    env = {k: v for k, v in os.environ.items() if k != "AWS_LAMBDA_FUNCTION_NAME"}
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    # Then only the route table, the authorizer's declaration and the export media types are loaded
    loaded = json.loads(done.stdout)
    assert loaded == ["functions.auth", "functions.routing", "shared.domain", "shared.domain.exports"]


def test_every_function_runs_the_observe_middleware() -> None:
    # Given the app: the observe middleware (Lambda context, correlation id) for every event type
    assert app.middleware_handlers[0] == (routing.observe, "all")
    # Then every event source's Lambda handler is the app's own (Chalice wraps it with the app's
    # middleware), whose lazy handler imports the consumer's module on the first event
    for config in app.event_sources:
        handler = app.handler_map[config.name]
        assert isinstance(handler, EventSourceHandler), config.name
        assert isinstance(handler.func, routing.LazyHandler), config.name
        assert config.handler_string == f"{handler.func.__module__}.{handler.func.__name__}"
