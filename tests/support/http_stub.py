"""A stand-in HTTP server on a loopback port for adapter tests: each POST is handed to the test's
function, which records it and answers as the party it stands for would."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from typing import Any

from infra.local.loopback import LoopbackServer

OnPost = Callable[[BaseHTTPRequestHandler, bytes], None]


@contextmanager
def serving(on_post: OnPost) -> Iterator[str]:
    """Serve ``on_post(request, body)`` for every POST; yields the base URL, stops on exit."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            on_post(self, self.rfile.read(int(self.headers.get("Content-Length") or 0)))

    server = LoopbackServer("127.0.0.1", 0, Handler, "stub")
    server.serve()
    try:
        yield server.base_url
    finally:
        server.stop()
