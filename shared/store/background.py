"""Background checks in the talent table.

======================  ==========================  =============================  ======================
item                    pk                          sk                             notes
======================  ==========================  =============================  ======================
check                   APP#<application>           BGC#<check-id>                 status, outcome, ordered_at
check index             BGC#<check-id>              META                           application_id (webhook lookup)
order outbox            PENDING#bgc                 <ordered_at>#<check-id>        until the order is queued
delivery (webhook id)   WEBHOOK#<webhook-id>        BGC                            TTL 90 days
======================  ==========================  =============================  ======================

An order is ONE transaction: the check (new), its index item (new), the outbox entry, the
application (conditional on the version read; moved to ``background_check`` when it was
``evaluated``) and the audit record. Every later state change is one conditional update of the
check with its audit record: ``ordered`` → ``submitted`` (the consumer), ``ordered``/``submitted``
→ ``completed``/``failed`` (the vendor's webhook, with its delivery record), ``completed`` →
``completed`` with another outcome (HR's review).
"""

from __future__ import annotations

from typing import Any, Literal

from shared.errors import Conflict
from shared.models.application import Application
from shared.models.background import BackgroundCheck, BackgroundResultPayload, HistoryEntry, Outcome, as_item
from shared.models.common import iso, utcnow
from shared.security.fields import seal
from shared.store import retention
from shared.store.applications import application_item
from shared.store.audit import AuditEntry
from shared.store.failures import ConditionFailed
from shared.store.table import Store

PREFIX = "BGC#"
OUTBOX = "PENDING#bgc"
Received = Literal["completed", "failed", "duplicate", "ignored", "reused"]


def sealed_result(result: BackgroundResultPayload) -> dict[str, Any]:
    """The result as stored: the credit record (status and notes) sealed field-level
    (``shared/security/fields.py``); ``BackgroundCheck`` reveals it when a check is read."""
    stored = result.model_dump(mode="json", exclude_none=True)
    if result.credit is not None:
        stored["credit"] = seal(result.credit.model_dump_json(), "credit").model_dump()
    return stored


