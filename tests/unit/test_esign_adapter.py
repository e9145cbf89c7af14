"""The HTTP e-signature adapter against a local http.server."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import pytest

from shared.store.esign import Envelope, EsignUnavailable, HttpEsignVendor
from tests.support.http_stub import ScriptedParty, assert_hanging_or_absent_party_raises, scripted

ENVELOPE = Envelope("offer-1", "王小明", "x@example.com", "录用通知书", "2026-12-10", "offer-1.pdf", b"%PDF-1.4 x")


@pytest.fixture
def vendor() -> Iterator[tuple[ScriptedParty, str]]:
    with scripted(201, b'{"envelope_id": "env-42"}') as (url, party):
        yield party, f"{url}/v1/envelopes"


def test_sends_the_envelope_and_returns_the_vendors_id(vendor: tuple[ScriptedParty, str]) -> None:
    state, url = vendor
    assert HttpEsignVendor(url).send(ENVELOPE) == "env-42"
    _, headers, body = state.received[0]
    assert headers["Idempotency-Key"] == "offer-1" and headers["Content-Type"] == "application/json"
    assert body["reference"] == "offer-1" and body["signer"] == {"name": "王小明", "email": "x@example.com"}
    assert base64.b64decode(body["document"]["content_base64"]) == b"%PDF-1.4 x"


@pytest.mark.parametrize(("status", "answer"), [(500, b"{}"), (429, b"{}"), (201, b"not json"), (201, b"{}")])
def test_error_answers_raise_unavailable(vendor: tuple[ScriptedParty, str], status: int, answer: bytes) -> None:
    state, url = vendor
    state.status, state.answer = status, answer
    with pytest.raises(EsignUnavailable):
        HttpEsignVendor(url).send(ENVELOPE)


def test_timeout_and_unreachable_raise_unavailable(vendor: tuple[ScriptedParty, str]) -> None:
    def send(url: str, timeout: float) -> str:
        return HttpEsignVendor(url, timeout=timeout).send(ENVELOPE)

    state, url = vendor
    assert_hanging_or_absent_party_raises(EsignUnavailable, send, (url, state), "http://127.0.0.1:9/none")
    with pytest.raises(ValueError):
        HttpEsignVendor("file:///etc/passwd")
