"""Which response fields are sensitive reads, declared on the response models themselves.

A field marked ``Field(json_schema_extra=audited("offer.read"))`` (or a whole model, through its
``model_config``) makes every response that carries a value in it leave an audit record before it is
sent: the HTTP edge (``functions/http.py``) reads the marks from the route's response model once, when
the route is registered, and finds the marked fields that hold a value in each response body, lists
and downloads included. The marks show in the OpenAPI document as ``x-audit``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

AUDIT_KEY = "x-audit"


def audited(action: str) -> dict[str, Any]:
    """The ``json_schema_extra`` that marks a field (or a model) as read under ``action``."""
    return {AUDIT_KEY: action}


def _schemas(model: type[BaseModel]) -> list[tuple[str, dict[str, Any]]]:
    schema = model.model_json_schema(mode="serialization")
    return [(model.__name__, schema), *schema.get("$defs", {}).items()]


def audited_fields(model: type[BaseModel] | None) -> dict[str, str]:
    """Field name -> the action its read is audited under, over the model and every model inside it."""
    if model is None:
        return {}
    return {
        name: str(prop[AUDIT_KEY])
        for _, schema in _schemas(model)
        for name, prop in (schema.get("properties") or {}).items()
        if AUDIT_KEY in prop
    }


def model_action(model: type[BaseModel] | None) -> str | None:
    """The action every response of ``model`` is audited under, if the model itself is marked."""
    if model is None:
        return None
    action = model.model_json_schema(mode="serialization").get(AUDIT_KEY)
    return str(action) if action else None


def every_property(model: type[BaseModel]) -> list[tuple[str, str, str | None]]:
    """(model name, field name, its action or None) for every field of the model and its models."""
    return [
        (owner, name, prop.get(AUDIT_KEY))
        for owner, schema in _schemas(model)
        for name, prop in (schema.get("properties") or {}).items()
    ]


def sensitive_values(body: Any, fields: Mapping[str, str]) -> dict[str, list[str]]:
    """Action -> the paths (list positions as ``[]``) of the marked fields that hold a value in ``body``."""
    found: dict[str, list[str]] = {}

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                here = f"{path}.{key}" if path else str(key)
                if key in fields and inner not in (None, "", [], {}):
                    paths = found.setdefault(fields[key], [])
                    if here not in paths:
                        paths.append(here)
                walk(inner, here)
        elif isinstance(value, list):
            for inner in value:
                walk(inner, f"{path}[]")

    if fields:
        walk(body, "")
    return found
