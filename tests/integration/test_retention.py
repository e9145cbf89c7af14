"""Retention per data kind: DynamoDB TTL (``expires_at``) set when each kind's retention starts, for the
days configured per kind, and an item past its expiry treated as absent by every read (TTL is lazy)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from shared.settings import get_settings, reset_settings
from shared.store.items import deserialize, serialize
from shared.store.repository import Repository
from tests.support.api import Api
from tests.support.archive import update_application
from tests.support.hiring import deliver, new_app
from tests.support.ids import person
from tests.support.stack import REGION
from tests.support.webhooks import canonical

DAY = 86_400


def ddb() -> Any:
    return boto3.client("dynamodb", region_name=REGION)


def raw(pk: str, sk: str) -> dict[str, Any] | None:
    """Test-only: the item as stored (no read filtering)."""
    out = ddb().get_item(TableName=get_settings().table_name, Key=serialize({"pk": pk, "sk": sk}))
    return deserialize(out["Item"]) if "Item" in out else None


def raw_partition(pk: str) -> list[dict[str, Any]]:
    out = ddb().query(
        TableName=get_settings().table_name,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues=serialize({":pk": pk}),
    )
    return [deserialize(i) for i in out["Items"]]


def about(expiry: int, days: int) -> bool:
    return abs(expiry - (int(time.time()) + days * DAY)) <= 120


def end(api: Api, app_id: str, to: str = "rejected") -> None:
    moved = api.call("POST", f"/applications/{app_id}/transitions", body={"to": to, "reason": "不符合岗位要求"})
    assert moved.status_code == 200, moved.data


@pytest.fixture
def short_retention(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The unsuccessful applicants' retention changed to 10 days (as a template parameter change would)."""
    monkeypatch.setenv("UNSUCCESSFUL_APPLICANT_RETENTION_DAYS", "10")
    reset_settings()
    yield
    monkeypatch.undo()  # the stack's value again
    reset_settings()


def test_ending_an_application_unsuccessfully_starts_the_retention_of_its_whole_partition(
    api: Api, req_id: str
) -> None:
    # Given two applications with an AI result (items beside META), and one still in the process
    rejected, withdrawn, kept = (new_app(api, req_id, n)["id"] for n in (1, 2, 3))
    for app_id in (rejected, withdrawn, kept):
        assert deliver(api, canonical(req_id, application_id=app_id)).status_code == 200
    # When HR rejects one and the other is withdrawn
    end(api, rejected, "rejected")
    end(api, withdrawn, "withdrawn")
    # Then every item of their partitions expires after the configured days (365), from the decision
    days = get_settings().unsuccessful_applicant_retention_days
    for app_id in (rejected, withdrawn):
        items = raw_partition(f"APP#{app_id}")
        assert len(items) >= 2
        assert all(about(i["expires_at"], days) for i in items), items
    # And the application in the process has no expiry
    assert all("expires_at" not in i for i in raw_partition(f"APP#{kept}"))
    # And a later change to the ended application keeps the decision's expiry
    before = raw(f"APP#{rejected}", "META")
    assert before is not None
    update_application(rejected, education="本科 郑州大学 金融学（已核实）")
    after = raw(f"APP#{rejected}", "META")
    assert after is not None and after["version"] == before["version"] + 1
    assert after["expires_at"] == before["expires_at"]


def test_an_item_past_its_expiry_is_absent_for_every_read_although_still_stored(api: Api, req_id: str) -> None:
    # Given a rejected application whose retention ran out (TTL has not deleted it yet)
    app_id = new_app(api, req_id, 4)["id"]
    other = new_app(api, req_id, 5)["id"]
    end(api, app_id)
    for item in raw_partition(f"APP#{app_id}"):
        item["expires_at"] = int(time.time()) - 60
        ddb().put_item(TableName=get_settings().table_name, Item=serialize(item))
    # When it is read one by one, listed, or its archive opened
    one = api.call("GET", f"/applications/{app_id}")
    archive = api.call("GET", f"/candidates/{app_id}")
    listed = api.call("GET", f"/requisitions/{req_id}/applications").data["items"]
    by_stage = api.call("GET", f"/requisitions/{req_id}/applications?stage=rejected").data["items"]
    # Then it is absent everywhere, as if TTL had deleted it
    assert one.status_code == 404 and archive.status_code == 404
    assert [a["id"] for a in listed] == [other] and by_stage == []
    assert Repository().applications.get(app_id) is None
    assert Repository().query(f"APP#{app_id}").items == []
    # And it is still in the table
    assert raw(f"APP#{app_id}", "META") is not None


def test_a_retention_change_applies_to_items_whose_retention_starts_after_it(
    api: Api, req_id: str, short_retention: None
) -> None:
    # Given the retention of unsuccessful applicants changed to 10 days
    assert get_settings().unsuccessful_applicant_retention_days == 10
    # When an application is rejected now
    app_id = new_app(api, req_id, 6)["id"]
    end(api, app_id)
    # Then its items expire after 10 days
    meta = raw(f"APP#{app_id}", "META")
    assert meta is not None and about(meta["expires_at"], 10)


def test_delivery_records_parked_results_and_audit_records_expire_by_their_own_retention(api: Api, req_id: str) -> None:
    # Given a result for an applicant that does not exist yet (parked) and a created application
    parked = deliver(api, canonical(req_id, external_ref="EXT-RET-1"))
    assert parked.status_code == 202, parked.data
    app_id = api.call("POST", f"/requisitions/{req_id}/applications", body=person(7)).data["id"]
    settings = get_settings()
    # Then the delivery record expires after its days (90)
    delivery = raw(f"WEBHOOK#{parked.data['webhook_id']}", "AI#aivendor")
    assert delivery is not None and about(delivery["expires_at"], settings.delivery_record_retention_days)
    # And the parked result after its days (30) — it was attached when the application appeared, so
    # look at one that stays parked
    still = deliver(api, canonical(req_id, external_ref="EXT-RET-2"))
    stored = raw_partition(f"PARKED#{req_id}")
    assert stored and all(about(p["expires_at"], settings.parked_result_retention_days) for p in stored)
    assert still.status_code == 202
    # And audit records are kept longer (1825 days)
    trail = raw_partition(f"AUDIT#application:{app_id}")
    assert trail and all(about(a["expires_at"], settings.audit_retention_days) for a in trail)
    assert settings.audit_retention_days > settings.unsuccessful_applicant_retention_days


def test_an_erased_candidates_anonymised_record_is_kept(api: Api, req_id: str) -> None:
    # Given a rejected application (its retention started)
    app_id = new_app(api, req_id, 9)["id"]
    end(api, app_id)
    meta = raw(f"APP#{app_id}", "META")
    assert meta is not None and "expires_at" in meta
    # When HR erases the candidate
    erased = api.call("DELETE", f"/candidates/{app_id}", body={"reason": "the candidate asked for erasure"})
    assert erased.status_code == 200, erased.data
    # Then the anonymised application item has no expiry: its scores stay for the validity statistics
    after = raw(f"APP#{app_id}", "META")
    assert after is not None and after["name"] == "[erased]" and "expires_at" not in after
