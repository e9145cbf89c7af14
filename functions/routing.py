"""The app's routes and event sources, registered from a table without importing a handler module.

``import app`` is the API function's cold start. Importing every handler module there would import
every service, store and pydantic model of the product before the first request; instead app.py
registers, from ``functions/route_table.json``, what the handler modules declare:

* every route (path, method, the view's name, public or behind the Cognito authorizer) with a
  ``LazyView``: on its first call it imports the route's module, and a request then runs exactly
  the view ``functions.http.api_route`` made (``functions.http.RESPONDERS``). The view's docstring,
  which Chalice writes into the API definition, is read from the handler when asked for (packaging);
* every event source (queue, stream, rule, schedule) with its Lambda handler string
  (``module.function``, what each consumer function's Lambda imports) and a ``LazyHandler`` that
  imports the module on its first event (the local event pump and the tests call it; in AWS each
  consumer function imports its own module and nothing else).

The handler modules stay the one source of truth: their decorators (``api_route``,
``bp.on_sqs_message``, ``bp.schedule`` …) declare each route and event source, and the table is
generated from them by registering every module's blueprint on a reference app
(``python -m functions.routing > functions/route_table.json``, or ``make routes``). A test fails when
the table differs from the modules (``tests/unit/test_routing.py``).
"""

from __future__ import annotations

import importlib
import inspect
import json
import sys
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from chalice import Chalice
from chalice.app import (
    BaseEventSourceConfig,
    Blueprint,
    CloudWatchEventConfig,
    DynamoDBEventConfig,
    ScheduledEventConfig,
    ScheduleExpression,
    SQSEventConfig,
)

from functions import auth

TABLE = Path(__file__).with_name("route_table.json")
APP_NAME = "talent-lifecycle"

# Every module that registers routes, in registration order (the API definition lists them so).
ROUTE_MODULES = tuple(
    f"functions.{name}"
    for name in (
        "system",
        "openapi",
        "requisitions",
        "applications",
        "candidates",
        "persons",
        "selection",
        "imports",
        "webhooks",
        "videos",
        "archive",
        "question_bank",
        "second_interview",
        "assessments",
        "onboarding",
        "employees",
        "courses",
        "background_checks",
        "offers",
        "console",
        "vocabulary",
        "insights",
        "probation",
        "performance",
        "analytics",
        "desk",
        "privacy",
    )
)
# Every module of a non-route function: one per event source (functions/consumers/__init__.py).
CONSUMER_MODULES = tuple(
    f"functions.consumers.{name}"
    for name in (
        "notification_queue",
        "import_queue",
        "onboarding_queue",
        "esign_queue",
        "background_check_queue",
        "table_stream",
        "object_events",
        "schedules",
    )
)

# Chalice's event source configurations and the decorator (with its keyword arguments) that makes each.
DECORATORS: dict[type[BaseEventSourceConfig], tuple[str, tuple[str, ...]]] = {
    SQSEventConfig: (
        "on_sqs_message",
        ("queue", "queue_arn", "batch_size", "maximum_batching_window_in_seconds", "maximum_concurrency"),
    ),
    DynamoDBEventConfig: (
        "on_dynamodb_record",
        ("stream_arn", "batch_size", "starting_position", "maximum_batching_window_in_seconds"),
    ),
    CloudWatchEventConfig: ("on_cw_event", ("event_pattern",)),
    ScheduledEventConfig: ("schedule", ("schedule_expression", "description")),
}
ARGUMENT_NAMES = {"schedule_expression": "expression"}  # the config attribute's name in the decorator


def _module(name: str) -> Any:
    return importlib.import_module(name)


class LazyView:
    """A route's view whose handler module is imported on the first request to it."""

    def __init__(self, app: Chalice, module: str, function: str, path: str) -> None:
        self.app = app
        self.path = path
        self.__module__ = module
        self.__name__ = function  # Chalice names the view after it (``view_name``)
        self.__qualname__ = function

    @cached_property
    def handler(self) -> Any:
        """The handler function itself (``api_route`` leaves it on its module)."""
        return getattr(_module(self.__module__), self.__name__)

    @property
    def __wrapped__(self) -> Any:  # what inspect.unwrap / getsource reach, as through functools.wraps
        return self.handler

    @property
    def __doc__(self) -> str | None:  # type: ignore[override]  # Chalice writes it as the operation's summary
        doc: str | None = self.handler.__doc__
        return doc

    def __call__(self, **path_parameters: str) -> Any:
        from functions.http import RESPONDERS  # with the handler's module, on the first request

        request = self.app.current_request
        if request is None:
            raise RuntimeError("a view runs only inside a request")
        self.handler  # noqa: B018  (imports the module, which registers its responders)
        return RESPONDERS[(request.method, self.path)](request, path_parameters)


