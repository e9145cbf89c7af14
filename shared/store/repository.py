"""The talent archive in one DynamoDB table (single-table design).

Key layout (``pk`` / ``sk``; GSIs ``gsi1`` and ``gsi2`` on ``gsiNpk`` / ``gsiNsk``):

=====================  ==========================  ===========  ===================================
item                   pk                          sk           indexes
=====================  ==========================  ===========  ===================================
requisition            REQ#<id>                    META         gsi1: REQDEPT#<dept>; gsi2: REQALL
application            APP#<id>                    META         gsi1: REQ#<req>#STAGE#<stage>;
                                                                gsi2: REQ#<req>#APPS
applicant uniqueness   REQ#<req>#NID#<hmac>        UNIQ         -
audit record           AUDIT#<subject>             <ts>#<id>    -
import                 IMPORT#<id>                 META         -
import chunk marker    IMPORT#<id>                 CHUNK#<n>    -
import row result      IMPORT#<id>                 ROW#<n>      -
=====================  ==========================  ===========  ===================================

Every list is a Query on a partition or an index: no Scan on any path. Later sections of an
application's archive live in the application's own partition, so the whole profile is one Query.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import Any, Literal

from botocore.exceptions import ClientError

from shared.domain.erasure import ERASED_NAME
from shared.domain.stages import TERMINAL
from shared.errors import Conflict, NotFound, ServiceUnavailable, ValidationFailed
from shared.models.application import Application
from shared.models.common import iso, new_id, utcnow
from shared.models.imports import ImportJob, RowResult
from shared.models.requisition import Requisition
from shared.settings import get_settings
from shared.store import aws, retention
from shared.store.items import decode_token, deserialize, encode_token, serialize, value

INDEX_KEYS = {
    "gsi1": {"pk", "sk", "gsi1pk", "gsi1sk"},
    "gsi2": {"pk", "sk", "gsi2pk", "gsi2sk"},
    "gsi3": {"pk", "sk", "gsi3pk", "gsi3sk"},
    None: {"pk", "sk"},
}
REQUISITION_CACHE_SIZE = 256
INTAKE_CACHE_SECONDS = 60.0
_REQUISITIONS: dict[str, tuple[float, Requisition]] = {}
THROTTLING = {"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"}


@dataclass(frozen=True)
class AuditEntry:
    subject: str
    actor: str
    action: str
    details: dict[str, Any]
    source_ip: str | None = None

    def item(self) -> dict[str, Any]:
        now = iso(utcnow())
        return {
            "pk": f"AUDIT#{self.subject}",
            "sk": f"{now}#{new_id()}",
            "type": "audit",
            "subject": self.subject,
            "actor": self.actor,
            "action": self.action,
            "details": self.details,
            "source_ip": self.source_ip,
            "at": now,
            "expires_at": retention.expires_at(retention.Kind.audit),
        }


@dataclass(frozen=True)
class CreateOutcome:
    status: Literal["created", "duplicate", "replayed", "ref_taken"]
    application_id: str
    application: Application | None = None  # what was stored, when it was ``created``


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    next_token: str | None


BUSY_REASONS = {"TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded"}
SCORE_COUNTER_SHARDS = 16


def unavailable(exc: ClientError) -> ServiceUnavailable | None:
    """Throttling, or a transaction cancelled by a concurrent one on the same item: 503 + Retry-After."""
    error = exc.response.get("Error", {}).get("Code")
    reasons = {r.get("Code") for r in exc.response.get("CancellationReasons") or []}
    if error in THROTTLING or (error == "TransactionCanceledException" and reasons & BUSY_REASONS):
        return ServiceUnavailable("the archive is busy; retry shortly", retry_after=2)
    return None


def score_counter_key(requisition_id: str, application_id: str) -> dict[str, str]:
    """One of the requisition's counter shards, picked by the application: concurrent first results
    for one requisition touch different items instead of cancelling each other's transactions."""
    shard = int(hashlib.sha256(application_id.encode()).hexdigest(), 16) % SCORE_COUNTER_SHARDS
    return {"pk": f"REQ#{requisition_id}", "sk": f"SCORED#{shard:02d}"}


def score_key(weighted: float, application_id: str) -> str:
    """Sorts lexicographically in numeric order for scores 0–100 (the shortlist reads it descending)."""
    return f"{weighted:08.4f}#{application_id}"


