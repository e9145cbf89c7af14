"""Privacy: DELETE /candidates/{id} erases the person's personal data and keeps anonymised scores."""

from __future__ import annotations

import io
import json
from typing import Any

import boto3
import openpyxl
from chalice.test import Client

from shared.domain.stages import Stage
from shared.models.common import iso, utcnow
from shared.models.evaluation import Evaluation
from shared.models.videos import Video
from shared.security.fields import is_sealed, reveal
from shared.settings import get_settings
from shared.store.audit import AuditEntry
from shared.store.items import deserialize, serialize
from shared.store.repository import Repository
from shared.store.videos import VideoStore
from tests.support.api import Api
from tests.support.archive import update_application
from tests.support.bodies import ERASURE_REASON as REASON
from tests.support.hiring import at_background_check, deliver, offer_body
from tests.support.ids import person
from tests.support.spreadsheets import Importer, rows_for, xlsx_bytes
from tests.support.stack import REGION
from tests.support.webhooks import canonical


def whole_table() -> str:
    """Test-only inspection of every item of the table, as text."""
    ddb = boto3.client("dynamodb", region_name=REGION)
    items = ddb.scan(TableName=get_settings().table_name)["Items"]
    return json.dumps(items, ensure_ascii=False)


def whole_item(pk: str, sk: str = "META") -> dict[str, Any]:
    """Test-only: one item as stored (no read filtering, no decryption)."""
    ddb = boto3.client("dynamodb", region_name=REGION)
    return deserialize(ddb.get_item(TableName=get_settings().table_name, Key=serialize({"pk": pk, "sk": sk}))["Item"])


def objects_under(app_id: str) -> list[str]:
    s3 = boto3.client("s3", region_name=REGION)
    keys: list[str] = []
    for prefix in (f"resumes/{app_id}/", f"videos/{app_id}/", f"offers/{app_id}/"):
        out = s3.list_object_versions(Bucket=get_settings().bucket_name, Prefix=prefix)
        keys += [v["Key"] for v in [*out.get("Versions", []), *out.get("DeleteMarkers", [])]]
    return keys


def seed_personal_files(app_id: str, name: str) -> None:
    """A resume file, an interview video (linked) and an evaluation whose comment names the person,
    as the resume, video and evaluation flows store them."""
    s3 = boto3.client("s3", region_name=REGION)
    bucket = get_settings().bucket_name
    s3.put_object(Bucket=bucket, Key=f"resumes/{app_id}/{'a' * 32}.txt", Body=b"resume")
    s3.put_object(Bucket=bucket, Key=f"resumes/{app_id}/{'a' * 32}.txt", Body=b"resume v2")  # a second version
    video_key = f"videos/{app_id}/{'b' * 32}.mp4"
    s3.put_object(Bucket=bucket, Key=video_key, Body=b"\x00video")
    now = iso(utcnow())
    video = Video(
        video_id="b" * 32,
        application_id=app_id,
        key=video_key,
        size=6,
        content_type="video/mp4",
        source="upload",
        uploaded_at=now,
        linked_at=now,
    )
    assert VideoStore().link(video, AuditEntry(f"application:{app_id}", "system", "video.link", {}))
    evaluation = Evaluation(
        application_id=app_id,
        evaluator="manager.demo",
        evaluator_role="manager",
        ratings={"logic": 80},
        comment=f"{name} 逻辑清晰，{name}的客户沟通需要加强",
        recommendation="hire",
        version=1,
        created_at=now,
        updated_at=now,
    )
    item = {"pk": f"APP#{app_id}", "sk": "EVAL#manager.demo", "type": "evaluation"}
    item |= evaluation.model_dump(mode="json")
    boto3.client("dynamodb", region_name=REGION).put_item(TableName=get_settings().table_name, Item=serialize(item))


def erasures(api: Api, app_id: str) -> list[dict[str, Any]]:
    trail = api.call("GET", f"/audit?subject=application:{app_id}").data["items"]
    return [r for r in trail if r["action"] == "candidate.erase"]


