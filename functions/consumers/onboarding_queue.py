"""OnboardingQueue → ``onboarding_worker``: a signed offer becomes an employee with onboarding tasks,
a welcome pack and a training plan (one message per signed offer, sent by the offer's outbox)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice.app import Blueprint, SQSEvent
from pydantic import ValidationError

from functions.batch import sqs_batch
from functions.observability import logger, metric
from shared.models.onboarding import OnboardingRequest
from shared.services.onboarding import Onboarding

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

bp = Blueprint(__name__)

ONBOARDING_QUEUE = "OnboardingQueue"  # CloudFormation logical id (infra/template.json)


def handle(record: SQSRecord) -> None:
    try:
        message = OnboardingRequest.model_validate_json(record.body)
    except ValidationError as exc:
        # fields and error types only: the message is personal data
        problems = [{"field": ".".join(map(str, e["loc"])), "type": e["type"]} for e in exc.errors()]
        logger.error("invalid onboarding message", extra={"message_id": record.message_id, "problems": problems})
        raise
    outcome = Onboarding().onboard(message)
    metric("OnboardingMessages", "onboarded" if outcome.created else "duplicate")
    logger.info(
        "onboarded",
        extra={
            "message_id": record.message_id,
            "offer_id": message.offer_id,
            "employee_id": outcome.employee_id,
            "new_employee": outcome.created,
            "welcome": outcome.welcome,
            "training_plan": outcome.training_plan,
        },
    )


@bp.on_sqs_message(queue=ONBOARDING_QUEUE, batch_size=10, name="onboarding_worker")
def onboarding_worker(event: SQSEvent) -> dict[str, Any]:
    """Partial batch responses: a failing message is reported alone and retried, then dead-lettered."""
    return sqs_batch(event, handle)
