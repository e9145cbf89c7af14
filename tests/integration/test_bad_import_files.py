"""Bad files through the WHOLE import pipeline, uploaded the way a real import is: ``POST /imports``
→ the file in S3 → the S3 object event (``object_created``) → the SQS ``import_worker`` parses it
→ row chunks → applications. A bad file ends the import ``failed`` with a clear reason (or its rows
rejected), creates no application, and the worker neither crashes nor leaves a message to retry.
Rows with formula-injection cells that do get imported come back out of every download neutralised."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

import boto3
import pytest
from chalice.test import Client
from openpyxl import load_workbook

from tests.support.api import Api
from tests.support.events import drain
from tests.support.ids import person
from tests.support.spreadsheets import Importer, csv_bytes, rows_for
from tests.support.stack import REGION

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class WatchedImporter(Importer):
    """The importer of test_imports, recording every worker answer (to see failures and retries)."""

    def __init__(self, api: Api, client: Client) -> None:
        super().__init__(api, client)
        self.failures: list[dict[str, Any]] = []

    def drain(self) -> None:
        def invoke(event: dict[str, Any]) -> Any:
            payload = self.client.lambda_.invoke("import_worker", event).payload
            self.failures += (payload or {}).get("batchItemFailures", [])
            return payload

        drain(invoke, self.env["IMPORT_QUEUE_URL"])

    def queue_left(self) -> int:
        attributes = boto3.client("sqs", region_name=REGION).get_queue_attributes(
            QueueUrl=self.env["IMPORT_QUEUE_URL"],
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )["Attributes"]
        return int(attributes["ApproximateNumberOfMessages"]) + int(attributes["ApproximateNumberOfMessagesNotVisible"])


@pytest.fixture
def importer(api: Api, client: Client) -> WatchedImporter:
    return WatchedImporter(api, client)


def zip_bomb() -> bytes:
    """A few KB that inflate to 64 MiB: one worksheet of zeros, next to the parts a workbook has."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (64 * 1_048_576))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("filename", "data", "reason"),
    [
        ("applicants.xlsx", zip_bomb(), "zip bomb"),
        ("applicants.xlsx", b"PK\x03\x04\x14\x00\x00\x00 truncated central directory", "not a readable .xlsx"),
        ("applicants.xlsx", csv_bytes(rows_for([person(1)])), "not a readable .xlsx"),  # a CSV renamed .xlsx
        ("applicants.csv", csv_bytes(rows_for([person(2)]), encoding="utf-16"), "neither UTF-8 nor GBK"),
        ("applicants.csv", "姓名,邮箱\n张三,a@b.cn\n".encode("utf-32"), "neither UTF-8 nor GBK"),
    ],
    ids=["zip-bomb-as-xlsx", "malformed-xlsx", "csv-renamed-xlsx", "utf16-csv", "utf32-csv"],
)
def test_a_bad_file_fails_the_import_with_a_reason_and_creates_nothing(
    importer: WatchedImporter, req_id: str, monkeypatch: pytest.MonkeyPatch, filename: str, data: bytes, reason: str
) -> None:
    # Given an import started by HR (a bomb must never reach openpyxl)
    if reason == "zip bomb":
        assert len(data) < 200_000
        monkeypatch.setattr("openpyxl.load_workbook", lambda *a, **k: pytest.fail("the bomb reached openpyxl"))
    job = importer.start(req_id, filename)
    # When the file is uploaded and the S3 event runs the pipeline
    importer.upload(job, data)
    # Then the import failed with the reason, no application exists, and the worker neither failed a
    # message nor left one to be retried
    status = importer.status(job["id"])
    assert status["state"] == "failed", status
    assert reason in status["failure"]
    assert importer.api.call("GET", f"/requisitions/{req_id}/applications").data["items"] == []
    assert importer.failures == []
    assert importer.queue_left() == 0


FORMULAS = ['=HYPERLINK("http://evil.example","点击")', "+86-cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)"]


def test_formula_injection_cells_are_neutralised_in_every_download(importer: WatchedImporter, req_id: str) -> None:
    # Given a CSV whose text cells start with =, +, - and @
    people = [dict(person(60 + i), name=f, education=f) for i, f in enumerate(FORMULAS)]
    job = importer.start(req_id, "applicants.csv")
    # When it is imported
    importer.upload(job, csv_bytes(rows_for(people)))
    status = importer.status(job["id"])
    assert status["state"] == "completed" and status["accepted"] + status["rejected"] == len(FORMULAS), status
    assert importer.failures == [] and importer.queue_left() == 0
    path = f"/requisitions/{req_id}/applications"
    assert len(importer.api.call("GET", path).data["items"]) == status["accepted"] > 0
    # Then the CSV download writes every such cell with a leading ' (a spreadsheet shows it as text)
    download = importer.api.client.http.request(
        "GET", path, headers={**importer.api.stack.auth("hr"), "Accept": "text/csv"}
    )
    assert download.status_code == 200 and download.headers["Content-Type"].startswith("text/csv")
    cells = [cell for row in csv.reader(io.StringIO(download.body.decode("utf-8-sig"))) for cell in row]
    assert_neutralised(cells)
    # And so does the XLSX download
    download = importer.api.client.http.request("GET", path, headers={**importer.api.stack.auth("hr"), "Accept": XLSX})
    assert download.status_code == 200
    book = load_workbook(io.BytesIO(download.body), read_only=True)
    cells = [str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert_neutralised(cells)


def assert_neutralised(cells: list[str]) -> None:
    dangerous = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert dangerous == [], dangerous
    assert any(c.startswith("'=HYPERLINK") for c in cells), "the formula cells were exported"
