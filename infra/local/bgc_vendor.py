"""The simulated background-check vendor of the local stack (started by ``infra.local.stack``).

An HTTP endpoint that behaves like the vendor's order API (``shared.store.background_vendor``):

* ``POST /orders`` with an order and ``Idempotency-Key: <check id>`` → ``201 {"vendor_reference"}``
  (``200`` with the same reference for an order it already has). Shortly after a new order
  (``delay_seconds``) it sends a signed Standard-Webhooks result with plausible facts to
  ``POST <api>/webhooks/background-checks``, retrying a few times if the API does not answer 2xx.
* ``POST /down`` makes it answer ``503`` to every order (an outage: the orders wait in the queue,
  back off and end in the dead-letter queue); ``POST /up`` ends the outage; ``GET /status`` reports.

The facts depend on the check id only (a stable hash), so a check always gets the same result:
most are clear (a verified customer-manager role ranked top 10 %), some have an employment record
that cannot be verified, some an education discrepancy or an adverse credit record (``consider``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from typing import Any

from infra.local.loopback import LoopbackServer, LoopbackService, no_such_path, send_json
from infra.local.vendors import LOCAL_BACKGROUND_VENDOR_SECRETS, signature_headers
from shared.clock import wall

log = logging.getLogger("infra.local.bgc_vendor")

VENDOR_ID = "bgcheck"
WEBHOOK_PATH = "/webhooks/background-checks"
DELIVERY_ATTEMPTS = 3
MAX_ORDER_BYTES = 65_536


def _claimed_education(claim: str) -> tuple[str, str]:
    """(school, degree) from a claim such as "本科 郑州大学 金融学"."""
    parts = claim.split()
    degree = next((p for p in parts if p in {"博士", "硕士", "本科", "大专"}), "本科")
    school = next((p for p in parts if p.endswith(("大学", "学院"))), "郑州大学")
    return school, degree


def result_for(
    order: dict[str, Any], vendor_reference: str, now: datetime | None = None, kind: int | None = None
) -> dict[str, Any]:
    """A plausible result for an order (``shared.models.background.BackgroundResultPayload``). ``kind``
    (0–9) picks the facts; by default the check id's hash does: 0–7 clear (6, 7 with an employment
    record that cannot be verified), 8 an education discrepancy, 9 an adverse credit record."""
    reference = str(order["reference"])
    if kind is None:
        kind = int(hashlib.sha256(reference.encode()).hexdigest(), 16) % 10
    school, degree = _claimed_education(str(order.get("claimed_education", "")))
    checks = set(order.get("checks") or ["education", "employment", "credit"])
    completed = (now or datetime.fromtimestamp(wall(), UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    result: dict[str, Any] = {
        "check_reference": reference,
        "vendor_reference": vendor_reference,
        "status": "completed",
        "discrepancies": [],
        "completed_at": completed,
    }
    if "education" in checks:
        education: dict[str, Any] = {"school": school, "degree": degree, "verified": True}
        if kind == 8:
            education = {
                "school": school,
                "degree": "大专" if degree == "本科" else "本科",
                "verified": True,
                "discrepancy": f"申报{degree}，学信网核实为{'大专' if degree == '本科' else '本科'}",
            }
        result["education"] = education
    if "employment" in checks:
        jobs: list[dict[str, Any]] = [
            {
                "employer": "某城市商业银行郑州分行",
                "role": "客户经理",
                "role_family": "customer_manager",
                "start_date": "2019-07-01",
                "end_date": "2024-06-30",
                "performance_rank": "top_10_percent" if kind < 6 else "top_50_percent",
                "verified": True,
            }
        ]
        if kind in (6, 7):
            jobs.append(
                {
                    "employer": "某小额贷款公司",
                    "role": "风控专员",
                    "role_family": "risk_manager",
                    "start_date": "2017-07-01",
                    "end_date": "2019-06-30",
                    "performance_rank": "unknown",
                    "verified": False,
                }
            )
        result["employment"] = jobs
    if "credit" in checks:
        result["credit"] = (
            {"status": "adverse", "notes": "近两年信用卡逾期90天以上1次"}
            if kind == 9
            else {"status": "clear", "notes": "无不良记录"}
        )
    return result


Deliver = Callable[[str, dict[str, str], bytes], int]


def http_deliver(url: str, headers: dict[str, str], body: bytes) -> int:
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


class SimulatedBackgroundVendor(LoopbackService):
    def __init__(
        self,
        api_url: str,
        host: str = "127.0.0.1",
        port: int = 0,
        delay_seconds: float = 2.0,
        secret: str | None = None,
        deliver: Deliver = http_deliver,
        retry_seconds: float = 1.0,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self.delay_seconds = delay_seconds
        self.retry_seconds = retry_seconds
        self.secret = secret or LOCAL_BACKGROUND_VENDOR_SECRETS[VENDOR_ID][0]
        self.deliver = deliver
        self.down = False
        self.orders: dict[str, str] = {}  # our reference -> vendor reference
        self.deliveries: list[tuple[str, int]] = []  # (webhook id, HTTP status)
        self.refused = 0
        self._lock = threading.Lock()
        self._loopback = LoopbackServer(host, port, self._handler(), "bgc-vendor")

    def status(self) -> dict[str, Any]:
        with self._lock:
            return {
                "down": self.down,
                "orders": len(self.orders),
                "refused": self.refused,
                "deliveries": [{"webhook_id": w, "status": s} for w, s in self.deliveries],
            }

    # -- orders -----------------------------------------------------------------------------------
    def take(self, order: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Accept an order: (HTTP status, answer). Idempotent on the order's reference."""
        reference = order.get("reference")
        if not isinstance(reference, str) or not reference:
            return 400, {"error": "reference is required"}
        with self._lock:
            if self.down:
                self.refused += 1
                return 503, {"error": "the vendor is down"}
            if reference in self.orders:
                return 200, {"vendor_reference": self.orders[reference]}
            vendor_reference = f"BGC-{secrets.token_hex(6).upper()}"
            self.orders[reference] = vendor_reference
        self._loopback.later(self.delay_seconds, self._send_result, order, vendor_reference)
        return 201, {"vendor_reference": vendor_reference}

    def _send_result(self, order: dict[str, Any], vendor_reference: str) -> None:
        body = json.dumps(result_for(order, vendor_reference), ensure_ascii=False).encode()
        webhook_id = f"msg_{secrets.token_hex(16)}"
        status = 0
        for attempt in range(DELIVERY_ATTEMPTS):
            headers = signature_headers(body, webhook_id, int(wall()), self.secret)
            try:
                status = self.deliver(self.api_url + WEBHOOK_PATH, headers, body)
            except OSError as exc:
                log.warning("result %s not delivered (%s)", webhook_id, exc)
                status = 0
            if 200 <= status < 300:
                break
            if attempt + 1 < DELIVERY_ATTEMPTS:
                time.sleep(self.retry_seconds * 2**attempt)  # a vendor's retry schedule, in its own thread
        with self._lock:
            self.deliveries.append((webhook_id, status))
        log.info("background check %s: result %s answered %s", order.get("reference"), webhook_id, status)

    # -- HTTP -------------------------------------------------------------------------------------
    def _handler(self) -> type[BaseHTTPRequestHandler]:
        vendor = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                log.debug(format, *args)

            def _answer(self, status: int, body: dict[str, Any]) -> None:
                send_json(self, status, body)

            def do_GET(self) -> None:
                if self.path == "/status":
                    self._answer(200, vendor.status())
                else:
                    no_such_path(self)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(min(length, MAX_ORDER_BYTES))
                if self.path in ("/down", "/up"):
                    with vendor._lock:
                        vendor.down = self.path == "/down"
                    self._answer(200, vendor.status())
                    return
                if self.path != "/orders":
                    no_such_path(self)
                    return
                try:
                    order = json.loads(raw)
                except ValueError:
                    self._answer(400, {"error": "the order is not JSON"})
                    return
                if not isinstance(order, dict):
                    self._answer(400, {"error": "the order is not an object"})
                    return
                key = self.headers.get("Idempotency-Key")
                if key and order.get("reference") != key:
                    self._answer(400, {"error": "Idempotency-Key must be the order's reference"})
                    return
                self._answer(*vendor.take(order))

        return Handler