def test_erasure_removes_personal_data_and_keeps_anonymised_scores(api: Api, req_id: str) -> None:
    # Given an application with an AI result, a background check with credit results, an offer with
    # its documents, a resume file, a video and an evaluation that names the person
    app_id = at_background_check(api, req_id)
    assert deliver(api, canonical(req_id, application_id=app_id)).status_code == 200  # with a transcript
    before = api.call("GET", f"/candidates/{app_id}").data
    stored = Repository().applications.require(app_id)
    offer = api.call("POST", f"/applications/{app_id}/offers", body=offer_body())
    assert offer.status_code == 201, offer.data
    seed_personal_files(app_id, stored.name)
    assert objects_under(app_id)
    text = whole_table()
    personal = (
        stored.name,
        reveal(stored.email, "email"),
        reveal(stored.phone, "phone"),
        reveal(stored.national_id, "national_id"),
        "首先拆解问题",
    )
    for secret in (stored.name, "首先拆解问题"):  # phone and national ID are sealed, never in clear
        assert secret in text
    assert is_sealed(whole_item(f"APP#{app_id}")["national_id"])

    # When HR erases the candidate, with a reason
    response = api.call("DELETE", f"/candidates/{app_id}", body=REASON)

    # Then the erasure is reported, with what was removed and what stays
    assert response.status_code == 200, response.data
    receipt = response.data
    assert receipt["status"] == "erased" and receipt["erased_by"] == "hr.demo"
    assert receipt["stage_reached"] == "offer"  # creating the offer moved it there
    assert receipt["objects_deleted"] >= 4  # 2 resume versions, the video, the offer documents
    assert receipt["items_deleted"] >= 1 and receipt["items_scrubbed"] >= 3
    # And no personal datum is left anywhere in the table: name, contact, ID, transcript
    text = whole_table()
    for secret in personal:
        assert secret not in text, secret
    assert not is_sealed(whole_item(f"APP#{app_id}")["national_id"])  # the sealed value is gone too
    # And no file is left in S3, in any version
    assert objects_under(app_id) == []
    # And the archive keeps the anonymised scores (stage reached, scores, requisition, dates)
    after = api.call("GET", f"/candidates/{app_id}").data
    assert after["name"] == "[erased]"
    assert after["ai"]["dimension_scores"] == before["ai"]["dimension_scores"]
    assert after["ai"]["weighted_score"] == before["ai"]["weighted_score"]
    assert after["requisition_id"] == req_id and after["created_at"] == before["created_at"]
    assert after["screening"]["score"] == before["screening"]["score"]
    assert after["stage"] == "withdrawn"  # out of every pool; the stage reached is in the record
    assert after["videos"] == []
    (check,) = after["background"]["checks"]
    assert check["status"] == before["background"]["checks"][0]["status"]
    assert "credit" not in json.dumps(check.get("result") or {})
    (evaluation,) = after["evaluations"]
    assert evaluation["recommendation"] == "hire"
    assert [d["human"] for d in evaluation["dimensions"]] == [80]
    assert evaluation["comment"] == "[erased] 逻辑清晰，[erased]的客户沟通需要加强"
    assert stored.name not in json.dumps(after, ensure_ascii=False)
    # And the erasure is audited: who, why, from where
    (record,) = erasures(api, app_id)
    assert record["actor"] == "hr.demo" and record["details"]["reason"] == REASON["reason"]
    assert record["details"]["stage_reached"] == "offer" and "source_ip" in record
    # And the same person may apply again (the national-ID uniqueness guard is gone)
    again = api.call("POST", f"/requisitions/{req_id}/applications", body=person(1))
    assert again.status_code == 201, again.data


def every_object_text() -> str:
    """Test-only: every version of every object in the bucket as text, spreadsheets opened."""
    s3 = boto3.client("s3", region_name=REGION)
    bucket = get_settings().bucket_name
    texts = []
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        for version in page.get("Versions", []):
            key = version["Key"]
            body = s3.get_object(Bucket=bucket, Key=key, VersionId=version["VersionId"])["Body"].read()
            if key.endswith(".xlsx"):
                book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
                cells = [c for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row]
                texts.append(" ".join(str(c) for c in cells if c is not None))
            else:
                texts.append(body.decode("utf-8", errors="ignore"))
    return "\n".join(texts)


