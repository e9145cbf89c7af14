"""A tiny loopback HTTP endpoint to drive the pump by hand.

``GET /status``               pump sources and counters, schedules
``GET /schedules``            the scheduled functions and their expressions
``POST /schedules``           fire every scheduled function now
``POST /schedules/<name>``    fire one scheduled function now (404 if there is no such schedule)
``GET /mail``                 e-mail the product sent through SES (moto keeps it instead of delivering)
"""

from __future__ import annotations

import logging
from http.server import BaseHTTPRequestHandler
from typing import Any

from infra.local.loopback import LoopbackServer, LoopbackService, no_such_path, send_json
from infra.local.pump import EventPump

log = logging.getLogger("infra.local.admin")


def sent_mail() -> list[dict[str, Any]]:
    """Every message SES accepted on the local stack (the moto server runs in this process)."""
    from moto.ses.models import ses_backends

    messages = []
    for regions in ses_backends.values():
        for backend in regions.values():
            for m in backend.sent_messages:
                messages.append(
                    {
                        "id": m.id,
                        "from": m.source,
                        "to": list((m.destinations or {}).get("ToAddresses", [])),
                        "subject": getattr(m, "subject", None),
                        "body": getattr(m, "body", None),
                    }
                )
    return messages


class _Handler(BaseHTTPRequestHandler):
    pump: EventPump  # set on the subclass made by AdminServer

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
        else:
            no_such_path(self)

    def do_POST(self) -> None:
        path = self.path.split("?", 1)[0].rstrip("/")
        if path == "/schedules":
            self._reply(200, {"fired": self.pump.fire_all_schedules()})
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


class AdminServer(LoopbackService):
    def __init__(self, pump: EventPump, host: str, port: int) -> None:
        handler = type("AdminHandler", (_Handler,), {"pump": pump})
        self._loopback = LoopbackServer(host, port, handler, "admin", daemon_threads=True)
