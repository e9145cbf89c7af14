"""The vendor simulator's plan: valid payloads in both formats, seeded, with retries, reordering and bad keys."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections import Counter

import pytest

from infra.local.simulator import (
    FAKE_MP4,
    Plan,
    Simulator,
    VideoServer,
    parse_args,
    to_rating,
)
from infra.local.vendors import LOCAL_VENDOR_SECRETS
from shared.domain.vendors import adapter_for
from shared.errors import Unauthenticated
from shared.security.webhooks import sign, verify

DIMS = ("logic", "expression", "customer_orientation", "risk_awareness")
NOW = 1_795_850_000.0


def plan(**changes: object) -> Plan:
    base: dict[str, object] = {"requisition_id": "REQ-1", "refs": ("A", "B", "C", "D"), "dimensions": DIMS}
    return Plan(**(base | changes))  # type: ignore[arg-type]


def test_both_vendors_alternate_and_their_payloads_pass_the_adapters() -> None:
    # Given a plan for four applicants of both vendors, with videos served
    deliveries = Simulator(plan(seed=1, video_base="http://127.0.0.1:8125"), now=NOW).deliveries()
    # Then each applicant gets one first delivery, alternating vendors
    assert [(d.ref, d.vendor, d.kind) for d in deliveries] == [
        ("A", "aivendor", "first"),
        ("B", "mianshi", "first"),
        ("C", "aivendor", "first"),
        ("D", "mianshi", "first"),
    ]
    for d in deliveries:
        # And the vendor's own adapter turns the body into a canonical result for exactly the
        # requisition's dimensions, with plausible scores, finished in the past
        result = adapter_for(d.vendor)(d.vendor, json.loads(d.body))
        assert result.vendor_id == d.vendor and result.requisition_id == "REQ-1" and result.external_ref == d.ref
        assert sorted(result.dimension_scores) == sorted(DIMS)
        assert all(0 <= s <= 100 for s in result.dimension_scores.values())
        assert result.questions and all(q.dimension.value in DIMS for q in result.questions)
        assert str(result.video_url) == f"http://127.0.0.1:8125/videos/{d.ref}.mp4"
        assert d.completed_at.timestamp() < NOW


def test_the_seed_fixes_the_bodies_and_webhook_ids_are_new_every_run() -> None:
    # Given the same plan and seed run twice
    first = Simulator(plan(seed=7, duplicates=0.5), now=NOW).deliveries()
    second = Simulator(plan(seed=7, duplicates=0.5), now=NOW).deliveries()
    # Then the same results are sent, under new webhook ids
    assert [d.body for d in first] == [d.body for d in second]
    assert {d.webhook_id for d in first}.isdisjoint({d.webhook_id for d in second})
    # And another seed scores differently
    other = Simulator(plan(seed=8, duplicates=0.5), now=NOW).deliveries()
    assert [d.body for d in other] != [d.body for d in first]


def test_retries_reordering_and_bad_signatures() -> None:
    # Given half retried, half reordered and two bad signatures
    deliveries = Simulator(plan(seed=3, duplicates=0.5, out_of_order=0.5, bad_signatures=2), now=NOW).deliveries()
    kinds = Counter(d.kind for d in deliveries)
    # Then two applicants get an older result right after their newer one
    assert kinds["first"] == 4 and kinds["older"] == 2
    for i, d in enumerate(deliveries):
        if d.kind == "older":
            newer = next(p for p in reversed(deliveries[:i]) if p.ref == d.ref and p.kind == "first")
            assert newer.completed_at > d.completed_at
    # And half of the six valid deliveries are retried after all of them, with the same id and body
    retries = [d for d in deliveries if d.kind == "duplicate"]
    assert len(retries) == 3 and deliveries[-3:] == retries
    originals = {d.webhook_id: d for d in deliveries if d.kind in ("first", "older")}
    assert all(originals[r.webhook_id].body == r.body for r in retries)
    # And the two bad ones are signed with a key no vendor has
    bad = [d for d in deliveries if d.kind == "bad_signature"]
    assert len(bad) == 2
    known = [(v, s) for v, keys in LOCAL_VENDOR_SECRETS.items() for s in keys]
    for d in bad:
        headers = {
            "webhook-id": d.webhook_id,
            "webhook-timestamp": str(int(NOW)),
            "webhook-signature": sign(d.secret, d.webhook_id, int(NOW), d.body),
        }
        with pytest.raises(Unauthenticated, match="no webhook-signature matches"):
            verify(headers, d.body, known, now=NOW)


def test_a_small_positive_share_still_means_one() -> None:
    deliveries = Simulator(plan(seed=1, duplicates=0.01, vendor="mianshi"), now=NOW).deliveries()
    assert Counter(d.kind for d in deliveries)["duplicate"] == 1
    assert {d.vendor for d in deliveries} == {"mianshi"}


def test_ratings_map_onto_mianshis_scale() -> None:
    assert (to_rating(0), to_rating(50), to_rating(100), to_rating(83)) == (1.0, 3.0, 5.0, 4.3)


def test_command_line_generates_references_and_checks_fractions(capsys: pytest.CaptureFixture[str]) -> None:
    args = parse_args(["--requisition", "R", "--count", "3", "--duplicates", "0.2", "--seed", "5"])
    assert (args.count, args.duplicates, args.vendor, args.api) == (3, 0.2, "both", "http://127.0.0.1:8000")
    assert parse_args(["--requisition", "R", "--refs", "X-1, X-2"]).refs == ("X-1", "X-2")
    for bad in (["--duplicates", "1.5", "--count", "1"], ["--count", "1", "--refs", "A"], []):
        with pytest.raises(SystemExit):
            parse_args(["--requisition", "R", *bad])
    assert "--duplicates" in capsys.readouterr().err


def test_video_server_answers_mp4_bytes() -> None:
    # Given the video server on a free port
    server = VideoServer(0).start()
    try:
        # When a video of a reference is fetched
        with urllib.request.urlopen(f"{server.url}/videos/SIM-0001.mp4", timeout=5) as response:
            # Then it is a few bytes of video/mp4
            assert response.status == 200 and response.headers["Content-Type"] == "video/mp4"
            assert response.read() == FAKE_MP4
        # And anything else is 404
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(f"{server.url}/videos/../secret", timeout=5)
        assert err.value.code == 404
    finally:
        server.stop()
