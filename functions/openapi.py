"""The OpenAPI 3.1 document, generated from the route table and the pydantic models.

Served at ``GET /openapi.json`` and committed as ``docs/openapi.json``
(``python -m functions.openapi > docs/openapi.json``, or ``make openapi``); a test fails when the
committed copy is stale.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from functions.http import Call, RouteDoc
from functions.routing import route_docs
from functions.verbs import Routes
from shared.domain.exports import XLSX

bp = Routes(__name__)

TITLE = "Talent lifecycle service"
VERSION = "0.3.0"
ERRORS = {
    400: "invalid input: the details name each field and why",
    401: "unauthenticated: missing or invalid token (or webhook signature)",
    403: "the role may not do this, or the object belongs to another department",
    404: "no such object",
    409: "conflict: duplicate, changed version, illegal stage transition",
    413: "the body is too large",
    415: "the body is not application/json",
    429: "too many failed attempts: retry after the Retry-After header's seconds",
    503: "throttled: retry after the Retry-After header's seconds",
}


class ErrorDetail(BaseModel):
    field: str | None = None
    message: str
    type: str | None = None


class ErrorInfo(BaseModel):
    code: str
    message: str
    details: list[ErrorDetail] = []


class ErrorBody(BaseModel):
    """Every error response."""

    error: ErrorInfo


def _schemas(docs: list[RouteDoc]) -> tuple[dict[tuple[Any, str], Any], dict[str, Any]]:
    wanted: set[tuple[type[BaseModel], JsonSchemaMode]] = {(ErrorBody, "serialization")}
    for d in docs:
        if d.body:
            wanted.add((d.body, "validation"))
        if d.query:
            wanted.add((d.query, "validation"))
        if d.response:
            wanted.add((d.response, "serialization"))
    ordered = sorted(wanted, key=lambda pair: (pair[0].__module__, pair[0].__qualname__, pair[1]))
    refs, defs = models_json_schema(ordered, ref_template="#/components/schemas/{model}")
    return {(model, mode): schema for (model, mode), schema in refs.items()}, defs.get("$defs", {})


def _parameters(doc: RouteDoc, refs: dict[tuple[Any, str], Any], defs: dict[str, Any]) -> list[dict[str, Any]]:
    params: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in re.findall(r"{(\w+)}", doc.path)
    ]
    if doc.query:
        properties = defs[refs[(doc.query, "validation")]["$ref"].rsplit("/", 1)[-1]]["properties"]
        for name, field in doc.query.model_fields.items():
            schema = properties[name]
            params.append(
                {"name": name, "in": "query", "required": field.is_required(), "schema": schema}
                | ({"description": field.description} if field.description else {})
            )
    return params


def _operation(doc: RouteDoc, refs: dict[tuple[Any, str], Any], defs: dict[str, Any]) -> dict[str, Any]:
    error_ref = refs[(ErrorBody, "serialization")]
    op: dict[str, Any] = {
        "operationId": f"{doc.method.lower()}_{re.sub(r'[^a-z0-9]+', '_', doc.path.lower()).strip('_')}",
        "summary": doc.summary or f"{doc.method} {doc.path}",
        "tags": [doc.path.strip("/").split("/")[0]],
    }
    if doc.description:
        op["description"] = doc.description
    params = _parameters(doc, refs, defs)
    if params:
        op["parameters"] = params
    if doc.body:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": refs[(doc.body, "validation")]}},
        }
    if doc.media_type == "application/json":
        success: dict[str, Any] = {"description": "success"}
        if doc.response:
            success["content"] = {"application/json": {"schema": refs[(doc.response, "serialization")]}}
            if doc.method == "GET" and "items" in doc.response.model_fields:  # lists download (Accept)
                success["content"] |= {media: {"schema": {"type": "string"}} for media in ("text/csv", XLSX)}
    else:
        success = {"description": "success", "content": {doc.media_type: {"schema": {"type": "string"}}}}
    responses: dict[str, Any] = {str(doc.status): success}
    for status in doc.extra_statuses:
        responses[str(status)] = success
    statuses = [400, 404, 413, 503] if doc.public else [400, 401, 403, 404, 409, 413, 415, 503]
    if doc.path.startswith("/webhooks/"):
        statuses = [400, 401, 404, 409, 413, 503]  # 409: a webhook-id delivered before with another body
    for status in statuses:
        responses[str(status)] = {
            "description": ERRORS[status],
            "content": {"application/json": {"schema": error_ref}},
        }
    op["responses"] = responses
    if doc.path.startswith("/webhooks/"):
        op["security"] = [{"webhookSignature": []}]
    elif doc.public:
        op["security"] = []
    return op


def build() -> dict[str, Any]:
    docs = sorted(route_docs().values(), key=lambda d: (d.path, d.method))
    refs, defs = _schemas(docs)
    paths: dict[str, dict[str, Any]] = {}
    for doc in docs:
        paths.setdefault(doc.path, {})[doc.method.lower()] = _operation(doc, refs, defs)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": TITLE,
            "version": VERSION,
            "description": "Talent lifecycle for banks: requisitions, screening, AI interview intake, the talent "
            "archive. Errors are always {error: {code, message, details}}.",
        },
        "security": [{"cognitoIdToken": []}],
        "paths": paths,
        "components": {
            "schemas": defs,
            "securitySchemes": {
                "cognitoIdToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT",
                    "description": "A Cognito ID token; roles from cognito:groups, department from custom:department.",
                },
                "webhookSignature": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "webhook-signature",
                    "description": "Standard Webhooks: webhook-id, webhook-timestamp and webhook-signature "
                    "(v1,<base64 HMAC-SHA256 of id.timestamp.body>), ±5 minutes.",
                },
            },
        },
    }


@lru_cache(maxsize=1)
def document() -> str:
    return json.dumps(build(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


@bp.get("/openapi.json", public=True)
def openapi(call: Call) -> Any:
    """This API's OpenAPI 3.1 document."""
    from chalice.app import Response

    return Response(body=document(), status_code=200, headers={"Content-Type": "application/json"})


if __name__ == "__main__":
    print(document(), end="")