def _stage_keys(app: Application) -> dict[str, Any]:
    """The index keys of an application, derived from its fields: by stage (gsi1), all of the
    requisition (gsi2) and, while it is scored and still in the pool, by weighted score (gsi3); and,
    once it ended unsuccessfully, its retention (``expires_at``, kept from the decision that ended it)."""
    order = f"{app.created_at}#{app.id}"
    keys: dict[str, Any] = {
        "gsi1pk": f"REQ#{app.requisition_id}#STAGE#{app.stage.value}",
        "gsi1sk": order,
        "gsi2pk": f"REQ#{app.requisition_id}#APPS",
        "gsi2sk": order,
    }
    if app.ai is not None and app.stage not in TERMINAL:
        keys["gsi3pk"] = f"REQ#{app.requisition_id}#SCORED"
        keys["gsi3sk"] = score_key(app.ai.weighted_score, app.id)
    if app.stage in retention.UNSUCCESSFUL and app.name != ERASED_NAME:  # erased: anonymised scores are kept
        keys[retention.TTL_ATTRIBUTE] = app.expires_at or retention.expires_at(retention.Kind.unsuccessful_applicant)
    return keys


class Repository:
    """Data access for requisitions, applications, audit and imports."""

    def __init__(self, table_name: str | None = None) -> None:
        self.table_name = table_name or get_settings().table_name

    @property
    def _ddb(self) -> Any:
        return aws.client("dynamodb")

    # -- generic -----------------------------------------------------------------------------
    def get_item(self, pk: str, sk: str) -> dict[str, Any] | None:
        try:
            out = self._ddb.get_item(TableName=self.table_name, Key=serialize({"pk": pk, "sk": sk}))
        except ClientError as exc:
            raise (unavailable(exc) or exc) from exc
        item = out.get("Item")
        found = deserialize(item) if item else None
        return None if found is None or retention.is_expired(found) else found

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
        pk_name = f"{index}pk" if index else "pk"
        sk_name = f"{index}sk" if index else "sk"
        expr = "#pk = :pk"
        names = {"#pk": pk_name, "#exp": retention.TTL_ATTRIBUTE}
        # TTL deletes lazily (up to days): an item past its expiry is absent for every listing
        values: dict[str, Any] = {":pk": value(pk_value), ":now": value(int(time.time()))}
        if sk_prefix:
            expr += " AND begins_with(#sk, :sk)"
            names["#sk"] = sk_name
            values[":sk"] = value(sk_prefix)
        kwargs: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": expr,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
            "FilterExpression": "attribute_not_exists(#exp) OR #exp > :now",
            "Limit": limit,
            "ScanIndexForward": not descending,
        }
        if index:
            kwargs["IndexName"] = index
        start = decode_token(token, INDEX_KEYS[index])
        if start:
            if deserialize({pk_name: start.get(pk_name, {})}).get(pk_name) != pk_value:
                raise ValidationFailed(
                    "next_token is not valid", [{"field": "next_token", "message": "belongs to another listing"}]
                )
            kwargs["ExclusiveStartKey"] = start
        try:
            out = self._ddb.query(**kwargs)
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ValidationException" and start:
                raise ValidationFailed(
                    "next_token is not valid",
                    [{"field": "next_token", "message": "belongs to another listing"}],
                ) from exc
            raise (unavailable(exc) or exc) from exc
        return Page([deserialize(i) for i in out.get("Items", [])], encode_token(out.get("LastEvaluatedKey")))

    def _transact(self, items: list[dict[str, Any]]) -> None:
        try:
            self._ddb.transact_write_items(TransactItems=items)
        except ClientError as exc:
            raise (unavailable(exc) or exc) from exc

    def put_new(self, items: list[dict[str, Any]]) -> bool:
        """One transaction whose FIRST item is conditional on being new: False when it is not (a
        redelivery or a concurrent duplicate), in which case nothing is written."""
        try:
            self._ddb.transact_write_items(TransactItems=items)
        except ClientError as exc:
            reasons = exc.response.get("CancellationReasons") or []
            if reasons and reasons[0].get("Code") == "ConditionalCheckFailed":
                return False
            raise (unavailable(exc) or exc) from exc
        return True

    def put_audit(self, entry: AuditEntry) -> None:
        self._ddb.put_item(TableName=self.table_name, Item=serialize(entry.item()))

    def list_audit(self, subject: str, limit: int = 50, token: str | None = None) -> Page:
        return self.query(f"AUDIT#{subject}", limit=limit, token=token, descending=True)

    # -- requisitions ------------------------------------------------------------------------
    def put_requisition(self, req: Requisition, audit: AuditEntry) -> None:
        order = f"{req.created_at}#{req.id}"
        item = {
            "pk": f"REQ#{req.id}",
            "sk": "META",
            "type": "requisition",
            "gsi1pk": f"REQDEPT#{req.department}",
            "gsi1sk": order,
            "gsi2pk": "REQALL",
            "gsi2sk": order,
            **req.model_dump(mode="json"),
        }
        self._transact(
            [
                {
                    "Put": {
                        "TableName": self.table_name,
                        "Item": serialize(item),
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                },
                {"Put": {"TableName": self.table_name, "Item": serialize(audit.item())}},
            ]
        )

    def get_requisition(self, requisition_id: str) -> Requisition | None:
        item = self.get_item(f"REQ#{requisition_id}", "META")
        return Requisition.model_validate(item) if item else None

    def require_requisition(self, requisition_id: str, max_age: float = 0) -> Requisition:
        """The requisition, or ``NotFound``. With ``max_age`` a copy read at most that many seconds ago
        in this container may be used: intake of a hiring event reads the same requisition for every
        applicant, and its screening settings do not change mid-event."""
        now = time.monotonic()
        cached = _REQUISITIONS.get(requisition_id)
        if max_age and cached and now - cached[0] <= max_age:
            return cached[1]
        req = self.get_requisition(requisition_id)
        if req is None:
            raise NotFound(f"requisition {requisition_id} does not exist")
        if len(_REQUISITIONS) >= REQUISITION_CACHE_SIZE:
            _REQUISITIONS.pop(next(iter(_REQUISITIONS)))
        _REQUISITIONS[requisition_id] = (now, req)
        return req

    def scored_count(self, requisition_id: str) -> int:
        """Applications of the requisition with an AI result: the sum of its counter shards (one Query)."""
        page = self.query(f"REQ#{requisition_id}", sk_prefix="SCORED#", limit=SCORE_COUNTER_SHARDS)
        return sum(int(i.get("count", 0)) for i in page.items)

    def list_requisitions(self, department: str | None, limit: int, token: str | None) -> Page:
        if department:
            return self.query(f"REQDEPT#{department}", index="gsi1", limit=limit, token=token, descending=True)
        return self.query("REQALL", index="gsi2", limit=limit, token=token, descending=True)

    # -- applications ------------------------------------------------------------------------
    def create_application(self, app: Application, identity_hash: str, audit: AuditEntry) -> CreateOutcome:
        """Store a new application unless the same person already applied to the requisition.

        One TransactWriteItems call: the application, a uniqueness guard on (requisition, national
        ID) and the audit record. A replay from the same source (a redelivered import chunk) is
        recognised through the guard and reported as ``replayed``.
        """
        guard = {
            "pk": f"REQ#{app.requisition_id}#NID#{identity_hash}",
            "sk": "UNIQ",
            "type": "uniqueness",
            "application_id": app.id,
            "source": app.source,
        }
        item = {"pk": f"APP#{app.id}", "sk": "META", "type": "application", **_stage_keys(app)}
        item.update(app.model_dump(mode="json"))
        ref_guard: list[dict[str, Any]] = []
        if app.external_ref:  # the vendor may address results by (requisition, external reference)
            ref_item = {
                "pk": f"REQ#{app.requisition_id}#REF#{app.external_ref}",
                "sk": "UNIQ",
                "type": "external_ref",
                "application_id": app.id,
                "source": app.source,
            }
            ref_guard.append(
                {
                    "Put": {
                        "TableName": self.table_name,
                        "Item": serialize(ref_item),
                        "ConditionExpression": "attribute_not_exists(pk)",
                        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                    }
                }
            )
        try:
            self._ddb.transact_write_items(
                TransactItems=[
                    {
                        "Put": {
                            "TableName": self.table_name,
                            "Item": serialize(guard),
                            "ConditionExpression": "attribute_not_exists(pk)",
                            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                        }
                    },
                    {
                        "Put": {
                            "TableName": self.table_name,
                            "Item": serialize(item),
                            "ConditionExpression": "attribute_not_exists(pk)",
                        }
                    },
                    {"Put": {"TableName": self.table_name, "Item": serialize(audit.item())}},
                    *ref_guard,
                ]
            )
        except ClientError as exc:
            reasons = exc.response.get("CancellationReasons") or []
            if (
                len(reasons) > 3
                and reasons[0].get("Code") != "ConditionalCheckFailed"
                and (reasons[3].get("Code") == "ConditionalCheckFailed")
            ):
                taken = deserialize(reasons[3].get("Item") or {})
                return CreateOutcome("ref_taken", str(taken.get("application_id", "")))
            if reasons and reasons[0].get("Code") == "ConditionalCheckFailed":
                existing = deserialize(reasons[0].get("Item") or {})
                if not existing:
                    existing = self.get_item(guard["pk"], "UNIQ") or {}
                status: Literal["duplicate", "replayed"] = (
                    "replayed" if existing.get("source") == app.source else "duplicate"
                )
                return CreateOutcome(status, str(existing.get("application_id", "")))
            raise (unavailable(exc) or exc) from exc
        return CreateOutcome("created", app.id, app)

    def get_application(self, application_id: str) -> Application | None:
        item = self.get_item(f"APP#{application_id}", "META")
        return Application.model_validate(item) if item else None

    def require_application(self, application_id: str) -> Application:
        app = self.get_application(application_id)
        if app is None:
            raise NotFound(f"application {application_id} does not exist")
        return app

    def list_applications(self, requisition_id: str, stage: str | None, limit: int, token: str | None) -> Page:
        if stage:
            return self.query(f"REQ#{requisition_id}#STAGE#{stage}", index="gsi1", limit=limit, token=token)
        return self.query(f"REQ#{requisition_id}#APPS", index="gsi2", limit=limit, token=token)

    def application_put(self, before: Application, after: Application) -> dict[str, Any]:
        """The transaction item that writes ``after`` if the stored application is still at
        ``before.version`` (for features that change an application with items of their own)."""
        item = {"pk": f"APP#{after.id}", "sk": "META", "type": "application", **_stage_keys(after)}
        item.update(after.model_dump(mode="json"))
        return {
            "Put": {
                "TableName": self.table_name,
                "Item": serialize(item),
                "ConditionExpression": "#v = :v",
                "ExpressionAttributeNames": {"#v": "version"},
                "ExpressionAttributeValues": {":v": value(before.version)},
            }
        }

    def list_by_score(self, requisition_id: str, limit: int, token: str | None) -> Page:
        """The scored applications still in the pool, highest weighted score first (gsi3)."""
        return self.query(f"REQ#{requisition_id}#SCORED", index="gsi3", limit=limit, token=token, descending=True)

    def update_application(
        self, before: Application, after: Application, audit: AuditEntry, extra: list[dict[str, Any]] | None = None
    ) -> None:
        """Write ``after`` if the stored application is still at ``before.version``; audit in the same
        transaction (and ``extra`` transaction items, e.g. lookup items). A concurrent change makes this
        raise ``Conflict``."""
        item = {"pk": f"APP#{after.id}", "sk": "META", "type": "application", **_stage_keys(after)}
        item.update(after.model_dump(mode="json"))
        try:
            self._ddb.transact_write_items(
                TransactItems=[
                    {
                        "Put": {
                            "TableName": self.table_name,
                            "Item": serialize(item),
                            "ConditionExpression": "#v = :v",
                            "ExpressionAttributeNames": {"#v": "version"},
                            "ExpressionAttributeValues": {":v": value(before.version)},
                        }
                    },
                    {"Put": {"TableName": self.table_name, "Item": serialize(audit.item())}},
                    *(extra or []),
                ]
            )
        except ClientError as exc:
            reasons = exc.response.get("CancellationReasons") or []
            if reasons and reasons[0].get("Code") == "ConditionalCheckFailed":
                raise Conflict(
                    f"application {after.id} was changed by someone else; reload and retry",
                    [{"expected_version": before.version}],
                ) from exc
            raise (unavailable(exc) or exc) from exc

    # -- imports -----------------------------------------------------------------------------
    def put_import(self, job: ImportJob) -> None:
        item = {"pk": f"IMPORT#{job.id}", "sk": "META", "type": "import", **job.model_dump(mode="json")}
        self._ddb.put_item(
            TableName=self.table_name, Item=serialize(item), ConditionExpression="attribute_not_exists(pk)"
        )

    def get_import(self, import_id: str) -> ImportJob | None:
        item = self.get_item(f"IMPORT#{import_id}", "META")
        return ImportJob.model_validate(item) if item else None

    def claim_import_file(self, import_id: str, etag: str, total_rows: int, chunks: int) -> bool:
        """Record that this uploaded file (by ETag) feeds the import; False if another file already does.
        Claiming the same file again succeeds, so a retried parse re-sends its (idempotent) chunks."""
        try:
            self._ddb.update_item(
                TableName=self.table_name,
                Key=serialize({"pk": f"IMPORT#{import_id}", "sk": "META"}),
                UpdateExpression="SET #s = :s, etag = :e, total_rows = :t, chunks = :c, parsed_at = :now",
                ConditionExpression="attribute_exists(pk) AND (attribute_not_exists(etag) OR etag = :e)",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues=serialize(
                    {":s": "processing", ":e": etag, ":t": total_rows, ":c": chunks, ":now": iso(utcnow())}
                ),
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def fail_import(self, import_id: str, reason: str) -> None:
        """Mark an import failed (a file that cannot be read) unless a readable file was already claimed."""
        try:
            self._ddb.update_item(
                TableName=self.table_name,
                Key=serialize({"pk": f"IMPORT#{import_id}", "sk": "META"}),
                UpdateExpression="SET #s = :s, failure = :r",
                ConditionExpression="attribute_exists(pk) AND attribute_not_exists(etag)",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues=serialize({":s": "failed", ":r": reason}),
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise

    def record_chunk(self, import_id: str, chunk: int, results: list[RowResult]) -> bool:
        """Store per-row results, then count the chunk once (a redelivered chunk is not re-counted)."""
        puts = [
            {
                "PutRequest": {
                    "Item": serialize(
                        {"pk": f"IMPORT#{import_id}", "sk": f"ROW#{r.row:07d}", "type": "import_row"}
                        | r.model_dump(mode="json")
                    )
                }
            }
            for r in results
        ]
        for start in range(0, len(puts), 25):
            self._batch_write(puts[start : start + 25])
        counts = {"accepted": 0, "rejected": 0, "duplicate": 0}
        for r in results:
            counts[r.outcome] += 1
        return self.put_new(
            [
                {
                    "Put": {
                        "TableName": self.table_name,
                        "Item": serialize(
                            {"pk": f"IMPORT#{import_id}", "sk": f"CHUNK#{chunk:05d}", "rows": len(results)}
                        ),
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                },
                {
                    "Update": {
                        "TableName": self.table_name,
                        "Key": serialize({"pk": f"IMPORT#{import_id}", "sk": "META"}),
                        "UpdateExpression": "ADD accepted :a, rejected :r, duplicate :d, processed_rows :p",
                        "ExpressionAttributeValues": serialize(
                            {
                                ":a": counts["accepted"],
                                ":r": counts["rejected"],
                                ":d": counts["duplicate"],
                                ":p": len(results),
                            }
                        ),
                    }
                },
            ]
        )

    def _batch_write(self, requests: list[dict[str, Any]]) -> None:
        pending = {self.table_name: requests}
        for attempt in range(8):
            out = self._ddb.batch_write_item(RequestItems=pending)
            pending = out.get("UnprocessedItems") or {}
            if not pending:
                return
            time.sleep(min(2.0, 0.05 * 2**attempt))  # back off before re-sending unprocessed items
        raise ServiceUnavailable("could not store import results; the message will be retried")

    def list_import_rows(self, import_id: str, limit: int, token: str | None) -> Page:
        return self.query(f"IMPORT#{import_id}", sk_prefix="ROW#", limit=limit, token=token)


class PartitionStore:
    """Base of the stores that keep their items in the talent table beside the repository's."""

    def __init__(self, repo: Repository | None = None) -> None:
        self.repo = repo or Repository()
        self.table_name = self.repo.table_name

    @property
    def _ddb(self) -> Any:
        return self.repo._ddb