class BackgroundStore(Store):
    # -- reads -------------------------------------------------------------------------------------
    def checks(self, application_id: str) -> list[BackgroundCheck]:
        page = self.table.query(f"APP#{application_id}", sk_prefix=PREFIX, limit=200)
        return [BackgroundCheck.model_validate(i) for i in page.items]

    def get(self, application_id: str, check_id: str) -> BackgroundCheck | None:
        return self.table.get_model(BackgroundCheck, f"APP#{application_id}", f"{PREFIX}{check_id}")

    def application_for(self, check_id: str) -> str | None:
        """The application of a check, by the check id alone (the vendor's webhook knows only that)."""
        item = self.table.get_item(f"{PREFIX}{check_id}", "META")
        return str(item["application_id"]) if item else None

    # -- order -------------------------------------------------------------------------------------
    def order(self, before: Application, after: Application, check: BackgroundCheck, audit: AuditEntry) -> None:
        """The check, its index and outbox entries, the application (conditional on the version read)
        and the audit record, in one transaction. ``Conflict`` if the application changed meanwhile."""
        index = {"pk": f"{PREFIX}{check.check_id}", "sk": "META", "type": "background_check_index"}
        index |= {"application_id": check.application_id}
        outbox = {"pk": OUTBOX, "sk": f"{check.ordered_at}#{check.check_id}", "type": "pending_background_order"}
        outbox |= {"application_id": check.application_id, "check_id": check.check_id}
        items = [
            self.table.versioned_op(application_item(after), before.version),
            self.table.new_op(as_item(check)),
            self.table.new_op(index),
            self.table.put_op(outbox),
            self.table.audit_op(audit),
        ]
        try:
            self.table.transact(items)
        except ConditionFailed as failed:
            if not failed.first:
                raise
            raise Conflict(
                f"application {after.id} was changed by someone else; reload and retry",
                [{"expected_version": before.version}],
            ) from failed

    # -- outbox (orders not yet on the queue) ------------------------------------------------------
    def outbox(self, limit: int) -> list[dict[str, Any]]:
        return self.table.query(OUTBOX, limit=limit).items

    def clear_outbox(self, ordered_at: str, check_id: str) -> None:
        self.table.delete_item({"pk": OUTBOX, "sk": f"{ordered_at}#{check_id}"})

    # -- state changes -----------------------------------------------------------------------------
    def _update(
        self,
        check: BackgroundCheck,
        sets: dict[str, Any],
        entry: HistoryEntry,
        condition: str,
        values: dict[str, Any],
    ) -> dict[str, Any]:
        names = {"#s": "status"}
        assignments = ["history = list_append(if_not_exists(history, :empty), :h)"]
        vals: dict[str, Any] = {":h": [entry.model_dump(mode="json")], ":empty": [], ":one": 1, **values}
        for i, (field, val) in enumerate(sets.items()):
            names[f"#f{i}"] = field
            vals[f":f{i}"] = val
            assignments.append(f"#f{i} = :f{i}")
        return self.table.update_op(
            {"pk": f"APP#{check.application_id}", "sk": f"{PREFIX}{check.check_id}"},
            "SET " + ", ".join(assignments) + " ADD version :one",
            condition,
            names=names,
            values=vals,
        )

    def mark_submitted(self, check: BackgroundCheck, vendor_reference: str, audit: AuditEntry) -> bool:
        """``ordered`` → ``submitted`` with the vendor's reference; False if it is no longer ``ordered``
        (a redelivered order, or the result already came back)."""
        now = iso(utcnow())
        entry = HistoryEntry(at=now, actor="system", action="submitted", status="submitted")
        update = self._update(
            check,
            {"status": "submitted", "vendor_reference": vendor_reference, "submitted_at": now, "updated_at": now},
            entry,
            "#s = :ordered",
            {":ordered": "ordered"},
        )
        return self.table.put_new([update, self.table.audit_op(audit)])

    def _delivery(self, webhook_id: str, vendor_id: str, check_id: str, outcome: str, digest: str) -> dict[str, Any]:
        item = {
            "pk": f"WEBHOOK#{webhook_id}",
            "sk": "BGC",
            "type": "background_delivery",
            "vendor_id": vendor_id,
            "check_id": check_id,
            "outcome": outcome,
            "digest": digest,
            "received_at": iso(utcnow()),
            "expires_at": retention.expires_at(retention.Kind.delivery_record),
        }
        return self.table.new_op(item, return_old=True)

    def record_result(
        self,
        check: BackgroundCheck,
        result: BackgroundResultPayload,
        outcome: Outcome | None,
        webhook_id: str,
        vendor_id: str,
        audit: AuditEntry,
        digest: str,
    ) -> Received:
        """Store the vendor's result once: the delivery record (new webhook id, the body's ``digest``),
        the check (still ``ordered`` or ``submitted``) and the audit record. A result for a check that
        already has one is recorded as a delivery and ``ignored``; the stored result and HR's review
        stand. A webhook id seen before is ``duplicate`` with the same body, ``reused`` with another."""
        now = iso(utcnow())
        status: Literal["completed", "failed"] = result.status
        entry = HistoryEntry(at=now, actor=f"vendor:{vendor_id}", action=status, status=status, outcome=outcome)
        sets: dict[str, Any] = {
            "status": status,
            "completed_at": result.completed_at,
            "received_at": now,
            "updated_at": now,
            "webhook_id": webhook_id,
            "result": sealed_result(result),
        }
        if outcome is not None:
            sets["outcome"] = outcome
        if result.failure_reason:
            sets["failure_reason"] = result.failure_reason
        if result.vendor_reference and not check.vendor_reference:
            sets["vendor_reference"] = result.vendor_reference
        update = self._update(
            check, sets, entry, "#s IN (:ordered, :submitted)", {":ordered": "ordered", ":submitted": "submitted"}
        )
        delivery = self._delivery(webhook_id, vendor_id, check.check_id, status, digest)
        try:
            self.table.transact([delivery, update, self.table.audit_op(audit)])
        except ConditionFailed as failed:
            if failed.first:
                return _repeated(failed.old(0), digest)
            if 1 not in failed.failed:
                raise
            ignored = self._delivery(webhook_id, vendor_id, check.check_id, "ignored", digest)
            try:
                self.table.transact([ignored])
            except ConditionFailed as again:
                return _repeated(again.old(0), digest)
            return "ignored"
        return status

    def review(
        self, check: BackgroundCheck, outcome: Outcome, reason: str, actor: str, expected: int | None, audit: AuditEntry
    ) -> None:
        """HR sets the outcome of a completed check, with a reason; conditional on the check still being
        completed and, with ``expected``, at that version. ``Conflict`` otherwise."""
        now = iso(utcnow())
        entry = HistoryEntry(at=now, actor=actor, action="reviewed", status="completed", outcome=outcome, reason=reason)
        condition = "#s = :completed"
        values: dict[str, Any] = {":completed": "completed"}
        if expected is not None:
            condition += " AND version = :v"
            values[":v"] = expected
        update = self._update(check, {"outcome": outcome, "updated_at": now}, entry, condition, values)
        if not self.table.put_new([update, self.table.audit_op(audit)]):
            raise Conflict(
                f"background check {check.check_id} changed meanwhile; reload and retry",
                [{"field": "version", "message": "changed by someone else; reload"}],
            )


def _repeated(stored: dict[str, Any], digest: str) -> Received:
    """A webhook id seen before: a retry with the same body, a reused id with another (records kept
    before digests were count as retries)."""
    return "duplicate" if stored.get("digest", digest) == digest else "reused"
