"""NotificationQueue → ``notification_worker``: each message kind to its handler (``KINDS``).

Second-interview invitations (``invitation``), HR's decision on a supplementary assessment for the
requesting manager (``assessment_decision``), a manager's request for HR (``assessment_requested``),
HR's rejection told to the applicant (``rejection_notice``) and the probation state machine's messages
(``probation_*``, sent by infra/statemachines/probation.asl.json) share the queue.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from chalice.app import Blueprint, SQSEvent
from pydantic import BaseModel

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
M = TypeVar("M", bound=BaseModel)

NOTIFICATION_QUEUE = "NotificationQueue"  # CloudFormation logical id (infra/template.json)


def mail(model: type[M], send: Callable[[M], str], what: str, subject: str) -> Callable[[str], None]:
    """The handler of a kind that is one mail: the body as ``model``, handed to ``send`` (a service that
    sends it at most once); the outcome logged as ``what`` with the message's ``subject`` field."""

    def handle(body: str) -> None:
        message = model.model_validate_json(body)
        outcome = send(message)
        logger.info(what, extra={subject: getattr(message, subject), "outcome": outcome})

    return handle


def probation(body: str) -> None:
    handle_probation_message(body)


KINDS: dict[str, Callable[[str], None]] = {
    "invitation": mail(Invitation, lambda m: wired.selection().send_invitation(m), "invitation", "application_id"),
    "assessment_decision": mail(
        AssessmentNotice, lambda m: wired.assessments().send_notice(m), "assessment notice", "request_id"
    ),
    "assessment_requested": mail(
        AssessmentRequested,
        lambda m: wired.assessments().send_request_notice(m),
        "assessment request notice",
        "request_id",
    ),
    "rejection_notice": mail(
        RejectionNotice, lambda m: wired.rejections().send_notice(m), "rejection notice", "application_id"
    ),
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
