"""A conditional put of a versioned item with its audit record, in one transaction.

``expected`` is the version the caller read: the put succeeds only if the stored item is still at
that version (or, with ``expected=None``, only if there is no stored item yet). Anything else is a
``Conflict`` — of two concurrent writers exactly one wins.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from shared.errors import Conflict
from shared.store import aws
from shared.store.items import serialize, value
from shared.store.repository import AuditEntry, Repository, unavailable


def put_versioned(
    repo: Repository, item: dict[str, Any], expected: int | None, audit: AuditEntry, conflict: str
) -> None:
    put: dict[str, Any] = {"TableName": repo.table_name, "Item": serialize(item)}
    if expected is None:
        put["ConditionExpression"] = "attribute_not_exists(pk)"
    else:
        put["ConditionExpression"] = "#v = :v"
        put["ExpressionAttributeNames"] = {"#v": "version"}
        put["ExpressionAttributeValues"] = {":v": value(expected)}
    try:
        aws.client("dynamodb").transact_write_items(
            TransactItems=[{"Put": put}, {"Put": {"TableName": repo.table_name, "Item": serialize(audit.item())}}]
        )
    except ClientError as exc:
        reasons = exc.response.get("CancellationReasons") or []
        if reasons and reasons[0].get("Code") == "ConditionalCheckFailed":
            raise Conflict(conflict, [{"field": "version", "message": "changed by someone else; reload"}]) from exc
        raise (unavailable(exc) or exc) from exc
