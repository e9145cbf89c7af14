"""Onboarding: the teams' task boards. The consumer of signed offers and the daily run are in
``functions.consumers``."""

from __future__ import annotations

from typing import Any

from functions.http import Call, ok
from functions.verbs import Routes
from shared.models.tasks import ItTaskView, Task, TaskPage, TaskPatch, TaskQuery, TaskView
from shared.security.policy import Action, authorize
from shared.services.people import People

bp = Routes(__name__)


def task_view(task: Task, roles: frozenset[str]) -> ItTaskView:
    """IT (without HR) gets the provisioning view; HR and managers the full task."""
    if "hr" not in roles and "manager" not in roles:
        return ItTaskView.model_validate(task.model_dump())
    return TaskView.model_validate(task.model_dump())


# -- the task boards ------------------------------------------------------------------------------------
@bp.get("/onboarding/tasks", query=TaskQuery, response=TaskPage)
def list_tasks(call: Call[None, TaskQuery]) -> Any:
    """One team's onboarding tasks by due date, optionally of one status (hr: every team; it: team it).

    IT sees only what provisioning needs: name, department, title and role, start date, systems."""
    authorize(call.who, Action.onboarding_task_read)  # roles that may never read boards: 403 before parsing
    query = call.query
    page = People().board(call.who, query.team, query.status, query.limit, query.next_token)
    items = [task_view(Task.model_validate(i), call.who.roles).model_dump(mode="json") for i in page.items]
    return ok({"team": query.team.value, "status": query.status, "items": items, "next_token": page.next_token})


@bp.get("/onboarding/tasks/{task_id}", response=TaskView)
def get_task(call: Call, task_id: str) -> Any:
    """One task with its version (hr: every team; it: team it)."""
    return ok(task_view(People().task(call.who, task_id, Action.onboarding_task_read), call.who.roles))


@bp.patch("/onboarding/tasks/{task_id}", body=TaskPatch, response=TaskView)
def patch_task(call: Call[TaskPatch, None], task_id: str) -> Any:
    """Change a task's status, notes or assignee (hr: every team; it: team it), conditional on the
    version read: of two racing changes one wins, the other gets 409."""
    authorize(call.who, Action.onboarding_task_update)  # roles that may never change tasks: 403 before parsing
    task = People().patch_task(call.who, task_id, call.body, call.source_ip)
    return ok(task_view(task, call.who.roles))
