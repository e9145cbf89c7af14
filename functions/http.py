"""The HTTP edge: the request plumbing of every route (``api_route`` hands its handler a ``Call``:
the principal, the declared body and query validated with pydantic, ``functions/call.py``), error
mapping, observability; responses and downloads are ``functions/responses.py``.

Every domain exception becomes ``{"error": {"code", "message", "details"}}`` here and only here.
"""

from __future__ import annotations

import functools
import inspect
import time
import typing
from collections.abc import Callable
from dataclasses import dataclass
from types import NoneType
from typing import Any, TypeVar

from aws_lambda_powertools.metrics import MetricUnit
from chalice.app import Blueprint, Request
from chalice.app import Response as ChaliceResponse
from pydantic import BaseModel

from functions.auth import cognito_id_token
from functions.call import Call, principal, seal_page
from functions.observability import logger, metrics
from functions.responses import JSON_HEADERS, as_download, ok
from shared.errors import (
    Conflict,
    DomainError,
    Forbidden,
    MfaRequired,
    NotFound,
    PayloadTooLarge,
    ServiceUnavailable,
    TooManyRequests,
    Unauthenticated,
    UnsupportedMediaType,
    ValidationFailed,
)
from shared.security.audited import audited_fields, model_action, sensitive_values
from shared.services.audit import record_denied, record_reads
from shared.store.failures import transient_fault
from shared.store.repository import Repository

# the edge's names the handler modules and tests import from here
__all__ = ["STATUS", "Call", "api_route", "error_response", "http_middleware", "logger", "ok", "status_of"]


# The HTTP status of each domain error: the one table that knows status codes (services and the
# domain raise typed errors). An error type not named here answers as its nearest base class.
STATUS: dict[type[DomainError], int] = {
    DomainError: 400,
    ValidationFailed: 400,
    Unauthenticated: 401,
    Forbidden: 403,
    MfaRequired: 403,
    NotFound: 404,
    Conflict: 409,
    PayloadTooLarge: 413,
    UnsupportedMediaType: 415,
    TooManyRequests: 429,
    ServiceUnavailable: 503,
}


def status_of(exc: DomainError) -> int:
    return next(STATUS[kind] for kind in type(exc).__mro__ if kind in STATUS)


def error_response(exc: DomainError) -> ChaliceResponse:
    headers: dict[str, str | list[str]] = dict(JSON_HEADERS)
    if isinstance(exc, ServiceUnavailable | TooManyRequests):
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
# What answers each route (method, path): the app's views call it with the request (functions/routing.py).
RESPONDERS: dict[tuple[str, str], Callable[[Request, dict[str, str]], Any]] = {}


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
    """Register ``fn(call, **path_parameters)`` as a view on ``bp``: behind the Cognito authorizer
    unless ``public``; ``call`` (a ``Call``) carries the principal and the declared ``body`` and
    ``query``; domain errors become their HTTP response (Chalice handles view exceptions before any
    middleware sees them). ``body``, ``query``, ``response`` and ``status`` also describe the route
    in the OpenAPI document. The app itself reaches the route through ``RESPONDERS`` (its route table,
    functions/routing.py); ``bp`` holds the declaration the table is generated from."""

    def register(fn: V) -> V:
        _check_call_annotation(fn, body, query)
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
        marked, whole = audited_fields(response), model_action(response)

        def answer(request: Request, kwargs: dict[str, str]) -> Any:
            """The handler's response, its page token sealed, as a download if asked for; its sensitive
            fields (and any refusal) audited before it leaves."""
            here = path.format(**kwargs)  # the listing a page token belongs to
            call: Call[Any, Any] = Call(request, None if public else principal(request), body, query, here)
            route = f"{request.method} {path}"
            who = call.signed_in
            try:
                if who is not None and who.mfa_missing:
                    raise MfaRequired(
                        "your group must sign in with an authenticator app: enrol one on the console's "
                        "two-step sign-in page, then sign in again"
                    )
                result = seal_page(fn(call, **kwargs), here)
            except Forbidden as exc:
                if who is not None:
                    record_denied(Repository(), who, route, kwargs, exc.message, call.source_ip)
                raise
            if who is None or not isinstance(result, ChaliceResponse) or result.status_code >= 300:
                return as_download(request, path, result) if listing else result
            found = sensitive_values(result.body, marked)
            if whole:
                found.setdefault(whole, ["(the whole response)"])
            sent = as_download(request, path, result) if listing else result
            if sent is not result:
                found["export.read"] = [str(sent.headers.get("Content-Type", ""))]
            if found:
                record_reads(Repository(), who, route, kwargs, found, call.source_ip)
            return sent

        def respond(request: Request, path_parameters: dict[str, str]) -> Any:
            try:
                return answer(request, path_parameters)
            except DomainError as exc:
                return error_response(exc)
            except Exception as exc:  # a fault never leaks a stack trace
                busy = transient_fault(exc)
                if busy is not None:
                    logger.warning("dependency fault after retries", extra={"error": type(exc).__name__})
                    return error_response(busy)
                logger.exception("unhandled error")
                return _internal_error()

        @functools.wraps(fn)
        def view(**path_parameters: str) -> Any:
            return respond(bp.current_request, path_parameters)

        for method in methods:
            RESPONDERS[(method, path)] = respond
        bp.route(path, methods=methods, authorizer=None if public else cognito_id_token)(view)
        return fn

    return register