def test_erasure_finds_the_person_everywhere_in_the_table_and_the_bucket(api: Api, client: Client, req_id: str) -> None:
    # Given a candidate imported from a spreadsheet, assigned to an interviewer (the desk item holds the
    # name), with an AI result (its delivery record) and a video put in quarantine under their id
    importer = Importer(api, client)
    job = importer.start(req_id, "pool.xlsx")
    people = [person(61), person(62)]
    importer.upload(job, xlsx_bytes(rows_for(people)))
    rows = importer.rows(job["id"])
    app_id = next(r["application_id"] for r in rows if r["row"] == 1)
    assigned = api.call("PUT", f"/applications/{app_id}/interviewers", body={"usernames": ["interviewer.demo"]})
    assert assigned.status_code == 200, assigned.data
    assert deliver(api, canonical(req_id, application_id=app_id)).status_code == 200
    me = people[0]
    s3 = boto3.client("s3", region_name=REGION)
    quarantined = f"quarantine/videos/{app_id}/{'c' * 32}.mp4"
    s3.put_object(Bucket=get_settings().bucket_name, Key=quarantined, Body=f"{me['name']} {me['phone']}".encode())
    # (the spreadsheet itself is gone once its rows were stored: it held everyone in clear)
    versions = s3.list_object_versions(Bucket=get_settings().bucket_name).get("Versions", [])
    assert not [v["Key"] for v in versions if v["Key"].startswith("imports/")]
    desk = api.call("GET", "/me/assignments", role="interviewer").data["items"]
    assert me["name"] in json.dumps(desk, ensure_ascii=False)
    assert me["name"] in whole_table() and me["phone"] in every_object_text()

    # When HR erases the candidate
    response = api.call("DELETE", f"/candidates/{app_id}", body=REASON)
    assert response.status_code == 200, response.data

    # Then neither the whole table nor any object of the bucket (every version, spreadsheets opened)
    # holds the person's name, phone, e-mail or ID number
    table, bucket = whole_table(), every_object_text()
    for datum in (me["name"], me["phone"], me["email"], me["national_id"]):
        assert datum not in table, datum
        assert datum not in bucket, datum
    # And the interviewer's desk no longer lists them; the other imported person is untouched
    desk = api.call("GET", "/me/assignments", role="interviewer").data["items"]
    assert me["name"] not in json.dumps(desk, ensure_ascii=False)
    assert people[1]["name"] in table


def test_a_second_erasure_is_200_already_erased_and_audited_once(api: Api, req_id: str) -> None:
    # Given an erased candidate
    app_id = api.call("POST", f"/requisitions/{req_id}/applications", body=person(7)).data["id"]
    first = api.call("DELETE", f"/candidates/{app_id}", body=REASON)
    assert first.status_code == 200 and first.data["status"] == "erased"
    # When HR erases it again
    second = api.call("DELETE", f"/candidates/{app_id}", body=REASON)
    # Then it is 200 already_erased with the first erasure's time, and audited once
    assert second.status_code == 200
    assert second.data["status"] == "already_erased"
    assert second.data["erased_at"] == first.data["erased_at"]
    assert second.data["stage_reached"] == first.data["stage_reached"]
    assert len(erasures(api, app_id)) == 1


def test_erasure_is_refused_for_an_employee(api: Api, req_id: str) -> None:
    # Given a candidate who was hired (and one whose offer is signed)
    hired = api.call("POST", f"/requisitions/{req_id}/applications", body=person(8)).data["id"]
    signed = api.call("POST", f"/requisitions/{req_id}/applications", body=person(9)).data["id"]
    update_application(hired, stage=Stage.hired)
    update_application(signed, stage=Stage.offer_signed)
    for app_id in (hired, signed):
        # When HR asks to erase them
        response = api.call("DELETE", f"/candidates/{app_id}", body=REASON)
        # Then it is 409 (employment records have their own retention) and nothing changed
        assert response.status_code == 409, response.data
        assert "employee" in response.data["error"]["message"]
        assert api.call("GET", f"/candidates/{app_id}").data["name"].startswith("张")
        assert erasures(api, app_id) == []


def test_erasure_needs_hr_and_a_reason(api: Api, req_id: str) -> None:
    # Given an application
    app_id = api.call("POST", f"/requisitions/{req_id}/applications", body=person(10)).data["id"]
    # When HR sends no reason, or an empty one, then it is 400 naming the field
    for body in ({}, {"reason": "  "}):
        response = api.call("DELETE", f"/candidates/{app_id}", body=body)
        assert response.status_code == 400
        assert [d["field"] for d in response.data["error"]["details"]] == ["reason"]
    # When anyone else asks, then it is 403 before the body is looked at
    for role in ("manager", "interviewer", "it"):
        assert api.call("DELETE", f"/candidates/{app_id}", role=role, body=REASON).status_code == 403
    assert api.call("DELETE", f"/candidates/{app_id}", role=None, body=REASON).status_code == 401
    # And an unknown candidate is 404
    assert api.call("DELETE", "/candidates/does-not-exist", body=REASON).status_code == 404
    # And nothing was erased
    assert api.call("GET", f"/candidates/{app_id}").data["name"] == person(10)["name"]
    assert erasures(api, app_id) == []


