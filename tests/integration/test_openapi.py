"""The OpenAPI document: generated from the models, served, valid, and committed up to date."""

from __future__ import annotations

import json
from pathlib import Path

from openapi_spec_validator import validate

from functions.openapi import build, document
from functions.routing import route_docs
from tests.support.api import Api

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_served_document_is_valid_and_matches_the_committed_copy(api: Api) -> None:
    # When anyone fetches the document (no token needed)
    served = api.call("GET", "/openapi.json", role=None)
    # Then it is a valid OpenAPI 3.1 document
    assert served.status_code == 200
    validate(served.data)
    # And docs/openapi.json is not stale (regenerate with `make openapi`)
    assert json.loads(COMMITTED.read_text("utf-8")) == served.data, "docs/openapi.json is stale: run make openapi"
    assert document() == COMMITTED.read_text("utf-8")


def test_every_route_is_described(api: Api) -> None:
    from app import app

    routes = {(method, path) for path, entries in app.routes.items() for method in entries}
    assert routes == set(route_docs())
    paths = build()["paths"]
    for method, path in routes:
        assert method.lower() in paths[path]


def test_request_bodies_forbid_unknown_fields() -> None:
    spec = build()
    schemas = spec["components"]["schemas"]
    for path, operations in spec["paths"].items():
        for operation in operations.values():
            body = operation.get("requestBody")
            if not body:
                continue
            name = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
            schema = schemas[name]
            variants = [schemas[v["$ref"].rsplit("/", 1)[-1]] for v in schema.get("anyOf", [])] or [schema]
            for variant in variants:
                assert variant.get("additionalProperties") is False, (
                    f"{path}: {variant['title']} accepts unknown fields"
                )
