"""NotificationQueue → ``notification_worker``: each message kind to its handler (``KINDS``).

Second-interview invitations (``invitation``), HR's decision on a supplementary assessment for the
requesting manager (``assessment_decision``), a manager's request for HR (``assessment_requested``),
HR's rejection told to the applicant (``rejection_notice``) and the probation state machine's messages
(``probation_*``, sent by infra/statemachines/probation.asl.json) share the queue.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from chalice.app import Blueprint, SQSEvent

from functions.batch import sqs_batch
from functions.observability import logger
from shared.models.assessment import AssessmentNotice, AssessmentRequested
from shared.models.probation import PROBATION_KINDS
from shared.models.selection import Invitation, RejectionNotice
from shared.services import wired
from shared.services.probation_messages import handle_probation_message

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

bp = Blueprint(__name__)

NOTIFICATION_QUEUE = "NotificationQueue"  # CloudFormation logical id (infra/template.json)


def invitation(body: str) -> None:
    message = Invitation.model_validate_json(body)
    outcome = wired.selection().send_invitation(message)
    logger.info("invitation", extra={"application_id": message.application_id, "outcome": outcome})


def assessment_decision(body: str) -> None:
    notice = AssessmentNotice.model_validate_json(body)
    sent = wired.assessments().send_notice(notice)
    logger.info("assessment notice", extra={"request_id": notice.request_id, "outcome": sent})


def assessment_requested(body: str) -> None:
    notice = AssessmentRequested.model_validate_json(body)
    sent = wired.assessments().send_request_notice(notice)
    logger.info("assessment request notice", extra={"request_id": notice.request_id, "outcome": sent})


def rejection_notice(body: str) -> None:
    notice = RejectionNotice.model_validate_json(body)
    sent = wired.rejections().send_notice(notice)
    logger.info("rejection notice", extra={"application_id": notice.application_id, "outcome": sent})


def probation(body: str) -> None:
    handle_probation_message(body)


KINDS: dict[str, Callable[[str], None]] = {
    "invitation": invitation,
    "assessment_decision": assessment_decision,
    "assessment_requested": assessment_requested,
    "rejection_notice": rejection_notice,
    **dict.fromkeys(sorted(PROBATION_KINDS), probation),
}
UNNAMED = "invitation"  # a message without a kind is an invitation (the queue's first kind)


def handle(record: SQSRecord) -> None:
    kind = json.loads(record.body).get("kind", UNNAMED)
    if kind not in KINDS:
        raise ValueError(f"no handler for notification kind {kind!r}")  # the message fails alone
    KINDS[kind](record.body)


@bp.on_sqs_message(queue=NOTIFICATION_QUEUE, batch_size=10, name="notification_worker")
def notification_worker(event: SQSEvent) -> dict[str, Any]:
    return sqs_batch(event, handle)
