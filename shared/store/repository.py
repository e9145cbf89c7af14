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

from shared.domain.erasure import ERASED_NAME
from shared.domain.stages import TERMINAL
from shared.errors import NotFound
from shared.models.application import Application
from shared.models.common import iso, new_id, utcnow
from shared.models.imports import ImportJob, RowResult
from shared.models.requisition import Requisition
from shared.store import retention
from shared.store.failures import ConditionFailed
from shared.store.table import NEW, Page, Table

REQUISITION_CACHE_SIZE = 256
INTAKE_CACHE_SECONDS = 60.0
_REQUISITIONS: dict[str, tuple[float, Requisition]] = {}


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


SCORE_COUNTER_SHARDS = 16


def score_counter_key(requisition_id: str, application_id: str) -> dict[str, str]:
    """One of the requisition's counter shards, picked by the application: concurrent first results
    for one requisition touch different items instead of cancelling each other's transactions."""
    shard = int(hashlib.sha256(application_id.encode()).hexdigest(), 16) % SCORE_COUNTER_SHARDS
    return {"pk": f"REQ#{requisition_id}", "sk": f"SCORED#{shard:02d}"}


def score_key(weighted: float, application_id: str) -> str:
    """Sorts lexicographically in numeric order for scores 0–100 (the shortlist reads it descending)."""
    return f"{weighted:08.4f}#{application_id}"


def application_item(app: Application) -> dict[str, Any]:
    item = {"pk": f"APP#{app.id}", "sk": "META", "type": "application", **_stage_keys(app)}
    return item | app.model_dump(mode="json")


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


class Repository(Table):
    """Data access for requisitions, applications, audit and imports."""

    def put_audit(self, entry: AuditEntry) -> None:
        self.put_item(entry.item())

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
        self.write_versioned([(item, None)], audit, f"requisition {req.id} exists already")

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
        items = [self.new_op(guard, return_old=True), self.new_op(application_item(app)), self.audit_op(audit)]
        if app.external_ref:  # the vendor may address results by (requisition, external reference)
            ref = {
                "pk": f"REQ#{app.requisition_id}#REF#{app.external_ref}",
                "sk": "UNIQ",
                "type": "external_ref",
                "application_id": app.id,
                "source": app.source,
            }
            items.append(self.new_op(ref, return_old=True))
        try:
            self.transact(items)
        except ConditionFailed as failed:
            if not failed.first and 3 in failed.failed:
                return CreateOutcome("ref_taken", str(failed.old(3).get("application_id", "")))
            if not failed.first:
                raise
            existing = failed.old(0) or self.get_item(guard["pk"], "UNIQ") or {}
            status: Literal["duplicate", "replayed"] = (
                "replayed" if existing.get("source") == app.source else "duplicate"
            )
            return CreateOutcome(status, str(existing.get("application_id", "")))
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
        return self.versioned_op(application_item(after), before.version)

    def list_by_score(self, requisition_id: str, limit: int, token: str | None) -> Page:
        """The scored applications still in the pool, highest weighted score first (gsi3)."""
        return self.query(f"REQ#{requisition_id}#SCORED", index="gsi3", limit=limit, token=token, descending=True)

    def update_application(
        self, before: Application, after: Application, audit: AuditEntry, extra: list[dict[str, Any]] | None = None
    ) -> None:
        """Write ``after`` if the stored application is still at ``before.version``; audit in the same
        transaction (and ``extra`` transaction items, e.g. lookup items). A concurrent change makes this
        raise ``Conflict``."""
        self.write_versioned(
            [(application_item(after), before.version)],
            audit,
            f"application {after.id} was changed by someone else; reload and retry",
            details=[{"expected_version": before.version}],
            extra=extra or [],
        )

    # -- imports -----------------------------------------------------------------------------
    def put_import(self, job: ImportJob) -> None:
        self.put_item({"pk": f"IMPORT#{job.id}", "sk": "META", "type": "import", **job.model_dump(mode="json")}, NEW)

    def get_import(self, import_id: str) -> ImportJob | None:
        item = self.get_item(f"IMPORT#{import_id}", "META")
        return ImportJob.model_validate(item) if item else None

    def claim_import_file(self, import_id: str, etag: str, total_rows: int, chunks: int) -> bool:
        """Record that this uploaded file (by ETag) feeds the import; False if another file already does.
        Claiming the same file again succeeds, so a retried parse re-sends its (idempotent) chunks."""
        try:
            self.update_item(
                {"pk": f"IMPORT#{import_id}", "sk": "META"},
                "SET #s = :s, etag = :e, total_rows = :t, chunks = :c, parsed_at = :now",
                "attribute_exists(pk) AND (attribute_not_exists(etag) OR etag = :e)",
                names={"#s": "status"},
                values={":s": "processing", ":e": etag, ":t": total_rows, ":c": chunks, ":now": iso(utcnow())},
            )
        except ConditionFailed:
            return False
        return True

    def fail_import(self, import_id: str, reason: str) -> None:
        """Mark an import failed (a file that cannot be read) unless a readable file was already claimed."""
        try:
            self.update_item(
                {"pk": f"IMPORT#{import_id}", "sk": "META"},
                "SET #s = :s, failure = :r",
                "attribute_exists(pk) AND attribute_not_exists(etag)",
                names={"#s": "status"},
                values={":s": "failed", ":r": reason},
            )
        except ConditionFailed:
            return

    def record_chunk(self, import_id: str, chunk: int, results: list[RowResult]) -> bool:
        """Store per-row results, then count the chunk once (a redelivered chunk is not re-counted)."""
        rows = [
            {"pk": f"IMPORT#{import_id}", "sk": f"ROW#{r.row:07d}", "type": "import_row"} | r.model_dump(mode="json")
            for r in results
        ]
        self.put_all(rows)
        counts = {"accepted": 0, "rejected": 0, "duplicate": 0}
        for r in results:
            counts[r.outcome] += 1
        marker = {"pk": f"IMPORT#{import_id}", "sk": f"CHUNK#{chunk:05d}", "rows": len(results)}
        add = {":a": counts["accepted"], ":r": counts["rejected"], ":d": counts["duplicate"], ":p": len(results)}
        return self.put_new(
            [
                self.new_op(marker),
                self.update_op(
                    {"pk": f"IMPORT#{import_id}", "sk": "META"},
                    "ADD accepted :a, rejected :r, duplicate :d, processed_rows :p",
                    values=add,
                ),
            ]
        )

    def list_import_rows(self, import_id: str, limit: int, token: str | None) -> Page:
        return self.query(f"IMPORT#{import_id}", sk_prefix="ROW#", limit=limit, token=token)
