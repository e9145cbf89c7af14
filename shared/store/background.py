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

import contextlib
from typing import Any, Literal

from botocore.exceptions import ClientError

from shared.errors import Conflict
from shared.models.application import Application
from shared.models.background import BackgroundCheck, BackgroundResultPayload, HistoryEntry, Outcome, as_item
from shared.models.common import iso, utcnow
from shared.security.fields import seal
from shared.store import aws, retention
from shared.store.failures import unavailable
from shared.store.items import serialize, value
from shared.store.repository import AuditEntry, PartitionStore, _stage_keys

PREFIX = "BGC#"
OUTBOX = "PENDING#bgc"
Received = Literal["completed", "failed", "duplicate", "ignored"]


def _cancelled_first(exc: ClientError) -> bool:
    reasons = exc.response.get("CancellationReasons") or []
    return bool(reasons) and reasons[0].get("Code") == "ConditionalCheckFailed"


def sealed_result(result: BackgroundResultPayload) -> dict[str, Any]:
    """The result as stored: the credit record (status and notes) sealed field-level
    (``shared/security/fields.py``); ``BackgroundCheck`` reveals it when a check is read."""
    stored = result.model_dump(mode="json", exclude_none=True)
    if result.credit is not None:
        stored["credit"] = seal(result.credit.model_dump_json(), "credit").model_dump()
    return stored


