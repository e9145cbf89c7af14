"""JSON calls to the product through the Chalice test client, authenticated as a demo role."""

from __future__ import annotations

import json
from typing import Any

from chalice.test import Client

from tests.support.stack import Stack


class Api:
    """JSON calls through the Chalice test client, authenticated as a demo role."""

    def __init__(self, client: Client, stack: Stack) -> None:
        from tests.support.streams import Projector

        self.client = client
        self.stack = stack
        self.projector = Projector(client, stack.env["TABLE_NAME"])

    def settle(self) -> int:
        """Run the table stream's consumers on what the last calls wrote (as Lambda does moments
        after the write in AWS and the local stack's pump does locally)."""
        return self.projector.settle()

    def call(
        self,
        method: str,
        path: str,
        role: str | None = "hr",
        body: Any = None,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
        settle: bool = True,
    ) -> Any:
        h = {"Content-Type": "application/json"}
        if role:
            h.update(self.stack.auth(role))
        h.update(headers or {})
        payload = raw if raw is not None else (json.dumps(body).encode() if body is not None else b"")
        response = self.client.http.request(method, path, headers=h, body=payload)
        response.data = json.loads(response.body) if response.body else None  # type: ignore[attr-defined]
        if settle:
            self.settle()
        return response
