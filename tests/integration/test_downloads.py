"""Every list HR sees downloads as CSV or XLSX (``Accept``), with the same role-shaped rows as JSON."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import load_workbook

from shared.domain.exports import XLSX
from tests.support.api import Api
from tests.support.hiring import make, new_app


def download(api: Api, path: str, accept: str) -> Any:
    headers = {"Accept": accept, **api.stack.auth("hr")}
    return api.client.http.request("GET", path, headers=headers, body=b"")


def test_the_applicant_list_downloads_as_csv_and_xlsx_with_formulas_neutralised(api: Api) -> None:
    # Given a requisition with two applicants, one of them with a name that looks like a formula
    req_id = make(api).data["id"]
    new_app(api, req_id, 1)
    new_app(api, req_id, 2, name='=HYPERLINK("http://x")')
    listed = api.call("GET", f"/requisitions/{req_id}/applications").data["items"]

    # When HR asks for the list as CSV
    response = download(api, f"/requisitions/{req_id}/applications", "text/csv")
    # Then it is a CSV attachment with a row per applicant, the same columns as the JSON items
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert 'filename="requisitions-applications.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.body.decode("utf-8-sig"))))
    assert sorted(r["id"] for r in rows) == sorted(i["id"] for i in listed)
    assert set(rows[0]) == set(listed[0])
    # And a cell that would run as a formula is text
    assert '\'=HYPERLINK("http://x")' in {r["name"] for r in rows}

    # When HR asks for it as XLSX
    response = download(api, f"/requisitions/{req_id}/applications", XLSX)
    # Then the workbook opens and holds the same rows
    assert response.status_code == 200 and response.headers["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.body), read_only=True).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 1 + len(listed)
    assert set(values[0]) == set(listed[0])


def test_a_refused_or_invalid_list_request_stays_a_json_error(api: Api) -> None:
    # Given a requisition
    req_id = make(api).data["id"]
    # When a role that may not read it asks for a download, or HR sends a bad query
    refused = api.call("GET", f"/requisitions/{req_id}/applications", role="it", headers={"Accept": "text/csv"})
    bad = api.call("GET", f"/requisitions/{req_id}/applications?limit=0", headers={"Accept": "text/csv"})
    # Then they are the usual JSON errors, not downloads
    assert refused.status_code == 403 and refused.data["error"]["code"] == "forbidden"
    assert bad.status_code == 400 and bad.data["error"]["details"][0]["field"] == "limit"
