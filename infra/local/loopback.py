"""The plumbing the local stack's simulated vendors share: an HTTP server on a loopback port in a
daemon thread, and callbacks scheduled "a moment later" that ``stop`` cancels."""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class LoopbackServer:
    def __init__(self, host: str, port: int, handler: type[BaseHTTPRequestHandler], name: str) -> None:
        self._server = ThreadingHTTPServer((host, port), handler)
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
