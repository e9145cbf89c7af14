"""Public service endpoints."""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint

from functions.http import api_route

bp = Blueprint(__name__)


@api_route(bp, "/health", methods=["GET"], public=True)
def health() -> Any:
    return {"status": "ok"}
