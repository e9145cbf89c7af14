"""The plumbing the local stack's small HTTP servers share (the admin port, the simulated vendors,
the simulator's video server): an HTTP server on a loopback port in a daemon thread, JSON answers,
and callbacks scheduled "a moment later" that ``stop`` cancels."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self


def send_json(handler: BaseHTTPRequestHandler, status: int, body: Any) -> None:
    """Answer the request with ``body`` as UTF-8 JSON."""
    data = json.dumps(body, ensure_ascii=False, default=str).encode("utf-8")
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


def no_such_path(handler: BaseHTTPRequestHandler) -> None:
    """404 for a path the server does not serve (the same answer on every local port)."""
    path = handler.path.split("?", 1)[0]
    send_json(handler, 404, {"error": {"code": "not_found", "message": f"no such path {handler.command} {path}"}})


class LoopbackServer:
    def __init__(
        self, host: str, port: int, handler: type[BaseHTTPRequestHandler], name: str, daemon_threads: bool = False
    ) -> None:
        self._server = ThreadingHTTPServer((host, port), handler)
        self._server.daemon_threads = daemon_threads  # (True: stopping does not wait for requests in flight)
        self._name = name
        self._thread: threading.Thread | None = None
        self._timers: list[threading.Timer] = []

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def serve(self) -> None:
        self._thread = threading.Thread(target=self._server.serve_forever, name=self._name, daemon=True)
        self._thread.start()

    def later(self, seconds: float, callback: Callable[..., Any], *args: Any) -> None:
        timer = threading.Timer(seconds, callback, args=args)
        timer.daemon = True
        self._timers.append(timer)
        timer.start()

    def stop(self) -> None:
        for timer in self._timers:
            timer.cancel()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(5)


class LoopbackService:
    """A local server built on a ``LoopbackServer`` (``self._loopback``): its URL, start and stop."""

    _loopback: LoopbackServer

    @property
    def url(self) -> str:
        return self._loopback.base_url

    def start(self) -> Self:
        self._loopback.serve()
        return self

    def stop(self) -> None:
        self._loopback.stop()