class BackgroundStore(PartitionStore):
    def _audit(self, audit: AuditEntry) -> dict[str, Any]:
        return {"Put": {"TableName": self.table_name, "Item": serialize(audit.item())}}

    def _key(self, check: BackgroundCheck) -> dict[str, Any]:
        return serialize({"pk": f"APP#{check.application_id}", "sk": f"{PREFIX}{check.check_id}"})

    # -- reads -------------------------------------------------------------------------------------
    def checks(self, application_id: str) -> list[BackgroundCheck]:
        page = self.repo.query(f"APP#{application_id}", sk_prefix=PREFIX, limit=200)
        return [BackgroundCheck.model_validate(i) for i in page.items]

    def get(self, application_id: str, check_id: str) -> BackgroundCheck | None:
        item = self.repo.get_item(f"APP#{application_id}", f"{PREFIX}{check_id}")
        return BackgroundCheck.model_validate(item) if item else None

    def application_for(self, check_id: str) -> str | None:
        """The application of a check, by the check id alone (the vendor's webhook knows only that)."""
        item = self.repo.get_item(f"{PREFIX}{check_id}", "META")
        return str(item["application_id"]) if item else None

    # -- order -------------------------------------------------------------------------------------
    def order(self, before: Application, after: Application, check: BackgroundCheck, audit: AuditEntry) -> None:
        """The check, its index and outbox entries, the application (conditional on the version read)
        and the audit record, in one transaction. ``Conflict`` if the application changed meanwhile."""
        app_item = {"pk": f"APP#{after.id}", "sk": "META", "type": "application", **_stage_keys(after)}
        app_item.update(after.model_dump(mode="json"))
        index = {"pk": f"{PREFIX}{check.check_id}", "sk": "META", "type": "background_check_index"}
        index |= {"application_id": check.application_id}
        outbox = {"pk": OUTBOX, "sk": f"{check.ordered_at}#{check.check_id}", "type": "pending_background_order"}
        outbox |= {"application_id": check.application_id, "check_id": check.check_id}
        new = "attribute_not_exists(pk)"
        try:
            self._ddb.transact_write_items(
                TransactItems=[
                    {
                        "Put": {
                            "TableName": self.table_name,
                            "Item": serialize(app_item),
                            "ConditionExpression": "#v = :v",
                            "ExpressionAttributeNames": {"#v": "version"},
                            "ExpressionAttributeValues": {":v": value(before.version)},
                        }
                    },
                    {
                        "Put": {
                            "TableName": self.table_name,
                            "Item": serialize(as_item(check)),
                            "ConditionExpression": new,
                        }
                    },
                    {"Put": {"TableName": self.table_name, "Item": serialize(index), "ConditionExpression": new}},
                    {"Put": {"TableName": self.table_name, "Item": serialize(outbox)}},
                    self._audit(audit),
                ]
            )
        except ClientError as exc:
            if _cancelled_first(exc):
                raise Conflict(
                    f"application {after.id} was changed by someone else; reload and retry",
                    [{"expected_version": before.version}],
                ) from exc
            raise (unavailable(exc) or exc) from exc

    # -- outbox (orders not yet on the queue) ------------------------------------------------------
    def outbox(self, limit: int) -> list[dict[str, Any]]:
        return self.repo.query(OUTBOX, limit=limit).items

    def clear_outbox(self, ordered_at: str, check_id: str) -> None:
        self._ddb.delete_item(
            TableName=self.table_name, Key=serialize({"pk": OUTBOX, "sk": f"{ordered_at}#{check_id}"})
        )

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
        return {
            "Update": {
                "TableName": self.table_name,
                "Key": self._key(check),
                "UpdateExpression": "SET " + ", ".join(assignments) + " ADD version :one",
                "ConditionExpression": condition,
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": {k: value(v) for k, v in vals.items()},
            }
        }

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
        try:
            self._ddb.transact_write_items(TransactItems=[update, self._audit(audit)])
        except ClientError as exc:
            if _cancelled_first(exc):
                return False
            raise (unavailable(exc) or exc) from exc
        return True

    def _delivery(self, webhook_id: str, vendor_id: str, check_id: str, outcome: str) -> dict[str, Any]:
        item = {
            "pk": f"WEBHOOK#{webhook_id}",
            "sk": "BGC",
            "type": "background_delivery",
            "vendor_id": vendor_id,
            "check_id": check_id,
            "outcome": outcome,
            "received_at": iso(utcnow()),
            "expires_at": retention.expires_at(retention.Kind.delivery_record),
        }
        return {
            "Put": {
                "TableName": self.table_name,
                "Item": serialize(item),
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }

    def record_result(
        self,
        check: BackgroundCheck,
        result: BackgroundResultPayload,
        outcome: Outcome | None,
        webhook_id: str,
        vendor_id: str,
        audit: AuditEntry,
    ) -> Received:
        """Store the vendor's result once: the delivery record (new webhook id), the check (still
        ``ordered`` or ``submitted``) and the audit record. A result for a check that already has one
        is recorded as a delivery and ``ignored``; the stored result and HR's review stand."""
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
        try:
            self._ddb.transact_write_items(
                TransactItems=[
                    self._delivery(webhook_id, vendor_id, check.check_id, status),
                    update,
                    self._audit(audit),
                ]
            )
        except ClientError as exc:
            reasons = exc.response.get("CancellationReasons") or []
            if _cancelled_first(exc):
                return "duplicate"
            if len(reasons) > 1 and reasons[1].get("Code") == "ConditionalCheckFailed":
                try:
                    self._ddb.transact_write_items(
                        TransactItems=[self._delivery(webhook_id, vendor_id, check.check_id, "ignored")]
                    )
                except ClientError as again:
                    if _cancelled_first(again):
                        return "duplicate"
                    raise (unavailable(again) or again) from again
                return "ignored"
            raise (unavailable(exc) or exc) from exc
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
        try:
            self._ddb.transact_write_items(TransactItems=[update, self._audit(audit)])
        except ClientError as exc:
            if _cancelled_first(exc):
                raise Conflict(
                    f"background check {check.check_id} changed meanwhile; reload and retry",
                    [{"field": "version", "message": "changed by someone else; reload"}],
                ) from exc
            raise (unavailable(exc) or exc) from exc


def delay_message(queue_url: str, receipt_handle: str, seconds: int) -> None:
    """Keep a failed message invisible for ``seconds`` (its backoff) before SQS redelivers it. Best
    effort: if this fails the message comes back after the queue's visibility timeout instead."""
    with contextlib.suppress(ClientError):
        aws.client("sqs").change_message_visibility(
            QueueUrl=queue_url, ReceiptHandle=receipt_handle, VisibilityTimeout=seconds
        )
