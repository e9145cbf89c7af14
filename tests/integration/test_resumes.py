"""Resume files: presigned upload, S3 event, text extraction and re-screening through the worker."""

from __future__ import annotations

import base64
import json

import boto3
import pytest
from chalice.test import Client

from tests.support.api import Api
from tests.support.docs import docx, pdf
from tests.support.events import s3_object_created
from tests.support.hiring import make
from tests.support.ids import person
from tests.support.spreadsheets import Importer
from tests.support.stack import REGION


@pytest.fixture
def importer(api: Api, client: Client) -> Importer:
    return Importer(api, client)


def upload_resume(importer: Importer, app_id: str, filename: str, data: bytes) -> dict:
    response = importer.api.call("POST", f"/applications/{app_id}/resume", body={"filename": filename})
    assert response.status_code == 201, response.data
    fields = response.data["upload"]["fields"]
    s3 = boto3.client("s3", region_name=REGION)
    etag = s3.put_object(Bucket=importer.env["BUCKET_NAME"], Key=fields["key"], Body=data)["ETag"]
    event = s3_object_created(importer.env["BUCKET_NAME"], fields["key"], etag, len(data))
    importer.deliver(event)
    return event


def test_docx_resume_turns_a_proposal_into_a_pass(importer: Importer) -> None:
    # Given an applicant whose typed resume lacks the required keywords
    req_id = make(importer.api).data["id"]
    app = importer.api.call("POST", f"/requisitions/{req_id}/applications", body=person(1, resume="见附件")).data
    assert app["stage"] == "applied"
    # When HR uploads the real resume as .docx
    event = upload_resume(importer, app["id"], "李明简历.docx", docx(["李明", "五年银行工作经历，持有CFA"]))
    # Then it is screened again from the file's text and now passes
    after = importer.api.call("GET", f"/applications/{app['id']}").data
    assert after["stage"] == "screened"
    assert after["screening"]["passed"] is True
    assert after["resume_file"] == event["detail"]["object"]["key"]
    # And a redelivered event changes nothing
    importer.deliver(event)
    assert importer.api.call("GET", f"/applications/{app['id']}").data["version"] == after["version"]


def test_pdf_resume_after_a_human_decision_keeps_the_decision(importer: Importer) -> None:
    req_id = make(importer.api).data["id"]
    app_id = importer.api.call("POST", f"/requisitions/{req_id}/applications", body=person(2, resume="见附件")).data[
        "id"
    ]
    importer.api.call(
        "POST",
        f"/requisitions/{req_id}/screening/decisions",
        body={"decisions": [{"application_id": app_id, "decision": "reject", "reason": "不符合"}]},
    )
    upload_resume(importer, app_id, "resume.pdf", pdf(["Bachelor of Finance, CFA", "bank experience"]))
    after = importer.api.call("GET", f"/applications/{app_id}").data
    assert after["stage"] == "rejected"
    assert after["screening"]["decision"] == "reject" and after["resume_file"].endswith(".pdf")


def test_unreadable_resume_is_recorded_not_lost(importer: Importer) -> None:
    req_id = make(importer.api).data["id"]
    app_id = importer.api.call("POST", f"/requisitions/{req_id}/applications", body=person(3)).data["id"]
    upload_resume(importer, app_id, "resume.docx", b"not a docx at all")
    after = importer.api.call("GET", f"/applications/{app_id}").data
    assert "not a readable .docx" in after["resume_file_error"]
    assert after["stage"] == "screened"


def test_resume_upload_policy_and_validation(importer: Importer) -> None:
    req_id = make(importer.api).data["id"]
    app_id = importer.api.call("POST", f"/requisitions/{req_id}/applications", body=person(4)).data["id"]
    response = importer.api.call("POST", f"/applications/{app_id}/resume", body={"filename": "cv.pdf"})
    policy = json.loads(base64.b64decode(response.data["upload"]["fields"]["policy"]))
    assert {"Content-Type": "application/pdf"} in policy["conditions"]
    assert ["content-length-range", 1, 10 * 1_048_576] in policy["conditions"]
    bad = importer.api.call("POST", f"/applications/{app_id}/resume", body={"filename": "cv.exe"})
    assert bad.status_code == 400 and bad.data["error"]["details"][0]["field"] == "filename"
    assert importer.api.call("POST", "/applications/nope/resume", body={"filename": "cv.pdf"}).status_code == 404
    assert (
        importer.api.call(
            "POST", f"/applications/{app_id}/resume", role="manager", body={"filename": "cv.pdf"}
        ).status_code
        == 403
    )
