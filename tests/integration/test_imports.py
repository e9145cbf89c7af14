"""Bulk import: presigned upload, S3 object event, SQS worker; per-row results; never a duplicate."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from chalice.test import Client

from tests.support.api import Api
from tests.support.events import sqs_event
from tests.support.ids import person
from tests.support.spreadsheets import FIELDS, HEADER_ZH, Importer, csv_bytes, rows_for, xlsx_bytes
from tests.support.stack import REGION


@pytest.fixture
def importer(api: Api, client: Client) -> Importer:
    return Importer(api, client)


def test_presigned_upload_policy_limits_type_size_encryption_and_time(importer: Importer, req_id: str) -> None:
    # When HR starts an import
    job = importer.start(req_id, "applicants.xlsx")
    fields = job["upload"]["fields"]
    # Then the upload is SigV4-signed and its policy pins type, size, KMS encryption and a short expiry
    assert fields["x-amz-algorithm"] == "AWS4-HMAC-SHA256"
    policy = json.loads(base64.b64decode(fields["policy"]))
    conditions = policy["conditions"]
    assert ["content-length-range", 1, job["upload"]["max_bytes"]] in conditions
    assert {"Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"} in conditions
    assert {"x-amz-server-side-encryption": "aws:kms"} in conditions
    assert {"x-amz-server-side-encryption-aws-kms-key-id": importer.env["KMS_KEY_ID"]} in conditions
    assert {"key": fields["key"]} in conditions or {"key": fields["key"]} in [
        c for c in conditions if isinstance(c, dict)
    ]
    expires = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    assert 0 < (expires - datetime.now(UTC)).total_seconds() <= 300
    assert job["state"] == "awaiting_upload"


def test_xlsx_import_reports_every_row(importer: Importer, req_id: str) -> None:
    # Given a workbook: 3 good rows, a bad national ID, a duplicate of row 1, a blank line, an extra column
    people = [person(1), person(2), person(3, resume="应届毕业生")]
    bad = dict(person(4), national_id="110105194912310021")
    rows: list[list[Any]] = [*rows_for(people), rows_for([bad])[0], rows_for([people[0]])[0], [None] * 7]
    job = importer.start(req_id, "applicants.xlsx")
    # When it is uploaded and the pipeline runs
    importer.upload(job, xlsx_bytes(rows))
    # Then every row is accounted for
    status = importer.status(job["id"])
    assert status["state"] == "completed"
    assert (status["total_rows"], status["accepted"], status["rejected"], status["duplicate"]) == (5, 3, 1, 1)
    results = {r["row"]: r for r in importer.rows(job["id"])}
    assert sorted(results) == [1, 2, 3, 4, 5]
    assert results[4]["outcome"] == "rejected" and "national_id: check digit" in results[4]["reason"]
    assert results[5]["outcome"] == "duplicate" and results[5]["application_id"] == results[1]["application_id"]
    # And the applications are screened (2 pass, 1 proposed for rejection)
    apps = importer.api.call("GET", f"/requisitions/{req_id}/applications").data["items"]
    assert sorted(a["stage"] for a in apps) == ["applied", "screened", "screened"]


def test_gbk_csv_with_chinese_headers_imports(importer: Importer, req_id: str) -> None:
    # Given a CSV saved by Excel on Chinese Windows (GBK)
    job = importer.start(req_id, "applicants.csv")
    importer.upload(job, csv_bytes(rows_for([person(11), person(12)]), encoding="gbk"))
    # Then names survive intact
    status = importer.status(job["id"])
    assert (status["state"], status["accepted"]) == ("completed", 2)
    names = {a["name"] for a in importer.api.call("GET", f"/requisitions/{req_id}/applications").data["items"]}
    assert names == {"张0011", "张0012"}


@pytest.mark.parametrize(
    ("filename", "data", "reason"),
    [
        ("applicants.csv", b"\xff\xfe\x00garbage\x81\x30", "neither UTF-8 nor GBK"),
        ("applicants.xlsx", b"PK\x03\x04 this is not a workbook", "not a readable .xlsx"),
        ("applicants.csv", "姓名,邮箱\n张三,a@b.cn\n".encode(), "missing required columns: phone, national_id"),
        ("applicants.csv", b"", "empty"),
    ],
)
def test_unreadable_file_fails_the_import_with_a_reason(
    importer: Importer, req_id: str, filename: str, data: bytes, reason: str
) -> None:
    job = importer.start(req_id, filename)
    importer.upload(job, data)
    status = importer.status(job["id"])
    assert status["state"] == "failed"
    assert reason in status["failure"]
    assert importer.api.call("GET", f"/requisitions/{req_id}/applications").data["items"] == []


def test_redelivered_event_and_chunks_never_duplicate(importer: Importer, req_id: str) -> None:
    # Given a completed import
    job = importer.start(req_id, "applicants.csv")
    event = importer.upload(job, csv_bytes(rows_for([person(n) for n in range(21, 26)])))
    before = importer.status(job["id"])
    # When the S3 event is delivered again (EventBridge is at-least-once)
    importer.deliver(event)
    # Then counts and applications are unchanged
    after = importer.status(job["id"])
    assert (
        (after["accepted"], after["processed_rows"], after["duplicate"])
        == (5, 5, 0)
        == (before["accepted"], before["processed_rows"], before["duplicate"])
    )
    assert len(importer.api.call("GET", f"/requisitions/{req_id}/applications").data["items"]) == 5


def test_reuploaded_file_as_a_new_import_reports_duplicates(importer: Importer, req_id: str) -> None:
    data = csv_bytes(rows_for([person(31), person(32)]))
    first = importer.start(req_id, "applicants.csv")
    importer.upload(first, data)
    second = importer.start(req_id, "applicants.csv")
    importer.upload(second, data)
    status = importer.status(second["id"])
    assert (status["accepted"], status["duplicate"]) == (0, 2)
    assert len(importer.api.call("GET", f"/requisitions/{req_id}/applications").data["items"]) == 2


def test_another_file_on_a_claimed_import_is_ignored(importer: Importer, req_id: str) -> None:
    job = importer.start(req_id, "applicants.csv")
    importer.upload(job, csv_bytes(rows_for([person(41)])))
    importer.upload(job, csv_bytes(rows_for([person(42), person(43)])))
    status = importer.status(job["id"])
    assert (status["total_rows"], status["accepted"]) == (1, 1)
    # and neither file is kept: the first once its row was stored, the second as soon as it came
    listed = importer.s3.list_object_versions(Bucket=importer.env["BUCKET_NAME"], Prefix=f"imports/{job['id']}/")
    assert not listed.get("Versions") and not listed.get("DeleteMarkers")


def test_a_poison_message_fails_alone(importer: Importer, client: Client, req_id: str) -> None:
    # Given a batch with one undecodable message and one real parse job
    sqs = boto3.client("sqs", region_name=REGION)
    queue = importer.env["IMPORT_QUEUE_URL"]
    job = importer.start(req_id, "applicants.csv")
    importer.upload(job, csv_bytes(rows_for([person(51)])), deliver_event=False)
    key = job["upload"]["fields"]["key"]
    head = boto3.client("s3", region_name=REGION).head_object(Bucket=importer.env["BUCKET_NAME"], Key=key)
    good = {
        "kind": "parse",
        "import_id": job["id"],
        "bucket": importer.env["BUCKET_NAME"],
        "key": key,
        "etag": head["ETag"].strip('"'),
    }
    sqs.send_message(QueueUrl=queue, MessageBody="{not json")
    sqs.send_message(QueueUrl=queue, MessageBody=json.dumps(good))
    messages = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10, AttributeNames=["All"])["Messages"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    # When the worker gets the batch
    payload = client.lambda_.invoke("import_worker", sqs_event(messages, arn)).payload
    # Then only the poison message is reported failed
    poison = next(m["MessageId"] for m in messages if m["Body"] == "{not json")
    assert payload["batchItemFailures"] == [{"itemIdentifier": poison}]


def test_only_hr_imports(importer: Importer, req_id: str) -> None:
    body = {"requisition_id": req_id, "filename": "a.xlsx"}
    for role in ("manager", "interviewer", "it"):
        assert importer.api.call("POST", "/imports", role=role, body=body).status_code == 403
    bad = importer.api.call("POST", "/imports", body={"requisition_id": req_id, "filename": "a.exe"})
    assert bad.status_code == 400 and bad.data["error"]["details"][0]["field"] == "filename"
    assert (
        importer.api.call("POST", "/imports", body={"requisition_id": "nope", "filename": "a.csv"}).status_code == 404
    )
    assert importer.api.call("GET", "/imports/nope").status_code == 404


def test_parked_results_are_looked_up_once_per_chunk_and_still_attached(importer: Importer, req_id: str) -> None:
    from shared.store import aws
    from tests.support.hiring import deliver
    from tests.support.webhooks import canonical

    looked: list[str] = []

    def parked_lookups(params: dict[str, Any], **_: Any) -> None:
        key = params.get("ExpressionAttributeValues", {}).get(":pk", {}).get("S", "")
        if key.startswith("PARKED#"):
            looked.append(key)

    refs = [*HEADER_ZH[:-1], "候选人编号"]  # the last column: the vendor's reference
    ddb = aws.client("dynamodb")
    ddb.meta.events.register("before-parameter-build.dynamodb.Query", parked_lookups)
    try:
        # Given a requisition without parked results, an import of three rows with references
        people = [person(i) for i in range(10)]
        job = importer.start(req_id, "first.csv")
        importer.upload(
            job, csv_bytes([[p[f] for f in FIELDS] + [f"R{i}"] for i, p in enumerate(people[:3])], header=refs)
        )
        # Then one look for parked results served the whole chunk
        assert importer.status(job["id"])["accepted"] == 3
        assert len(looked) == 1
        # When a result arrives for a reference nobody imported yet, and a file with it is imported
        assert deliver(importer.api, canonical(req_id, external_ref="R7")).data["status"] == "parked"
        looked.clear()
        job = importer.start(req_id, "second.csv")
        importer.upload(job, csv_bytes([[people[n][f] for f in FIELDS] + [f"R{n}"] for n in (7, 8)], header=refs))
    finally:
        ddb.meta.events.unregister("before-parameter-build.dynamodb.Query", parked_lookups)
    # Then the chunk looked once, then once per row, and the result is attached to its application
    assert len(looked) == 3
    importer.api.settle()
    apps = [importer.api.call("GET", f"/applications/{r['application_id']}").data for r in importer.rows(job["id"])]
    ai = {a["external_ref"]: a["ai"] for a in apps}
    assert set(ai) == {"R7", "R8"}
    assert ai["R7"] is not None and ai["R8"] is None