def _check_call_annotation(fn: Callable[..., Any], body: type[BaseModel] | None, query: type[BaseModel] | None) -> None:
    """The handler's first parameter is ``call: Call[<body>, <query>]`` naming the declared models
    (a bare ``Call`` for a route that declares neither), so its types cannot drift from the route."""
    first = next(iter(inspect.signature(fn).parameters), None)
    hint = typing.get_type_hints(fn).get(first or "")
    declared = (body or NoneType, query or NoneType)
    if typing.get_origin(hint) is Call:
        if typing.get_args(hint) == declared:
            return
    elif hint is Call and declared == (NoneType, NoneType):
        return
    names = ", ".join("None" if m is NoneType else m.__name__ for m in declared)
    raise TypeError(f"{fn.__module__}.{fn.__qualname__}: the first parameter must be `call: Call[{names}]`")


# Chalice's own refusals (before the view runs: another media type, a method the route lacks; after it:
# a binary download without a matching Accept) -> the code our error body gives them
CHALICE_CODES = {
    "UnsupportedMediaType": UnsupportedMediaType.code,
    "MethodNotAllowedError": "method_not_allowed",
    "BadRequest": DomainError.code,
}
CHALICE_DETAILS = {
    "UnsupportedMediaType": {"field": "Content-Type", "message": "the body must be application/json"},
    "BadRequest": {"field": "Accept", "message": "name the download's media type"},
}


def conformed(response: ChaliceResponse) -> ChaliceResponse:
    """A refusal Chalice makes itself (``{"Code", "Message"}``) in design.md §5's error body."""
    body = response.body
    if response.status_code >= 400 and isinstance(body, dict) and set(body) == {"Code", "Message"}:
        kind = str(body["Code"])
        detail = CHALICE_DETAILS.get(kind)
        response.body = {
            "error": {
                "code": CHALICE_CODES.get(kind, "internal_error" if response.status_code >= 500 else "bad_request"),
                "message": str(body["Message"]),
                "details": [detail] if detail else [],
            }
        }
        response.headers = {**response.headers, **JSON_HEADERS}
    return response


def http_middleware(event: Request, get_response: Callable[[Request], Any]) -> Any:
    """Authentication outcome, error mapping and one structured log line per request (no bodies: PII)."""
    started = time.perf_counter()
    context = (event.context or {}).get("authorizer") or {}
    try:
        response = conformed(get_response(event))
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
