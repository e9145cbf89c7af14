"""A request as a route's handler sees it: ``Call`` (the principal, the declared body and query
validated with pydantic on first read), and the parsing of bodies, queries and page tokens."""

from __future__ import annotations

from functools import cached_property
from typing import Any, Generic, TypeVar, cast

from chalice.app import Request
from chalice.app import Response as ChaliceResponse
from pydantic import BaseModel, ValidationError

from shared.domain.json_input import parse_json_object
from shared.errors import PayloadTooLarge, Unauthenticated, UnsupportedMediaType, ValidationFailed, validation_details
from shared.security.page_tokens import seal, unseal
from shared.security.tokens import Principal, principal_from_context
from shared.settings import get_settings

M = TypeVar("M", bound=BaseModel)
PAGE_TOKEN = "next_token"  # noqa: S105 (the query parameter's name)


def raw_body(request: Request) -> bytes:
    raw = request.raw_body or b""
    return raw.encode() if isinstance(raw, str) else raw


def parse_body(request: Request, model: type[M]) -> M:
    """Validate a JSON body against ``model``: 415 for other media, 413 when too large, 400 naming the field."""
    content_type = (request.headers.get("content-type") or "application/json").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise UnsupportedMediaType("the body must be application/json")
    raw = raw_body(request)
    limit = get_settings().max_body_bytes
    if len(raw) > limit:
        raise PayloadTooLarge(f"the body is {len(raw)} bytes; the limit is {limit}")
    data = parse_json_object(raw)  # 400 for bad UTF-8, bad JSON, deep nesting, numbers DynamoDB refuses
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed("the request is not valid", validation_details(exc)) from exc


def parse_query(request: Request, model: type[M], listing: str) -> M:
    """Validate the query against ``model``; a ``next_token`` must be one this API issued for
    ``listing`` (``shared.security.page_tokens``), and the handler gets the store's cursor inside it."""
    try:
        query = model.model_validate(dict(request.query_params or {}))
    except ValidationError as exc:
        raise ValidationFailed("the query parameters are not valid", validation_details(exc)) from exc
    token = getattr(query, PAGE_TOKEN, None)
    return query.model_copy(update={PAGE_TOKEN: unseal(token, listing)}) if isinstance(token, str) and token else query


def seal_page(result: Any, listing: str) -> Any:
    """A list's ``next_token`` (the store's cursor) sealed for ``listing`` before it leaves."""
    body = result.body if isinstance(result, ChaliceResponse) else None
    if isinstance(body, dict) and isinstance(body.get(PAGE_TOKEN), str) and body[PAGE_TOKEN]:
        result.body = {**body, PAGE_TOKEN: seal(body[PAGE_TOKEN], listing)}
    return result


def principal(request: Request) -> Principal:
    context = (request.context or {}).get("authorizer") or {}
    if not context.get("sub"):  # the authorizer denies a bad token before the function runs
        raise Unauthenticated("a bearer token is required")
    return principal_from_context(context)


B = TypeVar("B")
Q = TypeVar("Q")


class Call(Generic[B, Q]):
    """One request to a route, as ``api_route`` hands it to the route's handler.

    ``who`` is the signed-in principal, resolved before the handler runs on every non-public route
    (401 without one). ``body`` and ``query`` are the models the route declares (``body=``,
    ``query=``), validated on first read — 415 for another media type, 413 above the size limit, 400
    naming every bad field — and kept: nothing is parsed twice. The handler chooses *when* it reads
    them: a route refuses by role, or by the department or assignment of its object, before it reads
    ``body``, so a caller who may not act learns nothing from validation messages. The annotation
    ``Call[BodyModel, QueryModel]`` (``None`` for what the route does not declare) types them; it must
    name the declared models (checked when the route is registered)."""

    def __init__(
        self,
        request: Request,
        who: Principal | None = None,
        body: type[BaseModel] | None = None,
        query: type[BaseModel] | None = None,
        listing: str = "",
    ) -> None:
        self.request = request
        self._who = who
        self._body = body
        self._query = query
        self.listing = listing

    @property
    def who(self) -> Principal:
        if self._who is None:  # a public route: nobody is signed in
            raise Unauthenticated("a bearer token is required")
        return self._who

    @property
    def signed_in(self) -> Principal | None:
        """The principal, or None on a public route (nobody to audit)."""
        return self._who

    @cached_property
    def body(self) -> B:
        if self._body is None:
            raise TypeError("the route declares no body")
        return cast(B, parse_body(self.request, self._body))

    @cached_property
    def query(self) -> Q:
        if self._query is None:
            raise TypeError("the route declares no query")
        return cast(Q, parse_query(self.request, self._query, self.listing))

    @property
    def raw_body(self) -> bytes:
        """The body's bytes as sent (webhooks verify their signature on these before parsing)."""
        return raw_body(self.request)

    @property
    def headers(self) -> dict[str, str]:
        return dict(self.request.headers or {})

    @property
    def source_ip(self) -> str | None:
        return ((self.request.context or {}).get("identity") or {}).get("sourceIp")