def test_explanation_says_what_the_automated_assessment_said_and_who_decided(api: Api, req_id: str) -> None:
    # Given two scored applications; the first below the bar on expression (the requisition's bar is 75)
    app_id = api.call("POST", f"/requisitions/{req_id}/applications", body=person(11)).data["id"]
    other = api.call("POST", f"/requisitions/{req_id}/applications", body=person(12)).data["id"]
    assert deliver(api, canonical(req_id, application_id=app_id, expression=60)).status_code == 200
    assert deliver(api, canonical(req_id, application_id=other, logic=99)).status_code == 200
    # When HR reads the explanation
    response = api.call("GET", f"/applications/{app_id}/explanation")
    # Then it lists the screening matches, each dimension against the bar, the weighted score and rank
    assert response.status_code == 200, response.data
    got = response.data
    assert got["screening"]["proposal"] in ("advance", "reject") and "matched_required" in got["screening"]
    by_dim = {d["dimension"]: d for d in got["dimensions"]}
    assert by_dim["expression"] == {
        "dimension": "expression",
        "label_zh": "语言表达",
        "label_en": "Expression",
        "score": 60,
        "bar": 75,
        "meets_bar": False,
        "weight": 0.2,
    }
    assert by_dim["logic"]["meets_bar"] is True and by_dim["data_analysis"]["bar"] is None
    assert got["rank"] == 2 and got["scored"] == 2 and got["weighted_score"] > 0
    # And it says in both languages that no automated step rejected the candidate
    assert got["automated_rejection"] is False and got["ended_by"] is None
    assert got["human_decisions"] == []
    assert "语言表达 60，低于要求 75" in " ".join(got["summary_zh"])
    assert "Expression 60 (below the bar 75)" in " ".join(got["summary_en"])
    assert got["summary_en"][-1] == "No automated step rejected this candidate."
    assert "不会自动淘汰" in " ".join(got["summary_zh"])

    # When HR rejects the application, then the explanation names the human decision that ended it
    moved = api.call(
        "POST", f"/applications/{app_id}/transitions", body={"to": "rejected", "reason": "表达能力不足岗位要求"}
    )
    assert moved.status_code == 200, moved.data
    got = api.call("GET", f"/applications/{app_id}/explanation").data
    (decision,) = got["human_decisions"]
    assert decision | {"at": "-"} == {
        "at": "-",
        "actor": "hr.demo",
        "action": "stage.transition",
        "from_stage": "ai_interviewed",
        "to_stage": "rejected",
        "decision": None,
        "reason": "表达能力不足岗位要求",
    }
    assert got["ended_by"] == decision and got["automated_rejection"] is False
    assert "hr.demo" in got["summary_en"][-1] and "表达能力不足岗位要求" in got["summary_zh"][-1]


def test_explanation_is_for_hr_only(api: Api, req_id: str) -> None:
    # Given an application assigned to the interviewer, in the manager's department
    app_id = api.call("POST", f"/requisitions/{req_id}/applications", body=person(13)).data["id"]
    api.call("PUT", f"/applications/{app_id}/interviewers", body={"usernames": ["interviewer.demo"]})
    # Then everyone but HR is refused, and an unknown application is 404
    for role in ("manager", "interviewer", "it"):
        response = api.call("GET", f"/applications/{app_id}/explanation", role=role)
        assert response.status_code == 403 and set(response.data) == {"error"}
    assert api.call("GET", f"/applications/{app_id}/explanation", role=None).status_code == 401
    assert api.call("GET", "/applications/nope/explanation").status_code == 404


def put_video(app_id: str) -> str:
    key = f"videos/{app_id}/{'c' * 32}.mp4"
    boto3.client("s3", region_name=REGION).put_object(Bucket=get_settings().bucket_name, Key=key, Body=b"\x00v")
    return key


def tags(key: str) -> list[dict[str, str]]:
    out = boto3.client("s3", region_name=REGION).get_object_tagging(Bucket=get_settings().bucket_name, Key=key)
    return list(out["TagSet"])


def test_rejecting_or_withdrawing_tags_the_videos_for_lifecycle_expiry(api: Api, req_id: str) -> None:
    # Given three applications with a video each
    rejected, withdrawn, kept = (
        api.call("POST", f"/requisitions/{req_id}/applications", body=person(n)).data["id"] for n in (21, 22, 23)
    )
    keys = {app_id: put_video(app_id) for app_id in (rejected, withdrawn, kept)}
    # When HR rejects one and withdraws another
    for app_id, to in ((rejected, "rejected"), (withdrawn, "withdrawn")):
        moved = api.call("POST", f"/applications/{app_id}/transitions", body={"to": to, "reason": "不符合岗位要求"})
        assert moved.status_code == 200, moved.data
    # Then their videos carry the tag the bucket's lifecycle rule expires; the other's does not
    assert tags(keys[rejected]) == [{"Key": "retention", "Value": "unsuccessful"}]
    assert tags(keys[withdrawn]) == [{"Key": "retention", "Value": "unsuccessful"}]
    assert tags(keys[kept]) == []
    # (the lifecycle rule itself is asserted on the template: moto's CloudFormation does not apply it)
