"""The consumers' dispatch tables (functions/consumers/): each message reaches its one handler."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from functions.consumers import notification_queue, object_events
from shared.models.probation import PROBATION_KINDS


def record(body: dict[str, Any]) -> SQSRecord:
    return SQSRecord({"messageId": "m1", "body": json.dumps(body), "attributes": {}})


@pytest.fixture
def handled(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every kind's handler replaced by one that notes what it got."""
    seen: list[tuple[str, str]] = []

    def noting(kind: str) -> Callable[[str], None]:
        return lambda body: seen.append((kind, body))

    for kind in notification_queue.KINDS:
        monkeypatch.setitem(notification_queue.KINDS, kind, noting(kind))
    return seen


def test_each_notification_kind_reaches_its_handler(handled: list[tuple[str, str]]) -> None:
    # Given one message of every kind the queue carries
    kinds = ["invitation", "assessment_decision", "assessment_requested", "rejection_notice"]
    kinds += sorted(PROBATION_KINDS)
    # When the consumer handles them
    for kind in kinds:
        notification_queue.handle(record({"kind": kind, "employee_id": "e1"}))
    # Then each went to the handler of its kind, with the body as sent
    assert [k for k, _ in handled] == kinds
    assert json.loads(handled[0][1]) == {"kind": "invitation", "employee_id": "e1"}


def test_a_message_without_a_kind_is_an_invitation_and_an_unknown_kind_fails_alone(
    handled: list[tuple[str, str]],
) -> None:
    notification_queue.handle(record({"application_id": "a1", "proposal_id": "p1"}))
    assert [k for k, _ in handled] == ["invitation"]
    with pytest.raises(ValueError, match="probation_party"):
        notification_queue.handle(record({"kind": "probation_party"}))
    assert len(handled) == 1


def test_the_object_events_rule_lists_exactly_the_prefixes_the_consumer_handles() -> None:
    keys = object_events.UPLOAD_EVENTS["detail"]["object"]["key"]  # type: ignore[index]
    assert [k["prefix"] for k in keys] == ["imports/", "resumes/", "videos/"] == list(object_events.OBJECTS)
