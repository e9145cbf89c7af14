"""A vendor HTTP API on a loopback port whose health the test controls: ``up`` (2xx, idempotent by
``Idempotency-Key``), ``5xx`` (503), ``slow`` (takes the order, answers after the client's timeout), and a URL where
nothing listens (connection refused). Counts what it accepted, so a test can prove "exactly once"."""

from __future__ import annotations

import json
import socket
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler
from typing import Any

from infra.local.loopback import LoopbackServer


def refused_url() -> str:
    """An http URL on a loopback port nobody listens on (bound, then closed)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


class VendorServer:
    def __init__(self) -> None:
        self.mode = "up"
        self.requests: Counter[str] = Counter()  # every request by Idempotency-Key, failed ones too
        self.accepted: dict[str, str] = {}  # Idempotency-Key → the reference answered
        self.accepted_posts: Counter[str] = Counter()  # 2xx answers by key (a retried key counts again)
        self.release = threading.Event()
        self.lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                key = self.headers.get("Idempotency-Key") or ""
                owner.requests[key] += 1
                mode = owner.mode
                if mode == "5xx":
                    self._answer(503, {"error": "unavailable"})
                    return
                # a slow vendor takes the order, but answers after the client gave up
                with owner.lock:
                    reference = owner.accepted.setdefault(key, f"V-{len(owner.accepted) + 1:04d}")
                    owner.accepted_posts[key] += 1
                if mode == "slow":
                    owner.release.wait(2.0)  # longer than the client's timeout
                self._answer(200, {"vendor_reference": reference, "envelope_id": f"env-{reference}"})

            def _answer(self, status: int, body: dict[str, Any]) -> None:
                raw = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except OSError:  # the client gave up (timeout)
                    pass

            def log_message(self, *_: Any) -> None:
                pass

        self._server = LoopbackServer("127.0.0.1", 0, Handler, "vendor-under-test")
        self._server.serve()

    @property
    def base_url(self) -> str:
        return self._server.base_url

    def stop(self) -> None:
        self.release.set()
        self._server.stop()