class LazyHandler:
    """A non-route function's handler whose module is imported on its first event."""

    def __init__(self, module: str, function: str) -> None:
        self.__module__ = module  # Chalice's handler string is ``module.function``
        self.__name__ = function
        self.__qualname__ = function

    def __call__(self, event: Any) -> Any:
        # The module's own handler (the wrapper its blueprint's decorator made) runs the function on
        # the event object Chalice already built from the Lambda event.
        return getattr(_module(self.__module__), self.__name__).func(event)


def observe(event: Any, get_response: Any) -> Any:
    """``functions.observability.observe`` (the Lambda context and correlation id on every log line),
    imported with the first request or event of any function."""
    from functions.observability import observe as middleware

    return middleware(event, get_response)


def http_middleware(event: Any, get_response: Any) -> Any:
    """``functions.http.http_middleware``, imported with the first request (as its handler's module is)."""
    from functions.http import http_middleware as middleware

    return middleware(event, get_response)


def table() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(TABLE.read_text(encoding="utf-8"))
    return loaded


def register(app: Chalice) -> None:
    """Every route and event source of the table on ``app``; the authorizer's blueprint itself."""
    rows = table()
    app.register_blueprint(auth.bp)
    views: dict[tuple[str, str, str], LazyView] = {}
    for method, path, module, function, public in rows["routes"]:
        if (module, function, path) not in views:  # one view for every method of a path, as api_route makes
            views[(module, function, path)] = LazyView(app, module, function, path)
        view = views[(module, function, path)]
        app.route(path, methods=[method], authorizer=None if public else auth.cognito_id_token, name=function)(view)
    blueprints: dict[str, Blueprint] = {}
    for decorator, module, function, kwargs in rows["event_sources"]:
        blueprint = blueprints.setdefault(module, Blueprint(module))
        getattr(blueprint, decorator)(**kwargs)(LazyHandler(module, function))
    for blueprint in blueprints.values():
        app.register_blueprint(blueprint)


# --------------------------------------------------------------------------- the table, from the modules


def import_handlers() -> None:
    """Import every handler module (what ``functions.openapi`` documents, what the table is made from)."""
    for name in (*ROUTE_MODULES, *CONSUMER_MODULES):
        _module(name)


def route_docs() -> dict[tuple[str, str], Any]:
    """Every route's ``functions.http.RouteDoc`` by (method, path): a module declares its routes' docs
    when it is imported, so every handler module is imported first."""
    import_handlers()
    from functions.http import ROUTE_DOCS

    return ROUTE_DOCS


@cache  # a blueprint registers correctly once (Chalice consumes its route arguments)
def reference_app() -> Chalice:
    """An app with every module's own blueprint registered: the routes and event sources as declared."""
    app = Chalice(app_name=APP_NAME)
    for name in ("functions.auth", *ROUTE_MODULES, *CONSUMER_MODULES):
        app.register_blueprint(_module(name).bp)
    return app


def _event_source_row(config: BaseEventSourceConfig) -> list[Any]:
    decorator, attributes = DECORATORS[type(config)]
    module, _, function = config.handler_string.rpartition(".")
    kwargs: dict[str, Any] = {"name": config.name}
    for attribute in attributes:
        value = getattr(config, attribute)
        kwargs[ARGUMENT_NAMES.get(attribute, attribute)] = (
            value.to_string() if isinstance(value, ScheduleExpression) else value
        )
    return [decorator, module, function, kwargs]


def rows_of(app: Chalice) -> dict[str, Any]:
    """The table of ``app``: a route per path and method, an event source per non-route function."""
    routes: list[list[Any]] = []
    for path, entries in app.routes.items():
        for method, entry in entries.items():
            if entry.content_types != ["application/json"] or entry.api_key_required or entry.cors:
                raise ValueError(f"{method} {path}: the table holds only routes with Chalice's defaults")
            module = inspect.unwrap(entry.view_function).__module__
            routes.append([method, path, module, entry.view_name, entry.authorizer is None])
    return {"routes": routes, "event_sources": [_event_source_row(c) for c in app.event_sources]}


def render(rows: dict[str, Any]) -> str:
    """The table as JSON, one route or event source a line (merges touch only the lines they change)."""

    def lines(items: list[Any]) -> str:
        return ",\n".join("    " + json.dumps(item, ensure_ascii=False) for item in items)

    routes, event_sources = lines(rows["routes"]), lines(rows["event_sources"])
    return f'{{\n  "routes": [\n{routes}\n  ],\n  "event_sources": [\n{event_sources}\n  ]\n}}\n'


if __name__ == "__main__":
    sys.stdout.write(render(rows_of(reference_app())))
