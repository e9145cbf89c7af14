"""The HTTP edge: body/query parsing with pydantic, the principal, error mapping, observability.

Every domain exception becomes ``{"error": {"code", "message", "details"}}`` here and only here.
"""

from __future__ import annotations

import functools
import inspect
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from chalice.app import Blueprint, Request
from chalice.app import Response as ChaliceResponse
from pydantic import BaseModel, ValidationError

from functions.auth import cognito_id_token
from shared.domain.exports import CSV, XLSX, to_csv, to_xlsx
from shared.domain.json_input import parse_json_object
from shared.errors import (
    Conflict,
    DomainError,
    Forbidden,
    NotFound,
    PayloadTooLarge,
    ServiceUnavailable,
    Unauthenticated,
    UnsupportedMediaType,
    ValidationFailed,
    validation_details,
)
from shared.models.application import Application
from shared.security.policy import Action, authorize
from shared.security.tokens import Principal, principal_from_context
from shared.settings import get_settings
from shared.store.failures import transient_fault
from shared.store.repository import Repository

logger = Logger()
metrics = Metrics(namespace="TalentLifecycle")  # explicit: importing this module must not depend on the env

M = TypeVar("M", bound=BaseModel)
JSON_HEADERS: dict[str, str | list[str]] = {"Content-Type": "application/json"}


def parse_body(request: Request, model: type[M]) -> M:
    """Validate a JSON body against ``model``: 415 for other media, 413 when too large, 400 naming the field."""
    content_type = (request.headers.get("content-type") or "application/json").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise UnsupportedMediaType("the body must be application/json")
    raw = request.raw_body or b""
    if isinstance(raw, str):
        raw = raw.encode()
    limit = get_settings().max_body_bytes
    if len(raw) > limit:
        raise PayloadTooLarge(f"the body is {len(raw)} bytes; the limit is {limit}")
    data = parse_json_object(raw)  # 400 for bad UTF-8, bad JSON, deep nesting, numbers DynamoDB refuses
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed("the request is not valid", validation_details(exc)) from exc


def parse_query(request: Request, model: type[M]) -> M:
    try:
        return model.model_validate(dict(request.query_params or {}))
    except ValidationError as exc:
        raise ValidationFailed("the query parameters are not valid", validation_details(exc)) from exc


def principal(request: Request) -> Principal:
    context = (request.context or {}).get("authorizer") or {}
    if context.get("auth_error") or not context.get("sub"):
        raise Unauthenticated(str(context.get("auth_error") or "a bearer token is required"))
    return principal_from_context(context)


def source_ip(request: Request) -> str | None:
    return ((request.context or {}).get("identity") or {}).get("sourceIp")


def ok(body: BaseModel | dict[str, Any] | list[Any], status: int = 200, headers: dict[str, str] | None = None) -> Any:
    payload = body.model_dump(mode="json") if isinstance(body, BaseModel) else body
    return ChaliceResponse(body=payload, status_code=status, headers={**JSON_HEADERS, **(headers or {})})


# The HTTP status of each domain error: the one table that knows status codes (services and the
# domain raise typed errors). An error type not named here answers as its nearest base class.
STATUS: dict[type[DomainError], int] = {
    DomainError: 400,
    ValidationFailed: 400,
    Unauthenticated: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    PayloadTooLarge: 413,
    UnsupportedMediaType: 415,
    ServiceUnavailable: 503,
}


def status_of(exc: DomainError) -> int:
    return next(STATUS[kind] for kind in type(exc).__mro__ if kind in STATUS)


def error_response(exc: DomainError) -> ChaliceResponse:
    headers: dict[str, str | list[str]] = dict(JSON_HEADERS)
    if isinstance(exc, ServiceUnavailable):
        headers["Retry-After"] = str(exc.retry_after)
    body = {"error": {"code": exc.code, "message": exc.message, "details": exc.details}}
    return ChaliceResponse(body=body, status_code=status_of(exc), headers=headers)


def _internal_error() -> ChaliceResponse:
    return ChaliceResponse(
        body={"error": {"code": "internal_error", "message": "an unexpected error occurred", "details": []}},
        status_code=500,
        headers=JSON_HEADERS,
    )


V = TypeVar("V", bound=Callable[..., Any])


@dataclass(frozen=True)
class RouteDoc:
    """What the OpenAPI document says of one route (see functions/openapi.py)."""

    method: str
    path: str
    summary: str
    description: str
    public: bool
    body: type[BaseModel] | None
    query: type[BaseModel] | None
    response: type[BaseModel] | None
    status: int
    media_type: str
    extra_statuses: tuple[int, ...]


