"""Local-stack-only adjustments of moto's DynamoDB backend (moto 5.2.5), applied in-process.

moto's ``transact_write_items`` deep-copies every table it touches, once per transaction item, so
that it can roll back; the local stack's import of a few hundred rows then takes minutes (each
transaction costs O(table)), and a rollback puts back the whole table as it was when the
transaction began, silently discarding writes other threads made meanwhile (the local stack
serves HTTP requests and the event pump concurrently). moto also takes no lock, so a transaction's
condition checks and writes are not atomic against concurrent writers.

This module replaces the table copies with an undo log of just the items the transaction names,
and serialises DynamoDB writes (put, update, delete, transactions) with one lock: per-item rollback
with AWS's all-or-nothing result, O(items in the transaction).

moto's ``Query`` also lists and sorts every item of the table before it keeps the partition asked
for, so each query costs O(table · log table) — a bulk import that looks up one partition per row
slows down with every row stored. ``Query`` on a table's key now starts from that partition alone
(O(partition), as in DynamoDB); a query on an index still visits every item (moto keeps no index
structure) but no longer sorts the whole table first — only the matches, as before. The results
are the same (``tests/unit/test_emulator_dynamodb.py``). A paged index Query (the shortlist reads 15,000
entries of one requisition in score order, 41 pages) sorted all 50,000 matches again for each page:
two thirds of the shortlist stage at 100,000 applications. The order of the matches is now kept
between pages while no write has begun or ended in between and the same items match.

moto 5.2 serialises every DynamoDB answer by walking the operation's output shape member by member
(``moto.core.serialize``), which costs about 20 ms for a page of 200 items and was 40 % of a whole
simulated hiring event. The answers of the item operations (``GetItem``, ``Query``, ``Scan``,
``TransactWriteItems``…) are already plain DynamoDB JSON after moto's own ``dynamo_to_dict``; they
are now written with ``json.dumps`` — the same bytes to botocore (``tests/unit/test_emulator_dynamodb.py``
compares every such operation with and without the patch). Errors and every other operation keep
moto's serializer.

moto checks the 400 KB item limit on every attribute it sets, re-measuring all the attributes set
before (``LimitedSizeDict.__setitem__``), so building an item of n attributes costs O(n²) size
walks. An item is now built first and measured once, against the same limit with the same error.

moto parses an ``UpdateExpression`` twice per update (to check its placeholders, then to apply
it), and the product sends a handful of distinct expressions millions of times: parsed trees are
kept per expression string. moto only reads a parsed tree (its validator works on a deep copy).

Turning an item back into DynamoDB JSON (``Item.to_json``: every stream record, undo entry and
answer) deep-copied each nested value before converting it, and the conversion of each nested
value deep-copied again: O(size × depth). It now builds the new containers directly (the same
result, compared on nested items). A table whose stream keeps only new images no longer converts
the old image of every write for the stream record (moto built it and dropped it).
"""

from __future__ import annotations

import base64
import copy
import functools
import json
import logging
import threading
import types
from collections.abc import Callable
from typing import Any

log = logging.getLogger("infra.local.emulator.dynamodb")
LOCK = threading.RLock()  # held by every DynamoDB write (and a stream trim)
_ORIGINALS: dict[str, Any] = {}  # what apply() replaced, for revert()
_QUERY = threading.local()  # the query this thread is running: (table, partition key | INDEX)
INDEX = object()
SORTS_KEPT = 8  # index orders kept between the pages of a paged index Query
_SORTS: dict[tuple[Any, ...], list[Any]] = {}  # (table, writes, key attributes, matches) -> matches in order
_WRITES = [0]  # DynamoDB writes begun or ended in this process (an item may change in place)
PARSED_EXPRESSIONS = 512  # distinct update expressions kept parsed
ITEM_SIZE_LIMIT = 405_000  # moto's measure of DynamoDB's 400 KB item limit (LimitedSizeDict)
# operations whose answer is DynamoDB JSON already (items, keys, counts, capacity)
ITEM_OPERATIONS = frozenset(
    {
        "GetItem",
        "PutItem",
        "UpdateItem",
        "DeleteItem",
        "Query",
        "Scan",
        "BatchGetItem",
        "BatchWriteItem",
        "TransactGetItems",
        "TransactWriteItems",
    }
)


