from __future__ import annotations

import io
from typing import Any

import pytest

from tests.sim.event import HiringEvent


def test_a_small_hiring_event_accounts_for_every_input(stack: Any, client: Any) -> None:
    # Given a hiring event of 120 applications (60 interviews) with a misbehaving vendor, through probation
    event = HiringEvent(client, stack, 120, seed=7)
    # When it runs through the product's handlers and consumers
    report = event.run()
    # Then every reconciliation check holds: nothing lost, nothing counted twice
    out = io.StringIO()
    report.print(out)
    assert report.ok, out.getvalue()
    assert report.counts["webhook deliveries"]["first → parked"] >= 1
    assert report.counts["import rows"]["rejected"] >= 1
    assert {s.name.split(":")[0] for s in report.stages} >= {"shortlist", "second interview", "probation"}
    # and every hire ran exactly one probation cycle to the manager's outcome
    hires = len(event.employees)
    assert hires >= 1
    assert report.checks["probation: hires with exactly one execution"] == (hires, hires)
    assert report.checks["probation: hires with the manager's outcome"] == (hires, hires)


def test_the_event_counts_its_aws_calls_by_stage_and_prices_them(stack: Any, client: Any) -> None:
    # Given a small hiring event, metered by botocore hooks on the product's clients
    event = HiringEvent(client, stack, 60, seed=11)
    assert event.run().ok
    calls = event.meter.calls
    # Then every webhook delivery went through API Gateway and a Lambda, and stored with DynamoDB
    deliveries = event.stage_items["webhooks"]
    assert calls["webhooks"]["apigateway.Request"] == deliveries
    # (one TransactWriteItems per signed delivery — the delivery record, the application check and the
    # history entry, or for a reference not imported yet the delivery record and the parked result after
    # one reference lookup; a bad signature costs no DynamoDB call)
    answers = event.report.counts["webhook deliveries"]
    signed = deliveries - answers["bad signature → 401"]
    assert calls["webhooks"]["dynamodb.PutItem"] == 0, answers
    assert calls["webhooks"]["dynamodb.TransactWriteItems"] == signed, answers
    # and each stored result was applied to its application by the stream consumer in one transaction
    applied = event.stage_items["project_results"]
    assert applied > 0 and calls["project_results"]["lambda.Invoke"] >= 1
    assert 1 <= calls["project_results"]["dynamodb.TransactWriteItems"] / applied <= 1.2
    # and the probation stage holds its state transitions and the state machine's own SDK calls
    assert calls["probation"]["states.StartExecution"] == len(event.employees)
    assert calls["probation"]["states.StateTransition"] >= 10 * len(event.employees)
    assert calls["probation"]["sqs.SendMessage (state machine)"] >= len(event.employees)
    # and the audit's own reads are kept apart from what is billed
    assert "reconciliation (the audit's own reads)" not in event.meter.billed_stages()
    # and the bill of a 100,000-applicant event is computed from capacity units, not only calls
    out = io.StringIO()
    total = event.print_figures(out)
    assert total > 0 and "DynamoDB" in out.getvalue() and "as of" in out.getvalue()
    assert event.meter.units["bulk_import"]["dynamodb WRU"] >= event.stage_items["bulk_import"]


def test_deliveries_planned_long_before_they_are_sent_are_still_signed_in_time(
    stack: Any, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    # Given a small event whose vendor planned its deliveries
    event = HiringEvent(client, stack, 60, seed=5)
    for step in (event.requisition, event.people, event.bulk_import, event.plan_webhooks):
        step()
    # When the deliveries go out ten minutes later (a big event sends for longer than the ±5 minutes
    # a signature is valid)
    later = time.time() + 600
    monkeypatch.setattr(time, "time", lambda: later)
    event.send_webhooks()
    # Then each was signed when it was sent: every answer is the expected one, bad keys refused
    answers = event.report.counts["webhook deliveries"]
    assert event.report.checks["webhooks: unexpected answers"] == (0, 0), answers
    assert answers["first → stored"] >= 1 and answers["bad signature → 401"] >= 1
