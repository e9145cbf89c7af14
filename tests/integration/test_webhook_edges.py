"""Webhook edge cases through the HTTP handler (``POST /webhooks/interview-results``): the Standard
Webhooks test vector, the tolerance edges both ways, several signatures, altered bytes, missing
headers, replays, and bodies that are too big, too deep, not UTF-8, not an object or empty.
Every refusal stores nothing: the table's item count is the same before and after."""

from __future__ import annotations

import json
import time
from typing import Any

import boto3
import pytest

import functions.webhooks
from infra.local.vendors import LOCAL_VENDOR_SECRETS
from shared.security.webhooks import sign
from shared.services.intake import Intake
from shared.store.secrets import reset_secrets
from tests.support.api import Api
from tests.support.hiring import WEBHOOK, new_app
from tests.support.stack import REGION
from tests.support.webhooks import canonical, signed

# https://github.com/standard-webhooks/standard-webhooks (libraries' shared test vector)
SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
SPEC_TIMESTAMP = 1614265330
SPEC_BODY = b'{"test": 2432232314}'
SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


class Clock:
    """The intake's clock, set by the test (no sleeping; the tolerance edges are exact)."""

    def __init__(self) -> None:
        self.now = float(int(time.time()))

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fixed = Clock()
    monkeypatch.setattr(functions.webhooks, "Intake", lambda: Intake(clock=fixed))
    return fixed


def items(stack: Any) -> int:
    ddb = boto3.client("dynamodb", region_name=REGION)
    return len(ddb.scan(TableName=stack.env["TABLE_NAME"])["Items"])  # test-only inspection


def post(api: Api, headers: dict[str, str], raw: bytes) -> Any:
    return api.call("POST", WEBHOOK, role=None, headers=headers, raw=raw)


def spec_headers(signature: str = SPEC_SIGNATURE) -> dict[str, str]:
    return {"webhook-id": SPEC_ID, "webhook-timestamp": str(SPEC_TIMESTAMP), "webhook-signature": signature}


def test_the_standard_webhooks_test_vector_verifies_through_the_handler(api: Api, stack: Any, clock: Clock) -> None:
    # Given the spec's secret among the vendor's keys and the clock at the vector's timestamp
    assert sign(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY) == SPEC_SIGNATURE
    name = f"{stack.env['VENDOR_SECRETS_PATH']}aivendor/webhook-secrets"
    boto3.client("secretsmanager", region_name=REGION).put_secret_value(
        SecretId=name, SecretString=" ".join([*LOCAL_VENDOR_SECRETS["aivendor"], SPEC_SECRET])
    )
    reset_secrets()
    clock.now = SPEC_TIMESTAMP
    before = items(stack)
    # When the vector is delivered
    accepted = post(api, spec_headers(), SPEC_BODY)
    # Then the signature passes (the body is no interview result: 400 naming its fields, not 401)
    assert accepted.status_code == 400, accepted.data
    assert accepted.data["error"]["message"] == "the interview result is not valid"
    # and one changed character of the signature is 401
    tampered = post(api, spec_headers(SPEC_SIGNATURE.replace("g0hM", "g0hN")), SPEC_BODY)
    assert tampered.status_code == 401
    assert items(stack) == before


@pytest.mark.parametrize(("offset", "status"), [(-300, 200), (300, 200), (-301, 401), (301, 401)])
def test_the_tolerance_is_exactly_five_minutes_both_ways(
    api: Api, stack: Any, clock: Clock, req_id: str, offset: int, status: int
) -> None:
    # Given an application and a delivery stamped ``offset`` seconds from the intake's clock
    app = new_app(api, req_id)
    before = items(stack)
    headers, raw = signed(canonical(req_id, application_id=app["id"]), timestamp=int(clock.now) + offset)
    # When it arrives
    response = post(api, headers, raw)
    # Then ±300 s is accepted and ±301 s refused, storing nothing
    assert response.status_code == status, response.data
    if status == 401:
        assert "webhook-timestamp" in response.data["error"]["message"]
        assert items(stack) == before
    else:
        assert response.data["status"] == "stored"


def test_one_valid_signature_among_several_is_enough(api: Api, stack: Any, clock: Clock, req_id: str) -> None:
    app = new_app(api, req_id)
    headers, raw = signed(canonical(req_id, application_id=app["id"]), timestamp=int(clock.now))
    valid = headers["webhook-signature"]
    before = items(stack)
    # Given only wrong signatures (bad base64, another version, a wrong digest)
    wrong = "v1,not-base64!! v2,AAAA v1," + sign(LOCAL_VENDOR_SECRETS["mianshi"][0], "x", 1, b"x")[3:]
    assert post(api, headers | {"webhook-signature": wrong}, raw).status_code == 401
    assert items(stack) == before
    # When the valid one is among them (in any position)
    response = post(api, headers | {"webhook-signature": f"{wrong} {valid} v1,AAAA"}, raw)
    # Then the delivery is stored
    assert response.status_code == 200 and response.data["status"] == "stored"


