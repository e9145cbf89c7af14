"""The local stack's simulated e-signature vendor: takes our adapter's envelopes and calls back signed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest

from infra.local.esign_vendor import EsignVendorSimulator
from infra.local.vendors import LOCAL_ESIGN_SECRETS
from shared.security.webhooks import verify
from shared.store.esign import Envelope, HttpEsignVendor
from tests.support.http_stub import serving


class Api:
    """Stands in for POST /webhooks/esign: records deliveries, answers the queued statuses."""

    def __init__(self) -> None:
        self.deliveries: list[tuple[dict[str, str], bytes]] = []
        self.statuses: list[int] = []


@pytest.fixture
def api() -> Iterator[tuple[Api, str]]:
    state = Api()

    def answer(request: BaseHTTPRequestHandler, raw: bytes) -> None:
        state.deliveries.append(({k.lower(): v for k, v in request.headers.items()}, raw))
        request.send_response(state.statuses.pop(0) if state.statuses else 200)
        request.send_header("Content-Length", "2")
        request.end_headers()
        request.wfile.write(b"{}")

    with serving(answer) as url:
        yield state, url


def envelope(offer_id: str = "offer-1") -> Envelope:
    return Envelope(offer_id, "王小明", "x@example.com", "录用通知书", "2026-12-10", "o.pdf", b"%PDF")


def test_envelope_is_signed_with_a_standard_webhooks_callback(api: tuple[Api, str]) -> None:
    state, url = api
    state.statuses = [503]  # the first callback is refused: the vendor retries with the same id
    sim = EsignVendorSimulator(url, delay_seconds=0, retry_seconds=0)
    sim.start()
    try:
        # When our HTTP adapter sends an envelope, twice with the same idempotency key
        first = HttpEsignVendor(sim.url).send(envelope())
        assert HttpEsignVendor(sim.url).send(envelope()) == first
        assert sim.wait_for_callbacks(1)
    finally:
        sim.stop()
    # Then one envelope, and one signed report delivered twice under one webhook-id
    assert len(sim.envelopes) == 1
    assert len(state.deliveries) == 2 and state.deliveries[0][0]["webhook-id"] == state.deliveries[1][0]["webhook-id"]
    headers, raw = state.deliveries[1]
    assert verify(headers, raw, [("esign", LOCAL_ESIGN_SECRETS[0])])[0] == "esign"
    event = json.loads(raw)
    assert (event["type"], event["offer_id"], event["envelope_id"]) == ("signed", "offer-1", first)
    assert sim.listing()[0]["callbacks"][0]["status"] == 200


def test_other_outcomes_can_be_reported_by_hand(api: tuple[Api, str]) -> None:
    state, url = api
    sim = EsignVendorSimulator(url, delay_seconds=-1)  # never on its own
    sim.start()
    try:
        envelope_id = HttpEsignVendor(sim.url).send(envelope("offer-2"))
        assert state.deliveries == []
        assert sim.report(envelope_id, "declined") == 200
    finally:
        sim.stop()
    assert json.loads(state.deliveries[0][1])["type"] == "declined"
    with pytest.raises(ValueError):
        EsignVendorSimulator(url, outcome="lost")
