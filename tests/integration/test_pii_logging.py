"""Personal data never reaches the logs, on any path it travels."""

from __future__ import annotations

import pytest
from chalice.test import Client

from tests.support.api import Api
from tests.support.hiring import make
from tests.support.ids import person
from tests.support.spreadsheets import Importer, csv_bytes, rows_for


def test_national_ids_phones_and_emails_stay_out_of_logs(
    api: Api, client: Client, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    # Given applicants with personal data, some valid and some not
    good = [person(n) for n in range(900, 903)]
    bad = dict(person(903), national_id="110105194912310021", phone="not a phone")
    req_id = make(api).data["id"]
    importer = Importer(api, client)
    # When they travel through the API (accepted, duplicate, invalid) and a bulk import with bad rows
    api.call("POST", f"/requisitions/{req_id}/applications", body=good[0])
    api.call("POST", f"/requisitions/{req_id}/applications", body=good[0])
    api.call("POST", f"/requisitions/{req_id}/applications", body=bad)
    job = importer.start(req_id, "people.csv")
    importer.upload(job, csv_bytes(rows_for([*good, bad])))
    assert importer.status(job["id"])["processed_rows"] == 4
    # Then none of their identifiers appear in anything logged
    out, err = capfd.readouterr()
    logged = out + err + caplog.text
    assert "request" in logged  # the logs were captured
    for p in [*good, bad]:
        for field in ("national_id", "phone", "email"):
            assert p[field] not in logged, f"{field} leaked into the logs"