def _copy_shim(table_class: type) -> types.SimpleNamespace:
    """``copy`` for moto's dynamodb models module: a Table is not copied (we keep an undo log)."""

    def deepcopy(value: Any, memo: dict[int, Any] | None = None) -> Any:
        if isinstance(value, table_class):
            return value
        return copy.deepcopy(value, memo)

    return types.SimpleNamespace(deepcopy=deepcopy, copy=copy.copy)


def _keys(backend: Any, transact_items: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    keys: list[tuple[str, dict[str, Any]]] = []
    for entry in transact_items:
        for op_type, op in entry.items():
            table_name = op.get("TableName")
            if not table_name or table_name not in backend.tables:
                continue
            if op_type == "Put":
                table = backend.tables[table_name]
                item = op.get("Item", {})
                key = {table.hash_key_attr: item.get(table.hash_key_attr)}
                if table.range_key_attr is not None:
                    key[table.range_key_attr] = item.get(table.range_key_attr)
                if any(v is None for v in key.values()):
                    continue
            else:
                key = op.get("Key")
                if not key:
                    continue
            keys.append((table_name, key))
    return keys


def _before(backend: Any, table_name: str, key: dict[str, Any]) -> tuple[str, dict[str, Any], Any] | None:
    """An undo entry: the item's current attributes (None when absent); None for a malformed key,
    which moto itself rejects inside the transaction."""
    try:
        item = backend.get_item(table_name, key)
    except Exception:
        log.debug("no undo entry for malformed key %s in %s", key, table_name)
        return None
    return (table_name, key, item.to_json()["Attributes"] if item else None)  # (to_json builds new containers)


def _locked(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        with LOCK:
            _WRITES[0] += 1  # before and after: an order sorted while this write runs is not kept
            try:
                return method(self, *args, **kwargs)
            finally:
                _WRITES[0] += 1

    return wrapper


def _patch_query(table_class: type) -> None:
    original_query, original_all_items = table_class.query, table_class.all_items  # type: ignore[attr-defined]
    _ORIGINALS["Table.query"], _ORIGINALS["Table.all_items"] = original_query, original_all_items

    def all_items(self: Any) -> list[Any]:
        scope = getattr(_QUERY, "scope", None)
        if scope is None or scope[0] is not self:
            return list(original_all_items(self))
        if scope[1] is INDEX:  # every item, unsorted: moto sorts the matches itself
            if not self.range_key_attr:
                return list(self.items.values())
            return [item for partition in self.items.values() for item in partition.values()]
        hash_key = scope[1]
        if hash_key not in self.items:  # (items is a defaultdict: do not create the partition)
            return []
        partition = self.items[hash_key]
        return list(partition.values()) if self.range_key_attr else [partition]

    def query(self: Any, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        index_name = kwargs.get("index_name", args[6] if len(args) > 6 else None)
        previous = getattr(_QUERY, "scope", None)
        _QUERY.scope = (self, INDEX if index_name else hash_key)
        try:
            return original_query(self, hash_key, *args, **kwargs)
        finally:
            _QUERY.scope = previous

    original_sorted = _ORIGINALS["Table.sorted_items"] = table_class.sorted_items  # type: ignore[attr-defined]

    def sorted_items(self: Any, hash_key_attrs: list[str], range_key_attrs: list[Any], items: list[Any]) -> list[Any]:
        writes = _WRITES[0]
        key = (id(self), writes, tuple(hash_key_attrs), tuple(range_key_attrs), tuple(map(id, items)))
        order = _SORTS.get(key)
        if order is None:
            order = original_sorted(self, hash_key_attrs, range_key_attrs, list(items))
            if len(_SORTS) >= SORTS_KEPT or any(k[1] != writes for k in _SORTS):
                _SORTS.clear()
            _SORTS[key] = order  # (holds the items, so their ids in the key stay theirs)
        return list(order)  # moto reverses it in place for a descending query

    table_class.query = query  # type: ignore[attr-defined]
    table_class.all_items = all_items  # type: ignore[attr-defined]
    table_class.sorted_items = sorted_items  # type: ignore[attr-defined]


def _patch_method_names() -> None:
    from moto.core import responses

    original = _ORIGINALS["method_names_from_class"] = responses.method_names_from_class
    names = functools.lru_cache(maxsize=256)(lambda clazz: tuple(original(clazz)))

    def method_names_from_class(clazz: object) -> list[str]:
        return list(names(clazz))

    responses.method_names_from_class = method_names_from_class


def _binary_values(obj: dict[str, Any]) -> dict[str, Any]:
    """``json.loads`` hook: an attribute value ``{"B": "<base64>"}`` / ``{"BS": [...]}`` decoded."""
    if len(obj) == 1:
        if isinstance(value := obj.get("B"), str):
            return {"B": base64.b64decode(value)}
        if isinstance(values := obj.get("BS"), list) and all(isinstance(v, str) for v in values):
            return {"BS": [base64.b64decode(v) for v in values]}
    return obj


def _patch_requests(handler_class: type) -> None:
    original = _ORIGINALS["DynamoHandler.parse_parameters"] = handler_class.parse_parameters  # type: ignore[attr-defined]

    def parse_parameters(self: Any, request: Any) -> None:
        if self._get_action() in ITEM_OPERATIONS and request.data:
            try:
                params = json.loads(request.data, object_hook=_binary_values)
            except ValueError:
                params = None
            if isinstance(params, dict):
                self.params = params
                return
        original(self, request)

    handler_class.parse_parameters = parse_parameters  # type: ignore[attr-defined]


def _blob(value: Any) -> str:
    """Binary attribute values (``B``, ``BS``) travel base64-encoded in DynamoDB JSON."""
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"{type(value).__name__} is not DynamoDB JSON")


def _patch_results(result_class: type) -> None:
    original = result_class.execute_result  # type: ignore[attr-defined]
    _ORIGINALS["DynamoResult.execute_result"] = original
    content_types: dict[type, str] = {}

    def execute_result(self: Any, context: Any) -> Any:
        result = self.result
        if context.operation_model.name not in ITEM_OPERATIONS or not isinstance(result, dict):
            return original(self, context)
        try:
            body = json.dumps(result, separators=(",", ":"), default=_blob)
        except (TypeError, ValueError):  # something only moto's serializer knows how to write
            return original(self, context)
        serializer_class = context.serializer_class
        if serializer_class not in content_types:
            serializer = serializer_class(operation_model=context.operation_model)
            content_types[serializer_class] = serializer._get_protocol_specific_content_type()
        return 200, {"Content-Type": content_types[serializer_class]}, body

    result_class.execute_result = execute_result  # type: ignore[attr-defined]


def _patch_item_init(item_class: type, limited_dict: type[dict[str, Any]]) -> None:
    from moto.dynamodb.exceptions import ItemSizeTooLarge
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.utilities import bytesize

    _ORIGINALS["Item.__init__"] = vars(item_class)["__init__"]

    def __init__(self: Any, hash_key: Any, range_key: Any, attrs: dict[str, Any]) -> None:
        self.hash_key = hash_key
        self.range_key = range_key
        built = limited_dict.__new__(limited_dict)
        size = 0
        for key, value in attrs.items():
            typed = DynamoType(value)
            size += bytesize(key) + typed.size()
            dict.__setitem__(built, key, typed)
        if size > ITEM_SIZE_LIMIT:
            raise ItemSizeTooLarge
        self.attrs = built

    item_class.__init__ = __init__  # type: ignore[misc]


def _patch_to_json(dynamo_type: type, stream_record: type) -> None:
    _ORIGINALS["DynamoType.to_regular_json"] = vars(dynamo_type)["to_regular_json"]
    record_init = _ORIGINALS["StreamRecord.__init__"] = vars(stream_record)["__init__"]

    def plain(value: Any) -> Any:
        return to_regular_json(value) if isinstance(value, dynamo_type) else copy.deepcopy(value)

    def to_regular_json(self: Any) -> dict[str, Any]:
        value = self.value
        if isinstance(value, dict):
            value = {key: plain(nested) for key, nested in value.items()}
        elif isinstance(value, list):
            value = [plain(nested) for nested in value]
        elif self.is_binary() and isinstance(value, str):
            value = base64.b64decode(value)
        return {self.type: value}

    def init(self: Any, table: Any, stream_type: str, event_name: str, old: Any, new: Any, seq: int) -> None:
        if stream_type == "NEW_IMAGE" and new is not None:
            old = None  # not part of the record; the keys are the new image's (the same item)
        record_init(self, table, stream_type, event_name, old, new, seq)

    dynamo_type.to_regular_json = to_regular_json  # type: ignore[attr-defined]
    stream_record.__init__ = init  # type: ignore[misc]


def _patch_update_parser(parser_class: type) -> None:
    original = vars(parser_class)["make"]
    _ORIGINALS["UpdateExpressionParser.make"] = original
    parse = original.__func__

    @functools.lru_cache(maxsize=PARSED_EXPRESSIONS)
    def parsed(expression: str) -> Any:
        return parse(parser_class, expression)

    def make(cls: type, expression: str) -> Any:
        return parsed(expression) if cls is parser_class else parse(cls, expression)

    parser_class.make = classmethod(make)  # type: ignore[attr-defined]


def apply() -> None:
    """Patch moto's DynamoDB backend of this process (idempotent)."""
    if _ORIGINALS:
        return
    from moto.dynamodb import models
    from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict
    from moto.dynamodb.models.table import StreamRecord, Table
    from moto.dynamodb.parsing.expressions import UpdateExpressionParser  # type: ignore[attr-defined]
    from moto.dynamodb.responses import DynamoHandler, DynamoResult

    _patch_requests(DynamoHandler)
    _patch_method_names()
    _patch_update_parser(UpdateExpressionParser)
    _patch_to_json(DynamoType, StreamRecord)
    _patch_query(Table)
    _patch_results(DynamoResult)
    _patch_item_init(Item, LimitedSizeDict)

    backend_class = models.DynamoDBBackend
    original = backend_class.transact_write_items
    _ORIGINALS["copy"] = vars(models)["copy"]
    for name in ("transact_write_items", "put_item", "update_item", "delete_item"):
        _ORIGINALS[name] = getattr(backend_class, name)
    vars(models)["copy"] = _copy_shim(Table)

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        with LOCK:
            undo = [
                entry for table_name, key in _keys(self, transact_items) if (entry := _before(self, table_name, key))
            ]
            try:
                original(self, transact_items)
            except Exception:
                for table_name, key, attributes in reversed(undo):
                    if attributes is None:
                        if self.get_item(table_name, key) is not None:
                            self.delete_item(table_name, key)
                    else:
                        self.put_item(table_name, attributes)
                raise

    backend_class.transact_write_items = transact_write_items  # type: ignore[method-assign]
    for name in ("put_item", "update_item", "delete_item"):
        setattr(backend_class, name, _locked(getattr(backend_class, name)))


def revert() -> None:
    """Undo ``apply`` (tests that share the process with other moto users)."""
    if not _ORIGINALS:
        return
    from moto.core import responses
    from moto.dynamodb import models
    from moto.dynamodb.models.dynamo_type import DynamoType, Item
    from moto.dynamodb.models.table import StreamRecord, Table
    from moto.dynamodb.parsing.expressions import UpdateExpressionParser  # type: ignore[attr-defined]
    from moto.dynamodb.responses import DynamoHandler, DynamoResult

    responses.method_names_from_class = _ORIGINALS.pop("method_names_from_class")
    _ORIGINALS.pop("DynamoHandler.parse_parameters")
    if "parse_parameters" in vars(DynamoHandler):  # (moto defines it on the base class only)
        delattr(DynamoHandler, "parse_parameters")
    UpdateExpressionParser.make = _ORIGINALS.pop("UpdateExpressionParser.make")
    DynamoType.to_regular_json = _ORIGINALS.pop("DynamoType.to_regular_json")  # type: ignore[method-assign]
    StreamRecord.__init__ = _ORIGINALS.pop("StreamRecord.__init__")  # type: ignore[method-assign]
    Item.__init__ = _ORIGINALS.pop("Item.__init__")  # type: ignore[method-assign]
    DynamoResult.execute_result = _ORIGINALS.pop("DynamoResult.execute_result")  # type: ignore[method-assign]
    vars(models)["copy"] = _ORIGINALS.pop("copy")
    Table.query = _ORIGINALS.pop("Table.query")  # type: ignore[method-assign]
    Table.all_items = _ORIGINALS.pop("Table.all_items")  # type: ignore[method-assign]
    Table.sorted_items = _ORIGINALS.pop("Table.sorted_items")  # type: ignore[method-assign]
    _SORTS.clear()
    for name, method in list(_ORIGINALS.items()):
        setattr(models.DynamoDBBackend, name, method)
    _ORIGINALS.clear()
