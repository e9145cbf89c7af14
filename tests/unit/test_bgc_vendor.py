"""The local stack's simulated background-check vendor: orders, signed results, outages."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from infra.local.bgc_vendor import WEBHOOK_PATH, SimulatedBackgroundVendor, result_for
from infra.local.vendors import LOCAL_BACKGROUND_VENDOR_SECRETS
from shared.domain.background import outcome
from shared.models.background import BackgroundResultPayload
from shared.security.webhooks import verify

ORDER = {
    "reference": "check-1",
    "checks": ["education", "employment", "credit"],
    "consent_reference": "SQ-1",
    "candidate_name": "张三",
    "national_id": "410105199501010011",
    "claimed_education": "本科 郑州大学 金融学",
    "claimed_experience": "",
}


class Api:
    """Stands in for the API: records the deliveries it gets."""

    def __init__(self) -> None:
        self.got: list[tuple[str, dict[str, str], bytes]] = []
        self.arrived = threading.Event()
        self.status = 200

    def deliver(self, url: str, headers: dict[str, str], body: bytes) -> int:
        self.got.append((url, headers, body))
        self.arrived.set()
        return self.status


@pytest.fixture
def sim() -> Iterator[tuple[SimulatedBackgroundVendor, Api]]:
    api = Api()
    vendor = SimulatedBackgroundVendor(
        "http://api.local/", delay_seconds=0, deliver=api.deliver, retry_seconds=0
    ).start()
    yield vendor, api
    vendor.stop()


def post(url: str, body: Any = None, key: str | None = None) -> tuple[int, dict[str, Any]]:
    headers = {"Content-Type": "application/json"} | ({"Idempotency-Key": key} if key else {})
    data = json.dumps(body).encode() if body is not None else b""
    request = urllib.request.Request(url, data=data, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_an_order_is_answered_with_a_reference_then_a_signed_result_follows(
    sim: tuple[SimulatedBackgroundVendor, Api],
) -> None:
    vendor, api = sim
    # When an order arrives
    status, answer = post(vendor.url + "/orders", ORDER, key="check-1")
    # Then it is accepted with a vendor reference; the same order again gets the same one
    assert status == 201 and answer["vendor_reference"].startswith("BGC-")
    assert post(vendor.url + "/orders", ORDER, key="check-1") == (200, answer)
    # And one signed Standard-Webhooks result goes to the API's webhook
    assert api.arrived.wait(5)
    [(url, headers, body)] = api.got
    assert url == "http://api.local" + WEBHOOK_PATH
    secrets = [("bgcheck", s) for s in LOCAL_BACKGROUND_VENDOR_SECRETS["bgcheck"]]
    assert verify(headers, body, secrets)[0] == "bgcheck"
    result = BackgroundResultPayload.model_validate_json(body)
    assert result.check_reference == "check-1" and result.vendor_reference == answer["vendor_reference"]


def test_down_refuses_orders_until_up(sim: tuple[SimulatedBackgroundVendor, Api]) -> None:
    vendor, _ = sim
    post(vendor.url + "/down")
    assert post(vendor.url + "/orders", ORDER)[0] == 503
    assert post(vendor.url + "/up")[1]["down"] is False
    assert post(vendor.url + "/orders", ORDER)[0] == 201
    assert vendor.status()["refused"] == 1


def test_bad_orders_are_refused(sim: tuple[SimulatedBackgroundVendor, Api]) -> None:
    vendor, _ = sim
    assert post(vendor.url + "/orders", {"checks": []})[0] == 400
    assert post(vendor.url + "/orders", ORDER, key="another")[0] == 400
    assert post(vendor.url + "/nothing", ORDER)[0] == 404


def test_results_are_valid_plausible_and_both_outcomes_occur() -> None:
    outcomes = set()
    for n in range(60):
        result = BackgroundResultPayload.model_validate(result_for(ORDER | {"reference": f"c{n}"}, "BGC-1"))
        assert result.education is not None and result.education.school == "郑州大学"
        outcomes.add(outcome(result))
    assert outcomes == {"clear", "consider"}
    only_credit = result_for(ORDER | {"checks": ["credit"]}, "BGC-1")
    assert "employment" not in only_credit and "education" not in only_credit
