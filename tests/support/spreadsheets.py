"""Bulk imports in tests: applicant spreadsheets (CSV, Excel) with the Chinese header HR's exports
have, and the import flow (presigned upload, the S3 object event, the SQS worker) driven by hand."""

from __future__ import annotations

import csv
import io
from typing import Any

import boto3
from chalice.test import Client

from tests.support.api import Api
from tests.support.events import drain, s3_object_created
from tests.support.stack import REGION

HEADER_ZH = ["姓名", "邮箱", "手机号", "身份证号", "学历", "简历内容", "序号"]
FIELDS = ["name", "email", "phone", "national_id", "education", "resume_text"]


def rows_for(people: list[dict[str, str]]) -> list[list[str]]:
    """Spreadsheet rows of ``tests.support.ids.person`` records, numbered from 0."""
    return [[p[f] for f in FIELDS] + [str(i)] for i, p in enumerate(people)]


def xlsx_bytes(rows: list[list[Any]], header: list[str] = HEADER_ZH) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8", header: list[str] = HEADER_ZH) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


class Importer:
    """An import job from start to its rows: what the console and the two Lambdas do, by hand."""

    def __init__(self, api: Api, client: Client) -> None:
        self.api = api
        self.client = client
        self.env = api.stack.env
        self.s3 = boto3.client("s3", region_name=REGION)

    def start(self, req_id: str, filename: str) -> dict[str, Any]:
        response = self.api.call("POST", "/imports", body={"requisition_id": req_id, "filename": filename})
        assert response.status_code == 201, response.data
        return dict(response.data)

    def upload(self, job: dict[str, Any], data: bytes, deliver_event: bool = True) -> dict[str, Any]:
        key = job["upload"]["fields"]["key"]
        etag = self.s3.put_object(Bucket=self.env["BUCKET_NAME"], Key=key, Body=data)["ETag"]
        event = s3_object_created(self.env["BUCKET_NAME"], key, etag, len(data))
        if deliver_event:
            self.deliver(event)
        return event

    def deliver(self, event: dict[str, Any]) -> None:
        self.client.lambda_.invoke("object_created", event)
        self.drain()

    def drain(self) -> None:
        drain(lambda e: self.client.lambda_.invoke("import_worker", e).payload, self.env["IMPORT_QUEUE_URL"])

    def status(self, import_id: str) -> dict[str, Any]:
        return dict(self.api.call("GET", f"/imports/{import_id}").data)

    def rows(self, import_id: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        token = ""
        while True:
            page = self.api.call(
                "GET", f"/imports/{import_id}/rows?limit=50" + (f"&next_token={token}" if token else "")
            ).data
            items += page["items"]
            token = page["next_token"]
            if not token:
                return items
