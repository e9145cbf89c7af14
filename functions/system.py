"""Public service endpoints."""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint

from functions.http import Call, api_route
from shared.models.common import Health

bp = Blueprint(__name__)


@api_route(bp, "/health", methods=["GET"], public=True, response=Health)
def health(call: Call) -> Any:
    """Liveness."""
    return {"status": "ok"}
