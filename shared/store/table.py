"""The persistence kernel: every operation on the talent table, written once.

Every store of the talent table is built on ``Table``:

* reads — ``get_item`` (``get_model``: validated as a model) and ``query`` (one page, an opaque
  ``next_token``) treat an item past its ``expires_at`` as absent (TTL deletes lazily); ``query_all``
  reads every page; ``count`` is a ``Select=COUNT`` Query over every page; ``get_many`` is
  BatchGetItem, 100 keys a call;
* writes — ``transact`` (one ``TransactWriteItems``), ``write_versioned`` (whole items conditional on
  the version read — or on being new — with the audit record, in one transaction: ``Conflict`` when
  someone else wrote first), ``put_new`` (a transaction whose first item must be new: False when it
  is not, and nothing is written), ``write`` (one item's op on its own; ``put_item`` and
  ``delete_item`` for short), ``batch_write`` / ``put_all`` (25 a call, unprocessed items sent again
  with backoff);
* transaction items — ``put_op``, ``new_op``, ``versioned_op``, ``update_op``, ``delete_op``,
  ``check_op``, ``audit_op``.

A refused call is mapped in one place (``shared/store/failures.py``): a failed condition raises
``ConditionFailed`` (the store decides what it means: a duplicate, a ``Conflict``), throttling or a
concurrent transaction ``ServiceUnavailable``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from botocore.exceptions import ClientError

from shared.clock import wall
from shared.errors import Conflict, ServiceUnavailable, ValidationFailed
from shared.settings import get_settings
from shared.store import aws, retention
from shared.store.failures import ConditionFailed, condition_failed, unavailable
from shared.store.items import decode_token, deserialize, encode_token, serialize, value

if TYPE_CHECKING:
    from pydantic import BaseModel

M = TypeVar("M", bound="BaseModel")
INDEX_KEYS = {
    "gsi1": {"pk", "sk", "gsi1pk", "gsi1sk"},
    "gsi2": {"pk", "sk", "gsi2pk", "gsi2sk"},
    "gsi3": {"pk", "sk", "gsi3pk", "gsi3sk"},
    None: {"pk", "sk"},
}
NEW = "attribute_not_exists(pk)"
VERSION_CHANGED = ({"field": "version", "message": "changed by someone else; reload"},)
BATCH_GET = 100
BATCH_WRITE = 25
GET_ATTEMPTS = 10
WRITE_ATTEMPTS = 8
SINGLE = {"Put": "put_item", "Update": "update_item", "Delete": "delete_item"}


class Record(Protocol):
    """What a transaction writes beside its items (an ``AuditEntry``)."""

    def item(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    next_token: str | None


def _foreign_token() -> ValidationFailed:
    return ValidationFailed(
        "next_token is not valid", [{"field": "next_token", "message": "belongs to another listing"}]
    )


class Table:
    """The talent table (single-table design; its key layouts are documented per store module)."""

    def __init__(self, table_name: str | None = None) -> None:
        self.table_name = table_name or get_settings().table_name

    @property
    def _ddb(self) -> Any:
        return aws.client("dynamodb")

    def _call(self, operation: str, **kwargs: Any) -> dict[str, Any]:
        try:
            out: dict[str, Any] = getattr(self._ddb, operation)(**kwargs)
        except ClientError as exc:
            failed = condition_failed(exc)
            if failed is not None:
                raise failed from exc
            busy = unavailable(exc)
            if busy is not None:
                raise busy from exc
            raise
        return out

    # -- reads ---------------------------------------------------------------------------------------
    def get_item(self, pk: str, sk: str) -> dict[str, Any] | None:
        out = self._call("get_item", TableName=self.table_name, Key=serialize({"pk": pk, "sk": sk}))
        item = out.get("Item")
        found = deserialize(item) if item else None
        return None if found is None or retention.is_expired(found) else found

    def get_model(self, model: type[M], pk: str, sk: str) -> M | None:
        """The item at ``pk`` / ``sk`` as ``model``, or None (absent or expired)."""
        item = self.get_item(pk, sk)
        return model.model_validate(item) if item else None

    def _query(
        self,
        pk_value: str,
        index: str | None,
        *,
        sk_prefix: str | None = None,
        sk_below: str | None = None,
        sk_above: str | None = None,
        fresh: bool = True,
    ) -> dict[str, Any]:
        """A Query's arguments: the partition, at most one sort-key bound and, when ``fresh``, the filter
        that hides items past their expiry (TTL deletes lazily, up to days later)."""
        names = {"#pk": f"{index}pk" if index else "pk"}
        values: dict[str, Any] = {":pk": value(pk_value)}
        condition = "#pk = :pk"
        bounds = (("begins_with(#sk, :sk)", sk_prefix), ("#sk < :sk", sk_below), ("#sk > :sk", sk_above))
        for expression, bound in bounds:
            if bound:
                condition += f" AND {expression}"
                names["#sk"] = f"{index}sk" if index else "sk"
                values[":sk"] = value(bound)
                break
        kwargs: dict[str, Any] = {"TableName": self.table_name, "KeyConditionExpression": condition}
        if fresh:
            names["#exp"] = retention.TTL_ATTRIBUTE
            values[":now"] = value(int(wall()))
            kwargs["FilterExpression"] = "attribute_not_exists(#exp) OR #exp > :now"
        kwargs |= {"ExpressionAttributeNames": names, "ExpressionAttributeValues": values}
        if index:
            kwargs["IndexName"] = index
        return kwargs

    def _pages(self, kwargs: dict[str, Any]) -> Iterator[dict[str, Any]]:
        while True:
            out = self._call("query", **kwargs)
            yield out
            if not out.get("LastEvaluatedKey"):
                return
            kwargs = {**kwargs, "ExclusiveStartKey": out["LastEvaluatedKey"]}

    def query(
        self,
        pk_value: str,
        *,
        index: str | None = None,
        sk_prefix: str | None = None,
        limit: int = 50,
        token: str | None = None,
        descending: bool = False,
    ) -> Page:
        """One page of a partition (of the table or an index), from the opaque ``token`` it handed out."""
        kwargs = self._query(pk_value, index, sk_prefix=sk_prefix)
        kwargs |= {"Limit": limit, "ScanIndexForward": not descending}
        start = decode_token(token, INDEX_KEYS[index])
        if start:
            pk_name = kwargs["ExpressionAttributeNames"]["#pk"]
            if pk_name not in start or deserialize({pk_name: start[pk_name]})[pk_name] != pk_value:
                raise _foreign_token()
            kwargs["ExclusiveStartKey"] = start
        try:
            out = self._call("query", **kwargs)
        except ClientError as exc:
            if start and exc.response["Error"]["Code"] == "ValidationException":
                raise _foreign_token() from exc
            raise
        return Page([deserialize(i) for i in out.get("Items", [])], encode_token(out.get("LastEvaluatedKey")))

    def query_all(
        self,
        pk_value: str,
        *,
        index: str | None = None,
        sk_prefix: str | None = None,
        sk_below: str | None = None,
        page_size: int | None = 1000,
        projection: str | None = None,
        names: dict[str, str] | None = None,
    ) -> list[dict[str, Any]]:
        """Every item of a partition (with a sort-key prefix, or below a bound): one Query, paged only
        past ``page_size`` items or 1 MB; ``projection`` may use ``#name`` placeholders from ``names``."""
        kwargs = self._query(pk_value, index, sk_prefix=sk_prefix, sk_below=sk_below)
        if page_size:
            kwargs["Limit"] = page_size
        if projection:
            kwargs["ProjectionExpression"] = projection
        if names:
            kwargs["ExpressionAttributeNames"] = {**kwargs["ExpressionAttributeNames"], **names}
        return [deserialize(i) for page in self._pages(kwargs) for i in page.get("Items", [])]

    def count(
        self, pk_value: str, *, index: str | None = None, sk_prefix: str | None = None, sk_above: str | None = None
    ) -> int:
        """How many items a partition holds (a ``Select=COUNT`` Query: keys read, no item returned)."""
        kwargs = self._query(pk_value, index, sk_prefix=sk_prefix, sk_above=sk_above, fresh=False)
        kwargs["Select"] = "COUNT"
        return sum(int(page.get("Count", 0)) for page in self._pages(kwargs))

    def get_many(
        self, keys: Sequence[Mapping[str, str]], *, projection: str | None = None, names: dict[str, str] | None = None
    ) -> list[dict[str, Any]]:
        """The items of many keys (BatchGetItem, 100 keys a call, unprocessed keys asked for again)."""
        found: list[dict[str, Any]] = []
        for start in range(0, len(keys), BATCH_GET):
            wanted: dict[str, Any] = {"Keys": [serialize(dict(k)) for k in keys[start : start + BATCH_GET]]}
            if projection:
                wanted["ProjectionExpression"] = projection
            if names:
                wanted["ExpressionAttributeNames"] = names
            request: dict[str, Any] = {self.table_name: wanted}
            for _ in range(GET_ATTEMPTS):
                out = self._call("batch_get_item", RequestItems=request)
                found += [deserialize(i) for i in out.get("Responses", {}).get(self.table_name, [])]
                request = out.get("UnprocessedKeys") or {}
                if not request:
                    break
            else:
                raise ServiceUnavailable("the archive is busy; retry shortly", retry_after=2)
        return found

    # -- transaction items ---------------------------------------------------------------------------
    def put_op(
        self,
        item: dict[str, Any],
        condition: str | None = None,
        *,
        names: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
        return_old: bool = False,
    ) -> dict[str, Any]:
        put: dict[str, Any] = {"TableName": self.table_name, "Item": serialize(item)}
        return {"Put": put | _condition(condition, names, values, return_old)}

    def new_op(self, item: dict[str, Any], *, return_old: bool = False) -> dict[str, Any]:
        """``item``, on condition that nothing is stored under its key."""
        return self.put_op(item, NEW, return_old=return_old)

    def versioned_op(self, item: dict[str, Any], expected: int | None) -> dict[str, Any]:
        """``item``, on condition that the stored one is still at ``expected`` (None: that there is none)."""
        if expected is None:
            return self.new_op(item)
        return self.put_op(item, "#v = :v", names={"#v": "version"}, values={":v": expected})

    def update_op(
        self,
        key: Mapping[str, str],
        expression: str,
        condition: str | None = None,
        *,
        names: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
        return_old: bool = False,
    ) -> dict[str, Any]:
        update = {"TableName": self.table_name, "Key": serialize(dict(key)), "UpdateExpression": expression}
        return {"Update": update | _condition(condition, names, values, return_old)}

    def delete_op(
        self, key: Mapping[str, str], condition: str | None = None, *, values: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        delete = {"TableName": self.table_name, "Key": serialize(dict(key))}
        return {"Delete": delete | _condition(condition, None, values, False)}

    def check_op(
        self,
        key: Mapping[str, str],
        condition: str,
        *,
        names: dict[str, str] | None = None,
        values: dict[str, Any],
        return_old: bool = False,
    ) -> dict[str, Any]:
        check = {"TableName": self.table_name, "Key": serialize(dict(key))}
        return {"ConditionCheck": check | _condition(condition, names, values, return_old)}

    def audit_op(self, audit: Record) -> dict[str, Any]:
        return self.put_op(audit.item())

    # -- writes --------------------------------------------------------------------------------------
    def transact(self, items: Sequence[dict[str, Any]]) -> None:
        """One ``TransactWriteItems``: all of ``items`` or none. ``ConditionFailed`` names the items
        whose condition failed."""
        self._call("transact_write_items", TransactItems=list(items))

    def put_new(self, items: Sequence[dict[str, Any]]) -> bool:
        """One transaction whose FIRST item is conditional on being new: False when it is not (a
        redelivery or a concurrent duplicate), in which case nothing is written."""
        try:
            self.transact(items)
        except ConditionFailed as failed:
            if failed.first:
                return False
            raise
        return True

    def write_versioned(
        self,
        writes: Sequence[tuple[dict[str, Any], int | None]],
        audit: Record,
        conflict: str,
        *,
        details: Sequence[Mapping[str, Any]] = VERSION_CHANGED,
        extra: Sequence[dict[str, Any]] = (),
    ) -> None:
        """Each item conditional on the version it was read at (None: on being new), the audit record
        and ``extra`` transaction items, in one transaction. Of two concurrent writers exactly one wins;
        the other gets ``Conflict(conflict, details)``."""
        items = [self.versioned_op(item, expected) for item, expected in writes]
        try:
            self.transact([*items, self.audit_op(audit), *extra])
        except ConditionFailed as failed:
            raise Conflict(conflict, [dict(d) for d in details]) from failed

    def write(self, op: dict[str, Any]) -> None:
        """One ``Put`` / ``Update`` / ``Delete`` (an ``*_op``) on its own, outside a transaction
        (``ConditionFailed`` when its condition does not hold)."""
        ((kind, params),) = op.items()
        self._call(SINGLE[kind], **params)

    def put_item(self, item: dict[str, Any], condition: str | None = None) -> None:
        self.write(self.put_op(item, condition))

    def delete_item(self, key: Mapping[str, str]) -> None:
        self.write(self.delete_op(key))

    def batch_write(self, requests: Sequence[dict[str, Any]]) -> None:
        """``PutRequest`` / ``DeleteRequest`` entries, 25 a call; what DynamoDB leaves unprocessed is
        sent again after a backoff. Idempotent, but not atomic: a retry writes the same."""
        for start in range(0, len(requests), BATCH_WRITE):
            pending: dict[str, Any] = {self.table_name: list(requests[start : start + BATCH_WRITE])}
            for attempt in range(WRITE_ATTEMPTS):
                out = self._call("batch_write_item", RequestItems=pending)
                pending = out.get("UnprocessedItems") or {}
                if not pending:
                    break
                time.sleep(min(2.0, 0.05 * 2**attempt))  # back off before sending unprocessed items again
            else:
                raise ServiceUnavailable("the archive did not store every item; retry")

    def put_all(self, items: Sequence[dict[str, Any]]) -> None:
        self.batch_write([{"PutRequest": {"Item": serialize(item)}} for item in items])


def _condition(
    condition: str | None, names: dict[str, str] | None, values: dict[str, Any] | None, return_old: bool
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if condition:
        out["ConditionExpression"] = condition
    if names:
        out["ExpressionAttributeNames"] = names
    if values:
        out["ExpressionAttributeValues"] = {k: value(v) for k, v in values.items()}
    if return_old:
        out["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
    return out


class Store:
    """Base of the stores whose items live in the talent table: ``self.table`` is the kernel."""

    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()