@pytest.mark.parametrize(
    "alter",
    [
        lambda raw: json.dumps(json.loads(raw), indent=2).encode(),  # re-indented JSON, same content
        lambda raw: raw + b"\n",  # a trailing newline
        lambda raw: b" " + raw,  # a leading space
    ],
    ids=["reindented", "trailing-newline", "leading-space"],
)
def test_whitespace_altered_bodies_are_401_and_store_nothing(
    api: Api, stack: Any, clock: Clock, req_id: str, alter: Any
) -> None:
    app = new_app(api, req_id)
    headers, raw = signed(canonical(req_id, application_id=app["id"]), timestamp=int(clock.now))
    before = items(stack)
    response = post(api, headers, alter(raw))
    assert response.status_code == 401
    assert response.data["error"]["message"] == "no webhook-signature matches a key of a known vendor"
    assert items(stack) == before


@pytest.mark.parametrize("missing", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_each_missing_header_is_401_naming_it(api: Api, stack: Any, clock: Clock, req_id: str, missing: str) -> None:
    app = new_app(api, req_id)
    headers, raw = signed(canonical(req_id, application_id=app["id"]), timestamp=int(clock.now))
    before = items(stack)
    response = post(api, {k: v for k, v in headers.items() if k != missing}, raw)
    assert response.status_code == 401
    assert response.data["error"]["message"] == f"the {missing} header is missing"
    assert items(stack) == before


def test_a_replay_of_the_same_webhook_id_is_2xx_and_changes_nothing(
    api: Api, stack: Any, clock: Clock, req_id: str
) -> None:
    # Given a stored delivery
    app = new_app(api, req_id)
    headers, raw = signed(canonical(req_id, application_id=app["id"]), timestamp=int(clock.now))
    assert post(api, headers, raw).data["status"] == "stored"
    before, application = items(stack), api.call("GET", f"/applications/{app['id']}").data
    # When the vendor sends it again, re-signed a minute later, and then other scores under the same id
    clock.now += 60
    replay = post(api, *signed(canonical(req_id, application_id=app["id"]), **same_id(headers, clock)))
    reused = post(api, *signed(canonical(req_id, application_id=app["id"], logic=10), **same_id(headers, clock)))
    # Then the replay is a 200 duplicate, the other body 409 naming webhook-id, and nothing changed
    assert replay.status_code == 200 and replay.data["status"] == "duplicate"
    assert reused.status_code == 409 and reused.data["error"]["details"][0]["field"] == "webhook-id"
    assert items(stack) == before
    assert api.call("GET", f"/applications/{app['id']}").data == application


def same_id(headers: dict[str, str], clock: Clock) -> dict[str, Any]:
    """Signing options for a new message under the webhook-id of ``headers``, sent now."""
    return {"webhook_id": headers["webhook-id"], "timestamp": int(clock.now)}


@pytest.mark.parametrize(
    ("raw", "status", "message"),
    [
        (b"{" + b" " * (1_048_576 + 1) + b"}", 413, "the limit is 1048576"),
        (b"[" * 10_000 + b"]" * 10_000, 400, "the body is nested too deeply"),
        (b'{"vendor_id": "aivendor", "note": "\xff\xfe"}', 400, "the body is not UTF-8 text"),
        (b"[1, 2, 3]", 400, "the body must be a JSON object"),
        (b'"a string"', 400, "the body must be a JSON object"),
        (b"42", 400, "the body must be a JSON object"),
        (b"", 400, "the body must be a JSON object"),
        (b'{"overall_score": NaN}', 400, "the body is not valid JSON"),
    ],
    ids=["oversize", "10000-levels", "not-utf8", "array", "string", "number", "empty", "nan"],
)
def test_bodies_that_are_no_json_object_are_refused_naming_the_problem(
    api: Api, stack: Any, clock: Clock, raw: bytes, status: int, message: str
) -> None:
    # Given a correctly signed body of the wrong kind
    headers, body = signed(raw, timestamp=int(clock.now))
    before = items(stack)
    # When it arrives
    response = post(api, headers, body)
    # Then it is refused with the error body naming the problem — never a 500 — and nothing is stored
    assert response.status_code == status, response.data
    assert message in response.data["error"]["message"]
    assert items(stack) == before
