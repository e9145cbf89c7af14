"""Personal data never reaches the logs, on any path it travels."""

from __future__ import annotations

import json

import pytest
from chalice.test import Client

from tests.support.api import Api
from tests.support.events import drain
from tests.support.hiring import INTERVIEW, make, scored_apps
from tests.support.ids import person
from tests.support.logs import structured_logs
from tests.support.mail import sent_mail
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


def test_the_consumers_log_ids_and_outcomes_but_no_personal_data(api: Api, client: Client, req_id: str) -> None:
    # Given scored applicants (their results projected by the table stream's consumer)
    with structured_logs() as lines:
        scored_apps(api, req_id, 4)
        # When HR confirms a shortlist and the notification consumer mails the invitations
        proposal = api.call("POST", f"/requisitions/{req_id}/shortlist").data
        confirm = {"proposal_id": proposal["proposal_id"], "interview": INTERVIEW}
        assert api.call("POST", f"/requisitions/{req_id}/shortlist/confirm", body=confirm).status_code == 200
        drain(
            lambda e: client.lambda_.invoke("notification_worker", e).payload, api.stack.env["NOTIFICATION_QUEUE_URL"]
        )
    assert sent_mail()

    # Then the consumers did log (each line with its function and correlation id) ...
    functions = {line.get("function_name") for line in lines}
    assert {"api_handler", "project_results", "notification_worker"} <= functions
    consumer_lines = [line for line in lines if line.get("function_name") != "api_handler"]
    assert consumer_lines and all(line.get("correlation_id") for line in consumer_lines)
    # ... and no applicant's name, national id, phone or e-mail address is in any line
    logged = json.dumps(lines, ensure_ascii=False)
    for n in range(100, 104):
        for field in ("name", "national_id", "phone", "email"):
            assert person(n)[field] not in logged, f"{field} leaked into the logs"
