"""Concurrent vendor senders against the RUNNING local stack: ``python -m tests.bench.concurrency
[--senders 50] [--deliveries 10] [--max-seconds 300]`` (starts ``python -m infra.local`` on free
loopback ports, with ``tests/support/running.py``, as the end-to-end tests do, and stops it afterwards).

Bounded: loopback only, at most ``senders × deliveries × (1 + retry share)`` requests, and every
sender stops at ``max-seconds``. Each sender owns its applications and posts their signed first
results, retrying some deliveries (the same ``webhook-id``, as vendors do). Afterwards every accepted
delivery is accounted for over the API: each application holds its result, and the requisition's
scored count equals the applications with an accepted first result (no loss, no double count).
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import statistics
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from tests.support.running import request_json

ROOT = Path(__file__).resolve().parents[2]
WEBHOOK = "/webhooks/interview-results"
CONNECT_ATTEMPTS = 3  # a delivery that got no answer at all is sent again, as vendors do


@dataclass
class Outcome:
    statuses: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    accepted: dict[str, str] = field(default_factory=dict)  # application id -> completed_at accepted
    requests: int = 0
    seconds: float = 0.0
    server_errors: int = 0
    lost: list[str] = field(default_factory=list)
    scored_count: int = -1
    held: int = 0  # applications holding a result afterwards
    applied_after: float = 0.0  # seconds from the last answer until the stream had applied every result

    @property
    def ok(self) -> bool:
        return self.server_errors == 0 and not self.lost and self.scored_count == self.held

    def lines(self, senders: int) -> list[str]:
        lat = sorted(self.latencies) or [0.0]
        p95 = lat[min(len(lat) - 1, int(len(lat) * 0.95))]
        return [
            f"concurrency: {senders} senders, {self.requests} requests in {self.seconds:.1f} s = "
            f"{self.requests / max(self.seconds, 1e-9):.1f} requests/s; latency median "
            f"{statistics.median(lat) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms",
            "  answers: " + ", ".join(f"{k} {v}" for k, v in sorted(self.statuses.items())),
            f"  5xx: {self.server_errors}; accepted first results {len(self.accepted)}, lost {len(self.lost)}; "
            f"applications holding a result {self.held}, requisition scored count {self.scored_count}; "
            f"every result applied {self.applied_after:.1f} s after the last answer",
        ]


Call = Callable[[str, str, str | None, Any], tuple[int, Any]]


def http_call(api_url: str) -> Call:
    def call(method: str, path: str, token: str | None = None, body: Any = None) -> tuple[int, Any]:
        return request_json(api_url + path, method, token, body, timeout=60)

    return call


def post_raw(api_url: str, headers: dict[str, str], raw: bytes) -> tuple[int, str]:
    request = urllib.request.Request(api_url + WEBHOOK, data=raw, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"{}").get("status", "")
    except urllib.error.HTTPError as err:
        return err.code, "error"
    except (urllib.error.URLError, ConnectionError, http.client.HTTPException, TimeoutError):
        return 0, "connection error"  # no answer: the vendor retries the same delivery


def hammer(
    api_url: str,
    hr_token: str,
    senders: int,
    deliveries: int,
    max_seconds: float = 300.0,
    retry_share: float = 0.2,
    seed: int = 2023,
    settle_seconds: float = 60.0,
) -> Outcome:
    """``senders`` threads, each posting ``deliveries`` first results (plus retries) for its own
    applications; then every accepted delivery is checked over the API."""
    from infra.local.simulator import canonical_payload, signed_request
    from tests.support.ids import person

    host = urlparse(api_url).hostname
    assert host in ("127.0.0.1", "localhost", "::1"), f"loopback only, not {host}"
    call = http_call(api_url)
    requisition = json.loads((ROOT / "events" / "requisition-customer-manager.json").read_text("utf-8"))
    status, req = call("POST", "/requisitions", hr_token, requisition)
    assert status == 201, req
    req_id, dimensions = req["id"], list(req["dimension_weights"])
    apps: list[str] = []
    for i in range(senders * deliveries):
        status, app = call("POST", f"/requisitions/{req_id}/applications", hr_token, person(700_000 + i))
        assert status == 201, app
        apps.append(app["id"])
    rng = random.Random(seed)
    base = datetime.now(UTC) - timedelta(days=3)
    plans: list[list[tuple[str, str, dict[str, str], bytes]]] = []
    for s in range(senders):
        plan = []
        for k in range(deliveries):
            app_id = apps[s * deliveries + k]
            scores = {d: rng.randint(40, 99) for d in dimensions}
            completed = (base + timedelta(seconds=s * deliveries + k)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            body = canonical_payload(
                req_id, scores=scores, overall_score=70, completed_at=completed, application_id=app_id
            )
            headers, raw = signed_request(body)
            headers = {**headers, "Content-Type": "application/json"}
            plan.append((app_id, completed, headers, raw))
            if rng.random() < retry_share:  # the vendor retries the same delivery
                plan.append((app_id, completed, headers, raw))
        plans.append(plan)

    outcome = Outcome()
    lock = threading.Lock()
    start = threading.Barrier(senders)
    deadline: list[float] = []

    def sender(plan: list[tuple[str, str, dict[str, str], bytes]]) -> None:
        start.wait()
        for app_id, completed, headers, raw in plan:
            if time.monotonic() > deadline[0]:
                return
            for _attempt in range(CONNECT_ATTEMPTS):
                t0 = time.perf_counter()
                code, answer = post_raw(api_url, headers, raw)
                elapsed = time.perf_counter() - t0
                with lock:
                    outcome.requests += 1
                    outcome.latencies.append(elapsed)
                    outcome.statuses[f"{code} {answer}".strip()] += 1
                    outcome.server_errors += code >= 500
                if code:
                    break
            with lock:
                if 200 <= code < 300 and answer in ("stored", "duplicate"):  # a 2xx: the vendor is done
                    outcome.accepted[app_id] = completed

    deadline.append(time.monotonic() + max_seconds)
    threads = [threading.Thread(target=sender, args=(plan,)) for plan in plans]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    outcome.seconds = time.perf_counter() - began
    # the stream applies the results asynchronously: wait for the scored count (bounded)
    answered = time.perf_counter()
    while True:
        status, req = call("GET", f"/requisitions/{req_id}", hr_token, None)
        if status == 200 and int(req["scored_count"]) >= len(outcome.accepted):
            break
        if time.perf_counter() - answered > settle_seconds:
            break
        time.sleep(0.2)
    outcome.applied_after = time.perf_counter() - answered
    # every accepted delivery, accounted for afterwards; and whatever was stored, counted once
    for app_id in apps:
        status, view = call("GET", f"/applications/{app_id}", hr_token, None)
        held = ((view or {}).get("ai") or {}).get("completed_at")
        outcome.held += held is not None
        if app_id in outcome.accepted and (status != 200 or held != outcome.accepted[app_id]):
            outcome.lost.append(app_id)
    status, req = call("GET", f"/requisitions/{req_id}", hr_token, None)
    outcome.scored_count = int(req["scored_count"]) if status == 200 else -1
    return outcome


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--senders", type=int, default=50)
    parser.add_argument("--deliveries", type=int, default=10, help="first results per sender")
    parser.add_argument("--max-seconds", type=float, default=300.0, help="every sender stops after this")
    args = parser.parse_args()
    from tests.bench.local_stack import running_stack

    with running_stack() as (api_url, token):
        outcome = hammer(api_url, token("hr"), args.senders, args.deliveries, args.max_seconds)
    for line in outcome.lines(args.senders):
        print(line)
    return 0 if outcome.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
