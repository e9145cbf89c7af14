"""The probation state machine's NotificationQueue messages, for the queue's consumer."""

from __future__ import annotations

from aws_lambda_powertools import Logger

from shared.models.probation import ProbationMessage

logger = Logger(child=True)


def handle_probation_message(body: str) -> str:
    from shared.services.probation import ProbationService

    message = ProbationMessage.model_validate_json(body)
    outcome = ProbationService().handle(message)
    logger.info(
        "probation message", extra={"kind": message.kind, "employee_id": message.employee_id, "outcome": outcome}
    )
    return outcome
