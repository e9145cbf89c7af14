"""Public service endpoints."""

from __future__ import annotations

from typing import Any

from functions.http import Call
from functions.verbs import Routes
from shared.models.common import Health

bp = Routes(__name__)


@bp.get("/health", public=True, response=Health)
def health(call: Call) -> Any:
    """Liveness."""
    return {"status": "ok"}
