"""Business metrics as CloudWatch embedded metrics (powertools, ``functions/observability.py``): one
namespace, the outcome as the only dimension besides the service, never an id."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from chalice.test import Client

from functions.observability import BUSINESS_METRICS, NAMESPACE, OUTCOME, SERVICE
from tests.support.api import Api
from tests.support.hiring import deliver, new_app
from tests.support.ids import person
from tests.support.spreadsheets import Importer, csv_bytes, rows_for
from tests.support.webhooks import canonical


def _emitted(captured: str) -> list[dict[str, Any]]:
    """The EMF documents among the captured output lines."""
    documents = [json.loads(line) for line in captured.splitlines() if line.startswith('{"_aws"')]
    return [d for d in documents if d["_aws"]["CloudWatchMetrics"][0]["Namespace"] == NAMESPACE]


def _totals(documents: list[dict[str, Any]]) -> Counter[tuple[str, str | None]]:
    totals: Counter[tuple[str, str | None]] = Counter()
    for document in documents:
        for definition in document["_aws"]["CloudWatchMetrics"][0]["Metrics"]:
            name = definition["Name"]
            if name in BUSINESS_METRICS:
                totals[(name, document.get(OUTCOME))] += int(
                    sum(document[name]) if isinstance(document[name], list) else document[name]
                )
    return totals


def test_deliveries_and_import_rows_are_counted_by_outcome_with_low_cardinality_dimensions(
    api: Api, client: Client, req_id: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given an application, and a spreadsheet of two good rows, one repeated and one invalid
    app = new_app(api, req_id)
    good = [person(n) for n in range(300, 302)]
    bad = dict(person(302), national_id="110105194912310021")
    capsys.readouterr()

    # When the vendor delivers a result twice, once with a bad signature, and HR imports the sheet
    body = canonical(req_id, application_id=app["id"])
    assert deliver(api, body, webhook_id="msg_counted").status_code == 200
    assert deliver(api, body, webhook_id="msg_counted").status_code == 200
    assert deliver(api, body, webhook_id="msg_forged", secret="whsec_" + "A" * 32).status_code == 401
    importer = Importer(api, client)
    job = importer.start(req_id, "people.csv")
    importer.upload(job, csv_bytes(rows_for([*good, good[0], bad])))
    assert importer.status(job["id"])["processed_rows"] == 4
    documents = _emitted(capsys.readouterr().out)

    # Then each outcome was counted once per event
    totals = _totals(documents)
    assert totals[("Deliveries", "stored")] == 1
    assert totals[("Deliveries", "duplicate")] == 1
    assert totals[("Deliveries", "refused_signature")] == 1
    assert totals[("ImportRows", "accepted")] == 2
    assert totals[("ImportRows", "duplicate")] == 1
    assert totals[("ImportRows", "rejected")] == 1
    # and every business datum has the one namespace and no dimension but the service and the outcome
    business = [d for d in documents if set(d) & set(BUSINESS_METRICS)]
    assert business
    for document in business:
        (dimensions,) = document["_aws"]["CloudWatchMetrics"][0]["Dimensions"]
        assert set(dimensions) <= {"service", OUTCOME}
        assert document["service"] == SERVICE
        assert document.get(OUTCOME) in {None, *(o for outcomes in BUSINESS_METRICS.values() for o in outcomes)}


def test_an_unknown_metric_or_outcome_is_refused() -> None:
    from functions.observability import metric

    # When code names a metric or an outcome outside the catalogue (an id, a typo), Then it fails
    for name, outcome in (
        ("Deliveries", "app_123"),
        ("Delivery", "stored"),
        ("OffersSigned", "stored"),
        ("Deliveries", None),
    ):
        with pytest.raises(ValueError, match="BUSINESS_METRICS"):
            metric(name, outcome)
