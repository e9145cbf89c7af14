"""Onboarding: the consumer of signed offers, the daily schedule, and the teams' task boards."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from chalice.app import Blueprint, Rate, SQSEvent
from pydantic import ValidationError

from functions.batch import sqs_batch
from functions.http import Call, api_route, logger, ok
from shared.models.onboarding import OnboardingRequest
from shared.models.tasks import ItTaskView, Task, TaskPage, TaskPatch, TaskQuery, TaskView
from shared.security.policy import Action, authorize
from shared.services.onboarding import Onboarding
from shared.services.people import People

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

bp = Blueprint(__name__)

ONBOARDING_QUEUE = "OnboardingQueue"  # CloudFormation logical id (infra/template.json)


def task_view(task: Task, roles: frozenset[str]) -> ItTaskView:
    """IT (without HR) gets the provisioning view; HR and managers the full task."""
    if "hr" not in roles and "manager" not in roles:
        return ItTaskView.model_validate(task.model_dump())
    return TaskView.model_validate(task.model_dump())


# -- the consumer ------------------------------------------------------------------------------------
def _handle(record: SQSRecord) -> None:
    try:
        message = OnboardingRequest.model_validate_json(record.body)
    except ValidationError as exc:
        # fields and error types only: the message is personal data
        problems = [{"field": ".".join(map(str, e["loc"])), "type": e["type"]} for e in exc.errors()]
        logger.error("invalid onboarding message", extra={"message_id": record.message_id, "problems": problems})
        raise
    outcome = Onboarding().onboard(message)
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
    return sqs_batch(event, _handle)


# -- the daily schedule ---------------------------------------------------------------------------------
def event_day(event: Any) -> date:
    """The schedule's day (UTC) from the event's ``time``, so a replay acts for the day it was due."""
    raw = getattr(event, "time", None) or (event.get("time") if isinstance(event, dict) else None)
    if raw:
        return datetime.fromisoformat(str(raw).replace("Z", "+00:00")).astimezone(UTC).date()
    return datetime.now(UTC).date()


@bp.schedule(Rate(1, unit=Rate.DAYS), name="onboarding_daily")
def onboarding_daily(event: Any) -> dict[str, int]:
    """Escalate tasks overdue before the start date (once) and remind managers of due reassessments."""
    counts = Onboarding().daily(event_day(event))
    logger.info("onboarding daily", extra=counts)
    return counts


# -- the task boards ------------------------------------------------------------------------------------
@api_route(bp, "/onboarding/tasks", methods=["GET"], query=TaskQuery, response=TaskPage)
def list_tasks(call: Call[None, TaskQuery]) -> Any:
    """One team's onboarding tasks by due date, optionally of one status (hr: every team; it: team it).

    IT sees only what provisioning needs: name, department, title and role, start date, systems."""
    who = call.who
    authorize(who, Action.onboarding_task_read)  # roles that may never read boards: 403 before parsing
    query = call.query
    page = People().board(who, query.team, query.status, query.limit, query.next_token)
    items = [task_view(Task.model_validate(i), who.roles).model_dump(mode="json") for i in page.items]
    return ok({"team": query.team.value, "status": query.status, "items": items, "next_token": page.next_token})


@api_route(bp, "/onboarding/tasks/{task_id}", methods=["GET"], response=TaskView)
def get_task(call: Call, task_id: str) -> Any:
    """One task with its version (hr: every team; it: team it)."""
    who = call.who
    return ok(task_view(People().task(who, task_id, Action.onboarding_task_read), who.roles))


@api_route(bp, "/onboarding/tasks/{task_id}", methods=["PATCH"], body=TaskPatch, response=TaskView)
def patch_task(call: Call[TaskPatch, None], task_id: str) -> Any:
    """Change a task's status, notes or assignee (hr: every team; it: team it), conditional on the
    version read: of two racing changes one wins, the other gets 409."""
    who = call.who
    authorize(who, Action.onboarding_task_update)  # roles that may never change tasks: 403 before parsing
    body = call.body
    task = People().patch_task(who, task_id, body, call.source_ip)
    return ok(task_view(task, who.roles))
