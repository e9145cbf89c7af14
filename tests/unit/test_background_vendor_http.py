"""The HTTP adapter of the background-check vendor, against a local http.server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from shared.domain.background import VendorError
from shared.models.background import CheckKind, VendorOrder
from shared.store.background_vendor import HttpBackgroundVendor
from tests.support.http_stub import ScriptedParty, assert_hanging_or_absent_party_raises, scripted

ORDER = VendorOrder(
    reference="check-1",
    checks=[CheckKind.education, CheckKind.credit],
    consent_reference="SQ-1",
    candidate_name="张三",
    national_id="410105199501010011",
    claimed_education="本科 郑州大学 金融学",
    claimed_experience="",
)


@pytest.fixture
def server() -> Iterator[tuple[str, ScriptedParty]]:
    with scripted(201, b'{"vendor_reference": "V-1"}') as served:
        yield served


def test_submit_posts_the_order_with_our_reference_as_idempotency_key(server: tuple[str, ScriptedParty]) -> None:
    url, state = server
    # When the adapter submits an order
    reference = HttpBackgroundVendor(url + "/").submit(ORDER)
    # Then the vendor's reference comes back, and the vendor got the order at /orders
    assert reference == "V-1"
    [(path, headers, body)] = state.received
    assert path == "/orders" and headers["Idempotency-Key"] == "check-1"
    assert body["reference"] == "check-1" and body["checks"] == ["education", "credit"]


@pytest.mark.parametrize(
    ("status", "answer"),
    [
        (503, b'{"error": "down"}'),
        (400, b"{}"),
        (201, b"not json"),
        (201, b'{"other": 1}'),
        (201, b'{"vendor_reference": ""}'),
    ],
)
def test_refusals_and_unusable_answers_are_vendor_errors(
    server: tuple[str, ScriptedParty], status: int, answer: bytes
) -> None:
    url, state = server
    state.status, state.answer = status, answer
    with pytest.raises(VendorError):
        HttpBackgroundVendor(url).submit(ORDER)


def test_a_timeout_or_an_unreachable_vendor_is_a_vendor_error(server: tuple[str, ScriptedParty]) -> None:
    def submit(url: str, timeout: float) -> str:
        return HttpBackgroundVendor(url, timeout=timeout).submit(ORDER)

    assert_hanging_or_absent_party_raises(VendorError, submit, server, "http://127.0.0.1:9")
    with pytest.raises(VendorError):
        HttpBackgroundVendor("file:///etc/passwd").submit(ORDER)
