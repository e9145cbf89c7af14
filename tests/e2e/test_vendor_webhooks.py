"""Vendors deliver AI interview results to the running local stack (``infra.local.simulator``).

HR creates a requisition and applications with the vendors' references; the simulator sends
signed results in both vendor formats, with retries, a late older result, a bad signature and a
result for an applicant not imported yet; everything is then checked over HTTP.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from datetime import UTC
from typing import Any

import pytest

from infra.local.simulator import MODEL_VERSIONS, Plan, Report, Simulator, line, send_all
from tests.support.ids import person
from tests.support.running import PROJECT_DIR, RunningStack, call, wait_until

pytestmark = pytest.mark.e2e

CANDIDATES = "/candidates/{candidate_id}"
REQUISITION = json.loads((PROJECT_DIR / "events" / "requisition-customer-manager.json").read_text("utf-8"))


def routes() -> set[str]:
    """The app's routes (the talent archive's route is read only where it exists)."""
    from app import app

    return set(app.routes)


def stored_form(report: Report, ref: str) -> str:
    """``completed_at`` of the winning delivery for ``ref`` as the stack stores it (UTC, microseconds)."""
    return report.newest_for(ref).delivery.completed_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def new_requisition(stack: RunningStack, hr: str) -> dict[str, Any]:
    status, requisition = call(stack, "POST", "/requisitions", hr, REQUISITION)
    assert status == 201, requisition
    return dict(requisition)


def new_application(stack: RunningStack, hr: str, requisition_id: str, n: int, ref: str) -> dict[str, Any]:
    status, app = call(
        stack, "POST", f"/requisitions/{requisition_id}/applications", hr, person(n) | {"external_ref": ref}
    )
    assert status == 201, app
    return dict(app)


def test_signed_results_reach_the_applications_exactly_once(stack: RunningStack) -> None:
    # Given HR created a requisition and three applications with the vendors' references
    hr = stack.token("hr")
    requisition = new_requisition(stack, hr)
    req_id, dimensions = requisition["id"], tuple(requisition["dimension_weights"])
    imported = ("E2E-0001", "E2E-0002", "E2E-0003")
    apps = {ref: new_application(stack, hr, req_id, n, ref) for n, ref in enumerate(imported, start=1)}
    assert all(app["ai"] is None for app in apps.values())
    not_yet = "E2E-0004"

    # And a vendor run for them plus one applicant not imported yet: every delivery retried once,
    # half of the applicants with an older result arriving after the newer one, one bad signature
    plan = Plan(
        requisition_id=req_id,
        refs=(*imported, not_yet),
        dimensions=dimensions,
        duplicates=1.0,
        out_of_order=0.5,
        bad_signatures=1,
        seed=2026,
    )
    deliveries = Simulator(plan).deliveries()
    first_pass = [d for d in deliveries if d.kind != "duplicate"]
    retries = [d for d in deliveries if d.kind == "duplicate"]
    assert Counter(d.kind for d in deliveries) == {"first": 4, "older": 2, "bad_signature": 1, "duplicate": 6}

    # When the vendors deliver everything once
    report = send_all(stack.api_url, first_pass)

    # Then every answer is the expected one: stored for the imported applicants (the late older
    # result too: it goes to the history), 202 parked for the unknown one, 401 for the bad signature
    assert not report.unexpected(), "\n".join(line(s) for s in report.unexpected())
    assert [(s.status, s.outcome) for s in report.of_kind("bad_signature")] == [(401, "unauthenticated")]
    assert {
        (s.status, s.outcome) for s in report.sent if s.delivery.ref == not_yet and s.delivery.kind != "bad_signature"
    } == {(202, "parked")}
    for sent in report.sent:
        if sent.delivery.ref in imported and sent.status == 200:
            assert sent.application_id == apps[sent.delivery.ref]["id"]

    # And each imported application shows the newest result with its vendor's provenance (applied
    # from the table's stream moments after the answer)
    views: dict[str, dict[str, Any]] = {}
    for ref in imported:
        winner = report.newest_for(ref).delivery.webhook_id

        def applied(app_id: str = apps[ref]["id"], winner: str = winner) -> Any:
            status, view = call(stack, "GET", f"/applications/{app_id}", hr)
            return view if status == 200 and (view["ai"] or {}).get("webhook_id") == winner else None

        view = wait_until(f"the newest result of {ref}", applied)
        views[ref] = view
        newest = report.newest_for(ref).delivery
        ai = view["ai"]
        assert ai is not None, ref
        assert (ai["vendor_id"], ai["webhook_id"]) == (newest.vendor, newest.webhook_id)
        assert ai["model_version"] == MODEL_VERSIONS[newest.vendor]
        assert ai["completed_at"] == stored_form(report, ref)
        assert set(ai["dimension_scores"]) == set(dimensions)
        assert all(0 <= s <= 100 for s in ai["dimension_scores"].values())
        # one version step for the newest result; an older one never overwrites
        assert view["version"] == apps[ref]["version"] + 1
    assert {v["ai"]["vendor_id"] for v in views.values()} == {"aivendor", "mianshi"}

    # When the vendors retry every delivery (same webhook-id, new timestamp)
    retried = send_all(stack.api_url, retries)

    # Then every retry is acknowledged as a duplicate and nothing changed
    assert [(s.status, s.outcome) for s in retried.sent] == [(200, "duplicate")] * len(retries)
    for ref in imported:
        status, view = call(stack, "GET", f"/applications/{apps[ref]['id']}", hr)
        assert status == 200
        assert view["version"] == views[ref]["version"]
        assert view["ai"] == views[ref]["ai"]

    # And, where the talent archive is served, it lists one history entry per result (none per retry),
    # each with the vendor's raw payload, the late older result marked as superseded
    if CANDIDATES in routes():
        for ref in imported:

            def marked(
                app_id: str = apps[ref]["id"],
                expected: int = sum(1 for s in report.sent if s.delivery.ref == ref and s.delivery.kind == "older"),
            ) -> Any:
                status, archive = call(stack, "GET", f"/candidates/{app_id}", hr)
                done = sum(1 for h in archive["ai_history"] if h["superseded"]) == expected
                return archive if status == 200 and done else None

            archive = wait_until(f"the late result of {ref} marked superseded", marked)
            assert archive["view"] == "hr", archive
            history = {h["webhook_id"]: h for h in archive["ai_history"]}
            results = {
                s.delivery.webhook_id: s.delivery
                for s in report.sent
                if s.delivery.ref == ref and s.delivery.kind in ("first", "older")
            }
            assert set(history) == set(results), ref
            winner = report.newest_for(ref).delivery.webhook_id
            assert {w: h["superseded"] for w, h in history.items()} == {w: w != winner for w in results}
            assert all(history[w]["raw_payload"] == d.body.decode() for w, d in results.items())

    # When HR creates the application of the applicant whose result was parked
    late = new_application(stack, hr, req_id, 4, not_yet)

    # Then the result is attached moments later (newest wins among what was parked)
    newest = report.newest_for(not_yet).delivery

    def attached() -> Any:
        status, view = call(stack, "GET", f"/applications/{late['id']}", hr)
        return view if status == 200 and (view["ai"] or {}).get("webhook_id") == newest.webhook_id else None

    late = wait_until("the parked result attached", attached)
    assert late["ai"] is not None
    assert (late["ai"]["vendor_id"], late["ai"]["webhook_id"]) == (newest.vendor, newest.webhook_id)
    status, view = call(stack, "GET", f"/applications/{late['id']}", hr)
    assert status == 200 and view["ai"] == late["ai"]
    assert view["ai"]["completed_at"] == stored_form(report, not_yet)


def test_command_line_sends_and_summarises(stack: RunningStack) -> None:
    # Given a requisition without any application yet
    hr = stack.token("hr")
    req_id = new_requisition(stack, hr)["id"]

    # When the simulator runs from the command line (HR token from the stack's state file)
    command = [
        sys.executable,
        "-m",
        "infra.local.simulator",
        "--api",
        stack.api_url,
        "--state-dir",
        str(stack.state_dir),
        "--requisition",
        req_id,
        "--count",
        "2",
        "--vendor",
        "mianshi",
        "--bad-signatures",
        "1",
        "--seed",
        "7",
    ]
    result = subprocess.run(command, cwd=PROJECT_DIR, capture_output=True, text=True, timeout=120)

    # Then it exits 0 (every answer as expected) with one line per delivery and a summary
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    deliveries = [ln.split()[:5] for ln in lines if ln.startswith("msg_sim_")]
    assert len(deliveries) == 3
    assert sorted((ref, status, outcome) for _, vendor, ref, status, outcome in deliveries if status != "401") == [
        ("SIM-0001", "202", "parked"),
        ("SIM-0002", "202", "parked"),
    ]
    assert [(vendor, outcome) for _, vendor, _, status, outcome in deliveries if status == "401"] == [
        ("mianshi", "unauthenticated")
    ]
    assert any("HTTP 202: 2" in ln and "HTTP 401: 1" in ln for ln in lines), result.stdout
    assert any("every answer as expected" in ln for ln in lines), result.stdout

    # And the parked result is attached when HR creates the application with that reference
    app = new_application(stack, hr, req_id, 11, "SIM-0001")
    app = wait_until(
        "the parked result attached",
        lambda: (
            call(stack, "GET", f"/applications/{app['id']}", hr)[1]["ai"]
            and call(stack, "GET", f"/applications/{app['id']}", hr)[1]
        ),
    )
    assert app["ai"] is not None and app["ai"]["vendor_id"] == "mianshi"
