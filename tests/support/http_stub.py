"""A stand-in HTTP server on a loopback port for adapter tests: each POST is handed to the test's
function, which records it and answers as the party it stands for would."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

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


class ScriptedParty:
    """What a stand-in vendor answers every POST (``status``, ``answer``) and what it received
    (path, headers, JSON body). While ``hang`` is set it answers nothing, until the test ends."""

    def __init__(self, status: int, answer: bytes) -> None:
        self.status = status
        self.answer = answer
        self.received: list[tuple[str, dict[str, str], Any]] = []
        self.hang = threading.Event()
        self.released = threading.Event()

    def on_post(self, request: BaseHTTPRequestHandler, raw: bytes) -> None:
        self.received.append((request.path, dict(request.headers), json.loads(raw)))
        if self.hang.is_set():
            self.released.wait(5)
            return
        request.send_response(self.status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(self.answer)))
        request.end_headers()
        request.wfile.write(self.answer)


@contextmanager
def scripted(status: int, answer: bytes) -> Iterator[tuple[str, ScriptedParty]]:
    """A stand-in vendor answering ``status`` and ``answer`` until told otherwise: (base URL, party)."""
    party = ScriptedParty(status, answer)
    with serving(party.on_post) as url:
        try:
            yield url, party
        finally:
            party.released.set()


def assert_hanging_or_absent_party_raises(
    error: type[Exception], call: Callable[[str, float], object], party: tuple[str, ScriptedParty], absent: str
) -> None:
    """``call(url, timeout)`` raises ``error`` when the scripted party hangs past the timeout, and when
    nothing listens at ``absent``."""
    url, state = party
    state.hang.set()
    with pytest.raises(error):
        call(url, 0.2)
    with pytest.raises(error):
        call(absent, 1)
