"""A tiny loopback HTTP endpoint to drive the pump by hand.

``GET /status``               pump sources and counters, schedules
``GET /schedules``            the scheduled functions and their expressions
``POST /schedules``           fire every scheduled function now
``POST /schedules/<name>``    fire one scheduled function now (404 if there is no such schedule)
``GET /mail``                 e-mail the product sent through SES (moto keeps it instead of delivering)
``GET /operations``           what the AWS dashboard and alarms would show: alarm states the local stack
                              can compute (dead-letter depths, failed executions), queue depths, the
                              business metrics counted, the consumers' failures (``infra/local/operations.py``)
``GET /clock``                the stack's business clock (now, today, how far it was moved)
``POST /clock``               move it forward: ``{"days": 31}`` or ``{"to": "2027-01-05"}`` (never back)
"""

from __future__ import annotations

import email
import email.policy
import json
import logging
from collections.abc import Callable
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler
from typing import Any

from infra.local import clock
from infra.local.loopback import LoopbackServer, LoopbackService, no_such_path, send_json
from infra.local.pump import EventPump

log = logging.getLogger("infra.local.admin")


def readable(m: Any) -> dict[str, Any]:
    """One message moto's SES kept: a simple one as sent, a MIME one (``SendRawEmail``) parsed, with the
    names and types of its attachments."""
    if not hasattr(m, "raw_data"):
        to = list((m.destinations or {}).get("ToAddresses", []))
        return {"id": m.id, "from": m.source, "to": to, "subject": m.subject, "body": m.body, "attachments": []}
    parsed = email.message_from_string(m.raw_data, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    text = parsed.get_body(preferencelist=("plain",))
    attachments = [
        {"filename": part.get_filename(), "content_type": part.get_content_type(), "content": part.get_content()}
        for part in parsed.iter_attachments()
    ]
    return {
        "id": m.id,
        "from": m.source,
        "to": [str(a) for a in m.destinations],
        "subject": str(parsed["Subject"]),
        "body": text.get_content() if text is not None else "",
        "attachments": attachments,
    }


def sent_mail() -> list[dict[str, Any]]:
    """Every message SES accepted on the local stack (the moto server runs in this process)."""
    from moto.ses.models import ses_backends

    messages = []
    for regions in ses_backends.values():
        for backend in regions.values():
            for m in backend.sent_messages:
                message = readable(m)
                for a in message["attachments"]:  # (JSON: an attachment's text, never bytes)
                    content = a["content"]
                    a["content"] = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
                messages.append(message)
    return messages


class _Handler(BaseHTTPRequestHandler):
    pump: EventPump  # set on the subclass made by AdminServer

    def operations(self) -> dict[str, Any] | None:
        """The operator's view (``infra.local.operations``); None where the server was given none."""
        return None

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("admin %s", format % args)

    def _reply(self, status: int, body: dict[str, Any]) -> None:
        send_json(self, status, body)

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0].rstrip("/")
        if path == "/status":
            self._reply(200, self.pump.status())
        elif path == "/schedules":
            self._reply(200, {"schedules": self.pump.status()["schedules"]})
        elif path == "/mail":
            self._reply(200, {"messages": sent_mail()})
        elif path == "/operations" and (view := self.operations()) is not None:
            self._reply(200, view)
        elif path == "/clock":
            self._reply(200, clock.status())
        else:
            no_such_path(self)

    def do_POST(self) -> None:
        path = self.path.split("?", 1)[0].rstrip("/")
        if path == "/schedules":
            self._reply(200, {"fired": self.pump.fire_all_schedules()})
            return
        if path == "/clock":
            self._move_clock()
            return
        prefix = "/schedules/"
        if not path.startswith(prefix):
            no_such_path(self)
            return
        name = path[len(prefix) :]
        if name not in self.pump.schedules:
            known = ", ".join(sorted(self.pump.schedules)) or "none"
            self._reply(404, {"error": {"code": "not_found", "message": f"no schedule {name!r} (known: {known})"}})
            return
        try:
            result = self.pump.fire_schedule(name)
        except Exception as exc:
            log.exception("schedule %s raised", name)
            self._reply(500, {"error": {"code": "handler_error", "message": f"{type(exc).__name__}: {exc}"}})
            return
        self._reply(200, {"fired": name, "result": result})

    def _move_clock(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"null")
            if not isinstance(body, dict):
                raise clock.ClockRefused("body", 'a JSON object: {"days": N} or {"to": "YYYY-MM-DD"}')
            self._reply(200, clock.move(body))
        except ValueError as exc:  # (ClockRefused, or the body is not JSON)
            field = exc.field if isinstance(exc, clock.ClockRefused) else "body"
            message = exc.message if isinstance(exc, clock.ClockRefused) else "not valid JSON"
            self._reply(400, {"error": {"code": "invalid", "message": message, "details": [{"field": field}]}})


class AdminServer(LoopbackService):
    def __init__(
        self, pump: EventPump, host: str, port: int, operations: Callable[[], dict[str, Any]] | None = None
    ) -> None:
        members: dict[str, Any] = {"pump": pump}
        if operations is not None:
            members["operations"] = lambda _self: operations()
        handler = type("AdminHandler", (_Handler,), members)
        self._loopback = LoopbackServer(host, port, handler, "admin", daemon_threads=True)
