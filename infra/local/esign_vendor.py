"""A simulated e-signature vendor for the local stack.

``POST /envelopes`` (what ``shared.store.esign.HttpEsignVendor`` sends: reference = our offer id,
signer, PDF) answers ``201 {"envelope_id"}`` — the same envelope again for a repeated
``Idempotency-Key`` — and, after ``delay_seconds``, "the candidate signs": the vendor calls
``POST <api>/webhooks/esign`` with a Standard Webhooks signature made with the local e-sign secret
(``infra/local/vendors.py``, the one the stack writes to Parameter Store). A 5xx answer is retried
with the same ``webhook-id``, as a real vendor does.

``GET /envelopes`` lists the envelopes and the callbacks' answers. ``POST /envelopes/<id>/<event>``
reports ``signed``, ``declined`` or ``expired`` for an envelope now (to try the other outcomes by hand).

On its own: ``python -m infra.local.esign_vendor --api http://127.0.0.1:8000 --port 8003``; the
local stack starts one on the API port + 3 (``--esign-vendor-port``) with ``ESIGN_VENDOR_URL``
pointing at it.
"""

from __future__ import annotations

import argparse
import json
import logging
import secrets
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from typing import Any

from infra.local.loopback import LoopbackServer, no_such_path, send_json
from infra.local.vendors import LOCAL_ESIGN_SECRETS, signature_headers
from shared.clock import wall

log = logging.getLogger("infra.local.esign_vendor")
EVENTS = ("signed", "declined", "expired")
RETRIES = 5


@dataclass
class EsignEnvelope:
    envelope_id: str
    offer_id: str
    signer: dict[str, Any]
    pdf_bytes: int
    callbacks: list[dict[str, Any]] = field(default_factory=list)


class EsignVendorSimulator:
    def __init__(
        self,
        api_url: str,
        host: str = "127.0.0.1",
        port: int = 0,
        delay_seconds: float = 2.0,
        outcome: str = "signed",
        secret: str = LOCAL_ESIGN_SECRETS[0],
        retry_seconds: float = 1.0,
    ) -> None:
        if outcome not in EVENTS:
            raise ValueError(f"outcome must be one of {', '.join(EVENTS)}")
        self.api_url = api_url.rstrip("/")
        self.delay_seconds = delay_seconds
        self.outcome = outcome
        self.secret = secret
        self.retry_seconds = retry_seconds
        self.envelopes: dict[str, EsignEnvelope] = {}
        self.by_key: dict[str, str] = {}
        self.lock = threading.Lock()
        self.reported = threading.Condition(self.lock)
        self._loopback = LoopbackServer(host, port, self._handler(), "esign-vendor")

    @property
    def url(self) -> str:
        return f"{self._loopback.base_url}/envelopes"

    def start(self) -> str:
        self._loopback.serve()
        return self.url

    def stop(self) -> None:
        self._loopback.stop()

    # -- the vendor's side --------------------------------------------------------------------------
    def create(self, payload: dict[str, Any], key: str | None) -> tuple[EsignEnvelope, bool]:
        """Create (or, for a known Idempotency-Key, return) the envelope; True when it is new."""
        with self.lock:
            if key and key in self.by_key:
                return self.envelopes[self.by_key[key]], False
            envelope = EsignEnvelope(
                envelope_id=f"env_{secrets.token_hex(8)}",
                offer_id=str(payload["reference"]),
                signer=dict(payload.get("signer") or {}),
                pdf_bytes=len(str((payload.get("document") or {}).get("content_base64", ""))) * 3 // 4,
            )
            self.envelopes[envelope.envelope_id] = envelope
            if key:
                self.by_key[key] = envelope.envelope_id
        if self.delay_seconds >= 0:
            self._loopback.later(self.delay_seconds, self.report, envelope.envelope_id, self.outcome)
        return envelope, True

    def report(self, envelope_id: str, event: str) -> int:
        """Call the product's webhook with ``event`` for the envelope; returns the final HTTP status."""
        envelope = self.envelopes[envelope_id]
        body = {
            "type": event,
            "offer_id": envelope.offer_id,
            "envelope_id": envelope.envelope_id,
            "occurred_at": datetime.fromtimestamp(wall(), UTC).isoformat(),
        }
        raw = json.dumps(body).encode()
        webhook_id = f"msg_{secrets.token_hex(16)}"
        status = 0
        for attempt in range(RETRIES):
            headers = signature_headers(raw, webhook_id, int(wall()), self.secret)
            request = urllib.request.Request(f"{self.api_url}/webhooks/esign", data=raw, headers=headers, method="POST")
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    status = response.status
            except urllib.error.HTTPError as exc:
                status = exc.code
            except OSError as exc:
                log.warning("esign callback failed: %s", exc)
                status = 0
            if status and status < 500:
                break
            time.sleep(self.retry_seconds * (attempt + 1))
        with self.reported:
            envelope.callbacks.append({"event": event, "webhook_id": webhook_id, "status": status})
            self.reported.notify_all()
        log.info("esign %s for offer %s → %s", event, envelope.offer_id, status)
        return status

    def wait_for_callbacks(self, count: int, timeout: float = 10.0) -> bool:
        """Block until ``count`` callbacks were made in total (tests)."""
        with self.reported:
            return self.reported.wait_for(
                lambda: sum(len(e.callbacks) for e in self.envelopes.values()) >= count, timeout
            )

    def listing(self) -> list[dict[str, Any]]:
        with self.lock:
            return [e.__dict__.copy() for e in self.envelopes.values()]

    # -- HTTP -----------------------------------------------------------------------------------------
    def _handler(self) -> type[BaseHTTPRequestHandler]:
        vendor = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                log.debug("esign vendor %s", format % args)

            def _reply(self, status: int, body: Any) -> None:
                send_json(self, status, body)

            def do_GET(self) -> None:
                if self.path.rstrip("/") == "/envelopes":
                    self._reply(200, vendor.listing())
                else:
                    no_such_path(self)

            def do_POST(self) -> None:
                parts = [p for p in self.path.split("?", 1)[0].split("/") if p]
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if parts == ["envelopes"]:
                    try:
                        payload = json.loads(raw)
                        if not payload.get("reference") or not (payload.get("signer") or {}).get("email"):
                            raise ValueError("reference and signer.email are required")
                    except (ValueError, AttributeError) as exc:
                        self._reply(400, {"error": str(exc)})
                        return
                    envelope, new = vendor.create(payload, self.headers.get("Idempotency-Key"))
                    self._reply(201 if new else 200, {"envelope_id": envelope.envelope_id})
                elif len(parts) == 3 and parts[0] == "envelopes" and parts[2] in EVENTS:
                    if parts[1] not in vendor.envelopes:
                        self._reply(404, {"error": "no such envelope"})
                        return
                    self._reply(200, {"status": vendor.report(parts[1], parts[2])})
                else:
                    no_such_path(self)

        return Handler


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.local.esign_vendor", description=__doc__.split("\n\n")[0])
    parser.add_argument("--api", default="http://127.0.0.1:8000", help="the product's API")
    parser.add_argument("--port", type=int, default=8003, help="default 8003 (the local stack's: API port + 3)")
    parser.add_argument("--delay", type=float, default=2.0, help="seconds until the candidate signs (-1: never)")
    parser.add_argument("--outcome", choices=EVENTS, default="signed")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    vendor = EsignVendorSimulator(args.api, port=args.port, delay_seconds=args.delay, outcome=args.outcome)
    print(f"e-sign vendor at {vendor.start()} (ESIGN_VENDOR_URL); callbacks to {args.api}/webhooks/esign", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        vendor.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
