"""Field-level encryption: national ID, phone, e-mail and credit details are sealed in the table,
masked in responses, in clear only for HR's audited contact read; a bulk import costs a handful of
KMS calls; items written before encryption still read."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from chalice.test import Client

from shared.models.identity import mask_phone
from shared.security.fields import DATA_KEY_MAX_USES, FieldCipher, UnreadableField, is_sealed
from shared.settings import get_settings
from shared.store import aws
from shared.store.items import deserialize, serialize
from shared.store.repository import Repository
from tests.support.api import Api
from tests.support.background import ORDER, FakeVendor, consume, fake_vendor, result, send_result
from tests.support.hiring import evaluated_app
from tests.support.ids import person
from tests.support.spreadsheets import Importer, csv_bytes, rows_for
from tests.support.stack import REGION, Stack

ROWS = 1_000
CREDIT_NOTE = "2023年5月信用卡逾期90天，已结清"


@pytest.fixture
def vendor(monkeypatch: pytest.MonkeyPatch) -> FakeVendor:
    return fake_vendor(monkeypatch)


@pytest.fixture
def kms_calls() -> Iterator[Counter[str]]:
    """Every KMS operation the product's own client makes (a botocore event hook, not a mock)."""
    calls: Counter[str] = Counter()

    def count(model: Any, **_: Any) -> None:
        calls[model.name] += 1

    client = aws.client("kms")
    client.meta.events.register("before-call.kms.*", count)
    yield calls
    client.meta.events.unregister("before-call.kms.*", count)


def raw_items() -> list[dict[str, Any]]:
    """Test-only inspection of every item of the table as stored (a Scan; no read filtering)."""
    ddb = boto3.client("dynamodb", region_name=REGION)
    pages = ddb.get_paginator("scan").paginate(TableName=get_settings().table_name)
    return [deserialize(i) for page in pages for i in page["Items"]]


def test_import_and_credit_check_leave_no_clear_personal_data_in_the_table(
    api: Api, client: Client, stack: Stack, req_id: str, vendor: FakeVendor, kms_calls: Counter[str]
) -> None:
    # Given 1,000 applicants in a CSV
    people = [person(n) for n in range(1, ROWS + 1)]
    importer = Importer(api, client)
    job = importer.start(req_id, "event.csv")

    # When the import runs (S3 event → parse → chunk consumers)
    importer.upload(job, csv_bytes(rows_for(people)))

    # Then every row is accepted, with a handful of KMS calls for 1,000 rows (data keys are reused)
    status = importer.status(job["id"])
    assert status["state"] == "completed" and status["accepted"] == ROWS, status
    per_thousand = sum(kms_calls.values())
    assert kms_calls["GenerateDataKey"] == 1 and per_thousand <= 2, kms_calls
    print(f"\nKMS calls for {ROWS} imported rows: {dict(kms_calls)}")

    # And a background check with a credit record is stored for another applicant
    app_id = evaluated_app(api, req_id, n=ROWS + 1)["id"]
    ordered = api.call("POST", f"/applications/{app_id}/background-checks", body=ORDER)
    assert ordered.status_code == 201, ordered.data
    consume(client, stack)
    body = result(ordered.data["check_id"], credit={"status": "adverse", "notes": CREDIT_NOTE})
    assert send_result(api, body).status_code == 200

    # Then no national ID, phone or credit detail is anywhere in the table in clear
    items = raw_items()
    text = json.dumps(items, ensure_ascii=False)
    for someone in [*people, person(ROWS + 1)]:
        assert someone["national_id"] not in text
        assert someone["phone"] not in text
        assert someone["email"] not in text
    assert CREDIT_NOTE not in text and '"adverse"' not in text
    # And the application items carry sealed values (the ``v`` marker) beside their masks
    apps = [i for i in items if i.get("type") == "application"]
    assert len(apps) == ROWS + 1
    assert all(is_sealed(a["national_id"]) and is_sealed(a["phone"]) and is_sealed(a["email"]) for a in apps)
    assert all(a["phone_masked"].count("*") == 4 for a in apps)
    check = next(i for i in items if str(i["sk"]).startswith("BGC#"))
    assert is_sealed(check["result"]["credit"])

    # And HR and the department's manager still read the credit result in clear (an audited read)
    for role in ("hr", "manager"):
        shown = api.call("GET", f"/applications/{app_id}/background-checks", role=role)
        assert shown.status_code == 200, shown.data
        assert shown.data["items"][0]["result"]["credit"] == {"status": "adverse", "notes": CREDIT_NOTE}
        assert shown.data["items"][0]["outcome"] == "consider"  # the rule still sees the adverse credit

    # And duplicate detection still works through the keyed hash: the same person again is a duplicate
    again = api.call("POST", f"/requisitions/{req_id}/applications", body=people[0])
    assert again.status_code == 409, again.data


