"""Interviewer assignments as lookup items, so an interviewer's list is one Query (no Scan).

``pk = INTERVIEWER#<username>``, ``sk = APP#<application id>``: written, and removed, in the same
transaction that changes the application's ``interviewers`` (``PUT /applications/{id}/interviewers``).
The application's own ``interviewers`` list stays the authority for access; this item only lists.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from shared.models.application import Application
from shared.store import aws
from shared.store.failures import unavailable
from shared.store.items import deserialize, serialize
from shared.store.repository import Repository
from shared.store.table import Page

PREFIX = "INTERVIEWER#"


def key(username: str, application_id: str) -> dict[str, str]:
    return {"pk": f"{PREFIX}{username}", "sk": f"APP#{application_id}"}


def transaction_items(
    table: str, app: Application, before: list[str], after: list[str], title: str, by: str, at: str
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
        items.append({"Put": {"TableName": table, "Item": serialize(item)}})
    for username in sorted(set(before) - set(after)):
        items.append({"Delete": {"TableName": table, "Key": serialize(key(username, app.id))}})
    return items


def assigned_to(repo: Repository, username: str, limit: int, token: str | None) -> Page:
    """The applications assigned to ``username``, by application id (one Query on its partition)."""
    return repo.query(f"{PREFIX}{username}", sk_prefix="APP#", limit=limit, token=token)


def current_stages(repo: Repository, application_ids: list[str]) -> dict[str, str]:
    """The stage of each application now: one BatchGetItem of their ``META`` items (≤ 100 ids, the
    page size), projecting only the id and stage."""
    ddb = aws.client("dynamodb")
    stages: dict[str, str] = {}
    keys = [serialize({"pk": f"APP#{i}", "sk": "META"}) for i in dict.fromkeys(application_ids)]
    for start in range(0, len(keys), 100):
        request: dict[str, Any] = {
            repo.table_name: {
                "Keys": keys[start : start + 100],
                "ProjectionExpression": "id, #s",
                "ExpressionAttributeNames": {"#s": "stage"},
            }
        }
        while request:
            try:
                out = ddb.batch_get_item(RequestItems=request)
            except ClientError as exc:
                raise (unavailable(exc) or exc) from exc
            for raw in out.get("Responses", {}).get(repo.table_name, []):
                item = deserialize(raw)
                stages[str(item["id"])] = str(item["stage"])
            request = out.get("UnprocessedKeys") or {}
    return stages
