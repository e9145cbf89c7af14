"""Interviewer assignments as lookup items, so an interviewer's list is one Query (no Scan).

``pk = INTERVIEWER#<username>``, ``sk = APP#<application id>``: written, and removed, in the same
transaction that changes the application's ``interviewers`` (``PUT /applications/{id}/interviewers``).
The application's own ``interviewers`` list stays the authority for access; this item only lists.
"""

from __future__ import annotations

from typing import Any

from shared.models.application import Application
from shared.store.table import Page, Table

PREFIX = "INTERVIEWER#"


def key(username: str, application_id: str) -> dict[str, str]:
    return {"pk": f"{PREFIX}{username}", "sk": f"APP#{application_id}"}


def transaction_items(
    table: Table, app: Application, before: list[str], after: list[str], title: str, by: str, at: str
) -> list[dict[str, Any]]:
    """Put a lookup item for each interviewer newly assigned, delete those of the ones removed."""
    items: list[dict[str, Any]] = []
    for username in sorted(set(after) - set(before)):
        item = {
            **key(username, app.id),
            "type": "interviewer_assignment",
            "username": username,
            "application_id": app.id,
            "requisition_id": app.requisition_id,
            "requisition_title": title,
            "department": app.department,
            "name": app.name,
            "assigned_by": by,
            "assigned_at": at,
        }
        items.append(table.put_op(item))
    for username in sorted(set(before) - set(after)):
        items.append(table.delete_op(key(username, app.id)))
    return items


def assigned_to(table: Table, username: str, limit: int, token: str | None) -> Page:
    """The applications assigned to ``username``, by application id (one Query on its partition)."""
    return table.query(f"{PREFIX}{username}", sk_prefix="APP#", limit=limit, token=token)


def current_stages(table: Table, application_ids: list[str]) -> dict[str, str]:
    """The stage of each application now: one BatchGetItem of their ``META`` items (≤ 100 ids, the
    page size), projecting only the id and stage."""
    keys = [{"pk": f"APP#{i}", "sk": "META"} for i in dict.fromkeys(application_ids)]
    found = table.get_many(keys, projection="id, #s", names={"#s": "stage"})
    return {str(item["id"]): str(item["stage"]) for item in found}