def test_responses_are_masked_and_only_hr_reads_contact_details_in_clear(api: Api, req_id: str) -> None:
    # Given an application
    applicant = person(7)
    created = api.call("POST", f"/requisitions/{req_id}/applications", body=applicant)
    assert created.status_code == 201, created.data
    app_id = created.data["id"]
    # Then its views carry masks only
    for path in (f"/applications/{app_id}", f"/candidates/{app_id}"):
        shown = api.call("GET", path)
        text = json.dumps(shown.data, ensure_ascii=False)
        assert applicant["phone"] not in text and applicant["national_id"] not in text
        assert applicant["email"] not in text
        assert shown.data["phone_masked"] == mask_phone(applicant["phone"])

    # When HR asks for the contact details
    contact = api.call("GET", f"/applications/{app_id}/contact")
    # Then they are decrypted for this read, and the read is audited
    assert contact.status_code == 200, contact.data
    assert contact.data == {
        "application_id": app_id,
        "name": applicant["name"],
        "email": applicant["email"],
        "phone": applicant["phone"],
        "national_id": applicant["national_id"],
    }
    trail = Repository().audit.page(f"application:{app_id}").items
    assert any(a["action"] == "contact.read" and a["actor"] == "hr.demo" for a in trail)

    # And no other role reads them (managers included)
    for role in ("manager", "manager2", "interviewer", "it", None):
        refused = api.call("GET", f"/applications/{app_id}/contact", role=role)
        assert refused.status_code in (401, 403), (role, refused.status_code)
        assert applicant["phone"] not in json.dumps(refused.data)


def test_items_written_before_field_encryption_still_read(api: Api, req_id: str) -> None:
    # Given an application stored with plain personal fields (written before encryption, no masks)
    applicant = person(8)
    app_id = api.call("POST", f"/requisitions/{req_id}/applications", body=applicant).data["id"]
    ddb = boto3.client("dynamodb", region_name=REGION)
    key = serialize({"pk": f"APP#{app_id}", "sk": "META"})
    item = deserialize(ddb.get_item(TableName=get_settings().table_name, Key=key)["Item"])
    for name in ("email", "phone", "national_id"):
        item[name] = applicant[name]
        item.pop(f"{name}_masked")
    ddb.put_item(TableName=get_settings().table_name, Item=serialize(item))

    # When HR reads it and its contact details
    shown = api.call("GET", f"/applications/{app_id}")
    contact = api.call("GET", f"/applications/{app_id}/contact")

    # Then the masks are computed from the plain values and the contact read returns them as they are
    assert shown.status_code == 200 and shown.data["phone_masked"] == mask_phone(applicant["phone"])
    assert contact.data["national_id"] == applicant["national_id"]
    # And erasure removes them as before
    erased = api.call("DELETE", f"/candidates/{app_id}", body={"reason": "the candidate asked for erasure"})
    assert erased.status_code == 200, erased.data
    assert api.call("GET", f"/applications/{app_id}/contact").data["phone"] == ""


def test_erasure_removes_sealed_values(api: Api, req_id: str) -> None:
    # Given an application with sealed fields
    app_id = api.call("POST", f"/requisitions/{req_id}/applications", body=person(9)).data["id"]
    # When HR erases the candidate
    erased = api.call("DELETE", f"/candidates/{app_id}", body={"reason": "the candidate asked for erasure"})
    assert erased.status_code == 200, erased.data
    # Then neither the sealed values nor their masks are left
    ddb = boto3.client("dynamodb", region_name=REGION)
    key = serialize({"pk": f"APP#{app_id}", "sk": "META"})
    item = deserialize(ddb.get_item(TableName=get_settings().table_name, Key=key)["Item"])
    assert (item["email"], item["phone"], item["national_id"]) == ("", "", "")
    assert not any(item.get(f"{n}_masked") for n in ("email", "phone", "national_id"))


class FakeKms:
    """A fake of the two KMS operations the cipher uses (a key is 'wrapped' by reversing it)."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.n = 0

    def generate_data_key(self, **_: Any) -> dict[str, bytes]:
        self.calls["GenerateDataKey"] += 1
        self.n += 1
        plain = bytes([self.n]) * 32
        return {"Plaintext": plain, "CiphertextBlob": plain[::-1] + b"w"}

    def decrypt(self, CiphertextBlob: bytes, **_: Any) -> dict[str, bytes]:
        self.calls["Decrypt"] += 1
        return {"Plaintext": CiphertextBlob[:-1][::-1]}


def test_data_keys_rotate_by_age_and_use_and_decrypted_keys_are_cached() -> None:
    # Given a cipher over a fake KMS and a clock we move
    kms, now = FakeKms(), [0.0]
    cipher = FieldCipher("key", lambda: kms, clock=lambda: now[0], max_age=300, max_uses=3)
    # When it seals 7 values within five minutes
    sealed = [cipher.seal(f"1380000000{i}", "phone") for i in range(7)]
    # Then a new data key every 3 values: 3 keys
    assert kms.calls["GenerateDataKey"] == 3
    # And after five minutes the next value gets a new key
    now[0] = 301
    sealed.append(cipher.seal("13800000099", "phone"))
    assert kms.calls["GenerateDataKey"] == 4
    # And revealing all of them needs no Decrypt (the container knows its own keys)
    assert [cipher.reveal(s, "phone") for s in sealed[:2]] == ["13800000000", "13800000001"]
    assert kms.calls["Decrypt"] == 0
    # And another container decrypts each data key once, however many values share it
    other = FieldCipher("key", lambda: kms)
    assert [other.reveal(s, "phone") for s in sealed] == [
        c.reveal(s, "phone") for c, s in zip([cipher] * 8, sealed, strict=True)
    ]
    assert kms.calls["Decrypt"] == 4
    # And a sealed phone is not readable as a national ID (the field is the associated data)
    with pytest.raises(UnreadableField):
        other.reveal(sealed[0], "national_id")
    # And a plain value (written before encryption) is returned as it is
    assert other.reveal("13800000000", "phone") == "13800000000"
    assert DATA_KEY_MAX_USES >= 1_000
