"""A handler module's blueprint with one decorator per HTTP method: ``@bp.post("/path", body=…)`` is
``@api_route(bp, "/path", methods=["POST"], body=…)`` (``functions.http``), the method said once in
its name instead of on every route."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from chalice.app import Blueprint

from functions.http import api_route

V = TypeVar("V", bound=Callable[..., Any])


class Routes(Blueprint):
    """A Chalice blueprint whose routes are declared with ``get``, ``post``, ``put``, ``patch`` and
    ``delete``, each taking ``api_route``'s path and keyword arguments (a wrong one fails the import)."""

    def get(self, path: str, **declared: Any) -> Callable[[V], V]:
        return api_route(self, path, methods=["GET"], **declared)

    def post(self, path: str, **declared: Any) -> Callable[[V], V]:
        return api_route(self, path, methods=["POST"], **declared)

    def put(self, path: str, **declared: Any) -> Callable[[V], V]:
        return api_route(self, path, methods=["PUT"], **declared)

    def patch(self, path: str, **declared: Any) -> Callable[[V], V]:
        return api_route(self, path, methods=["PATCH"], **declared)

    def delete(self, path: str, **declared: Any) -> Callable[[V], V]:
        return api_route(self, path, methods=["DELETE"], **declared)