ROUTE_DOCS: dict[tuple[str, str], RouteDoc] = {}


def api_route(
    bp: Blueprint,
    path: str,
    *,
    methods: list[str],
    public: bool = False,
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    response: type[BaseModel] | None = None,
    status: int = 200,
    media_type: str = "application/json",
    extra_statuses: tuple[int, ...] = (),
) -> Callable[[V], V]:
    """Register a view on ``bp``: behind the Cognito authorizer unless ``public``, with domain errors
    mapped to their HTTP response (Chalice handles view exceptions before any middleware sees them).
    ``body``, ``query``, ``response`` and ``status`` describe the route in the OpenAPI document."""

    def register(fn: V) -> V:
        doc = inspect.getdoc(fn) or ""
        summary, _, description = doc.partition("\n\n")
        for method in methods:
            ROUTE_DOCS[(method, path)] = RouteDoc(
                method,
                path,
                " ".join(summary.split()),
                description.strip(),
                public,
                body,
                query,
                response,
                status,
                media_type,
                extra_statuses,
            )

        listing = "GET" in methods and response is not None and "items" in response.model_fields

        @functools.wraps(fn)
        def view(**kwargs: Any) -> Any:
            try:
                result = fn(**kwargs)
                return as_download(bp.current_request, path, result) if listing else result
            except DomainError as exc:
                return error_response(exc)
            except Exception as exc:  # a fault never leaks a stack trace
                busy = transient_fault(exc)
                if busy is not None:
                    logger.warning("dependency fault after retries", extra={"error": type(exc).__name__})
                    return error_response(busy)
                logger.exception("unhandled error")
                return _internal_error()

        bp.route(path, methods=methods, authorizer=None if public else cognito_id_token)(view)
        return fn

    return register


DOWNLOADS = {"text/csv": "csv", XLSX: "xlsx"}


def as_download(request: Request, path: str, result: Any) -> Any:
    """A list (a response with ``items``) as a CSV or XLSX download when the caller asks for one with
    ``Accept: text/csv`` or the XLSX type: the same role-shaped rows as the JSON, one per item, nested
    values as JSON text, formula injection neutralised (``shared.domain.exports``)."""
    accept = str(request.headers.get("accept") or "") if request.headers else ""
    wanted = next((kind for media, kind in DOWNLOADS.items() if media in accept), None)
    if wanted is None or not isinstance(result, ChaliceResponse) or result.status_code != 200:
        return result
    items = result.body.get("items") if isinstance(result.body, dict) else None
    if not isinstance(items, list):
        return result
    rows = [item if isinstance(item, dict) else {"value": item} for item in items]
    name = "-".join(p for p in path.strip("/").split("/") if not p.startswith("{")) or "export"
    headers: dict[str, str | list[str]] = {"Content-Disposition": f'attachment; filename="{name}.{wanted}"'}
    if wanted == "csv":
        body: str | bytes = to_csv(rows).decode("utf-8")
        headers["Content-Type"] = CSV
    else:
        body = to_xlsx(rows, name)
        headers["Content-Type"] = XLSX
    return ChaliceResponse(body=body, status_code=200, headers=headers)


def http_middleware(event: Request, get_response: Callable[[Request], Any]) -> Any:
    """Authentication outcome, error mapping and one structured log line per request (no bodies: PII)."""
    started = time.perf_counter()
    context = (event.context or {}).get("authorizer") or {}
    try:
        if context.get("auth_error"):
            raise Unauthenticated(str(context["auth_error"]))
        response = get_response(event)
    except DomainError as exc:
        response = error_response(exc)
    except Exception:  # a fault never leaks a stack trace
        logger.exception("unhandled error")
        response = _internal_error()
    logger.info(
        "request",
        extra={
            "method": event.method,
            "path": (event.context or {}).get("resourcePath"),
            "status": response.status_code,
            "principal": context.get("sub"),
            "ms": round((time.perf_counter() - started) * 1000, 1),
        },
    )
    metrics.add_metric(name="Requests", unit=MetricUnit.Count, value=1)
    metrics.flush_metrics()
    return response


def authorized_application(who: Principal, action: Action, application_id: str, repo: Repository) -> Application:
    """The application, if ``who`` may perform ``action`` on it: roles that may never do it are refused
    before anything is read; then the department / assignment of this application is checked."""
    authorize(who, action)
    app = repo.applications.require(application_id)
    authorize(who, action, app.department, app.interviewers)
    return app
