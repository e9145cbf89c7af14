"""Standard Webhooks verification."""

from __future__ import annotations

import pytest

from shared.errors import Unauthenticated
from shared.security.webhooks import sign, verify

# The public test vector of the Standard Webhooks specification.
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
TS = 1614265330
BODY = b'{"test": 2432232314}'
EXPECTED = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
OTHER = "whsec_" + "b3RoZXItc2VjcmV0LW9mLWEtdmVuZG9yLTEyMzQ="


def headers(signature: str = EXPECTED, ts: int = TS, msg_id: str = MSG_ID) -> dict[str, str]:
    return {"webhook-id": msg_id, "webhook-timestamp": str(ts), "webhook-signature": signature}


def test_spec_vector() -> None:
    assert sign(SECRET, MSG_ID, TS, BODY) == EXPECTED
    assert verify(headers(), BODY, [("v", SECRET)], now=TS) == ("v", MSG_ID)


def test_tolerance_is_five_minutes_both_ways() -> None:
    for now in (TS - 300, TS + 300):
        assert verify(headers(), BODY, [("v", SECRET)], now=now)[0] == "v"
    with pytest.raises(Unauthenticated, match="too old"):
        verify(headers(), BODY, [("v", SECRET)], now=TS + 301)
    with pytest.raises(Unauthenticated, match="future"):
        verify(headers(), BODY, [("v", SECRET)], now=TS - 301)


def test_any_signature_of_several_matches_and_the_key_names_the_vendor() -> None:
    rotated = f"v1,AAAA v2,whatever {EXPECTED}"
    assert verify(headers(rotated), BODY, [("a", OTHER), ("b", SECRET)], now=TS) == ("b", MSG_ID)


@pytest.mark.parametrize(
    ("hdrs", "body", "message"),
    [
        ({"webhook-timestamp": str(TS), "webhook-signature": EXPECTED}, BODY, "webhook-id header is missing"),
        ({"webhook-id": MSG_ID, "webhook-signature": EXPECTED}, BODY, "webhook-timestamp header is missing"),
        ({"webhook-id": MSG_ID, "webhook-timestamp": str(TS)}, BODY, "webhook-signature header is missing"),
        (headers(ts="soon"), BODY, "Unix seconds"),  # type: ignore[arg-type]
        (headers("v1,not base64!!"), BODY, "no v1 signature"),
        (headers(), BODY + b" ", "no webhook-signature matches"),
        (headers(msg_id="msg_other"), BODY, "no webhook-signature matches"),
    ],
)
def test_failures_say_why(hdrs: dict[str, str], body: bytes, message: str) -> None:
    with pytest.raises(Unauthenticated, match=message):
        verify(hdrs, body, [("v", SECRET)], now=TS)


def test_wrong_key_is_refused() -> None:
    with pytest.raises(Unauthenticated):
        verify(headers(), BODY, [("v", OTHER)], now=TS)
