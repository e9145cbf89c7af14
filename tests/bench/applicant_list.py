"""The requisition page with thousands of applicants: time to the first rows, in the browser and at the
API, on the running local stack (``python -m tests.bench.applicant_list --applicants 10000``).

The applications are written straight into the stack's table (what an import would leave: 60 %
AI-interviewed with a weighted score, 30 % screened, 10 % rejected); the figures are medians. The
numbered pages (search, order, total) read the list rows of the whole requisition; the page by
``next_token`` reads one index page: both are printed, side by side.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.support.running import PROJECT_DIR, RunningStack, call, local_stack, request_json

STAGES = ("ai_interviewed",) * 6 + ("screened",) * 3 + ("rejected",)
TIMEOUT = 300  # seconds: a shared 2-core machine is slow


def seed(stack: RunningStack, requisition: dict[str, Any], n: int) -> None:
    from infra.local.state import load_state
    from shared.domain.stages import Stage
    from shared.models.application import Application
    from tests.support.bench_data import bench_ai, put_applications, stack_dynamodb

    state = load_state(stack.state_dir)

    def application(i: int) -> Application:
        stage = Stage(STAGES[i % len(STAGES)])
        score = 40 + (i * 7919 % 6000) / 100
        return Application(
            id=f"{i:032x}",
            requisition_id=requisition["id"],
            department=requisition["department"],
            stage=stage,
            name=f"候选人{i:05d}",
            email=f"c{i}@example.com",
            phone="13800000000",
            national_id="11010519491231002X",
            external_ref=f"BENCH-{i:05d}",
            source="bench",
            created_at=f"2026-12-01T{i // 3600 % 24:02d}:{i // 60 % 60:02d}:{i % 60:02d}Z",
            updated_at="2026-12-01T00:00:00Z",
            ai=bench_ai(i, score, "2026-12-01") if stage is Stage.ai_interviewed else None,
            expires_at=int(time.time()) + 365 * 86400 if stage is Stage.rejected else None,
        )

    put_applications(stack_dynamodb(state), state["outputs"]["TableName"], (application(i) for i in range(n)))


def median_seconds(probe: Any, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        probe()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def api_figures(stack: RunningStack, req_id: str, hr: str, runs: int) -> list[tuple[str, float, int | None]]:
    base = f"/requisitions/{req_id}/applications"
    cases = [
        ("page by next_token (50, oldest first)", f"{base}?limit=50"),
        ("numbered page 1 (50, oldest first, total)", f"{base}?page=1&limit=50"),
        ("numbered page 100 by score", f"{base}?order=score&page=100&limit=50"),
        ("stage screened by score (filter + sort)", f"{base}?stage=screened&order=score&page=1&limit=50"),
        ("search a name (候选人0123)", f"{base}?q=%E5%80%99%E9%80%89%E4%BA%BA0123&limit=50"),
    ]
    out = []
    for label, path in cases:
        status, body = request_json(stack.api_url + path, "GET", hr, None, TIMEOUT)
        assert status == 200, body
        seconds = median_seconds(lambda p=path: request_json(stack.api_url + p, "GET", hr, None, TIMEOUT), runs)
        out.append((label, seconds, body.get("total")))
    return out


def browser_first_rows(stack: RunningStack, req_id: str, runs: int) -> tuple[float, float]:
    """From opening the requisition page (signed in) to its first applicant row on screen, and to the
    total with the page numbers."""
    from playwright import sync_api

    from tests.support.browser import chromium, sign_in_pages

    with chromium(sync_api) as browser, sign_in_pages(browser, stack) as sign_in:
        page = sign_in("hr")
        page.locator("[data-testid=requisitions]").wait_for()
        first, total = [], []
        for _ in range(runs):
            page.goto(f"{stack.api_url}/console/#/requisitions")
            page.locator("[data-testid=requisitions]").wait_for()
            started = time.perf_counter()
            page.goto(f"{stack.api_url}/console/#/requisitions/{req_id}")
            page.locator("[data-testid=applicants] tbody tr a").first.wait_for(timeout=TIMEOUT * 1000)
            first.append(time.perf_counter() - started)
            page.locator("[data-testid=total][data-total]").wait_for(timeout=TIMEOUT * 1000)
            total.append(time.perf_counter() - started)
        return statistics.median(first), statistics.median(total)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--applicants", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    requisition = json.loads((PROJECT_DIR / "events" / "requisition-customer-manager.json").read_text("utf-8"))
    with (
        tempfile.TemporaryDirectory(prefix="bench-list-") as state,
        local_stack(Path(state), options=["--no-demo-data"]) as stack,
    ):
        hr = stack.token("hr")
        status, req = call(stack, "POST", "/requisitions", hr, requisition)
        assert status == 201, req
        started = time.perf_counter()
        seed(stack, req, args.applicants)
        print(f"seeded {args.applicants:,} applications in {time.perf_counter() - started:.1f} s")
        print(f"{'request (median of ' + str(args.runs) + ')':<52} {'seconds':>8} {'total':>7}")
        for label, seconds, total in api_figures(stack, req["id"], hr, args.runs):
            print(f"{label:<52} {seconds:>8.3f} {'' if total is None else f'{total:,}':>7}")
        first_rows, with_total = browser_first_rows(stack, req["id"], args.runs)
        print(f"{'browser: open the requisition page → first rows':<52} {first_rows:>8.3f}")
        print(f"{'browser: open the requisition page → total, pages':<52} {with_total:>8.3f}")


if __name__ == "__main__":
    main()
