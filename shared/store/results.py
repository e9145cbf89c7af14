"""AI interview results in the talent table: score history, the projection onto the application, parked results.

=====================  ===========================  =================================  ==============
item                   pk                           sk                                 index
=====================  ===========================  =================================  ==============
delivery record        WEBHOOK#<webhook-id>         AI#<vendor>                        -
score history          APP#<application>            SCORE#<completed_at>#<webhook-id>  -
latest result          APP#<application>            META (attribute ``ai``)            gsi3: REQ#<req>#SCORED
parked result          PARKED#<requisition>         REF#<ref>#… / APP#<app>#…          gsi1: PARKED
external reference     REQ#<req>#REF#<ref>          UNIQ                               -
=====================  ===========================  =================================  ==============

Two steps, so that the vendor-facing write stays one small item:

1. ``record`` (the webhook): ONE ``TransactWriteItems`` — the delivery record ``WEBHOOK#<id>``
   (the body's SHA-256), conditional on being new; a check that the application exists in the
   result's requisition; the history entry. A webhook id means one delivery: a vendor's retry of the
   same message fails the first condition and writes nothing (``duplicate``, one call); the same id
   with another body is ``reused`` (the first body kept; the service refuses it 409). A result for an
   application that does not exist is parked at once (``parked``), one that names an application of
   another requisition is ``misaddressed`` (refused, nothing written). The history entry carries its
   provenance (vendor, model version, webhook id, received time, raw payload) and the requisition.
2. ``project`` (the table's stream, ``functions.consumers.table_stream.project_results``): each new history
   entry is applied to the application — its latest result (newest ``completed_at`` wins), its
   weighted score in the shortlist index, the first result's move ``screened`` →
   ``ai_interviewed`` and the requisition's scored count, in one transaction conditional on what
   the application holds. An older result is marked ``superseded`` and stays in the history; one
   for an application that does not exist (in this requisition) is moved to the parked results.
   Replaying a stream record changes nothing (the stored result names its webhook id).

A result addressed by an external reference nobody has imported yet is parked by the webhook itself
(two calls: the reference lookup and the parking transaction) and attached when the application
appears.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from shared.domain.stages import TERMINAL, Stage
from shared.errors import ServiceUnavailable
from shared.models.interview import AiResult, ScoreRecord
from shared.security.webhooks import body_digest
from shared.store import retention
from shared.store.applications import score_key
from shared.store.failures import ConditionFailed
from shared.store.items import deserialize
from shared.store.requisitions import score_counter_key
from shared.store.table import NEW, Page, Store

Outcome = Literal["stored", "duplicate", "parked"]
# what ``record`` found: an answer, or a vendor fault the service refuses
Recorded = Literal["stored", "duplicate", "parked", "reused", "misaddressed"]
Projection = Literal["applied", "current", "stale", "left_pool", "parked"]
Mode = Literal["promote", "first", "newer"]


@dataclass(frozen=True)
class Delivery:
    webhook_id: str
    vendor_id: str
    requisition_id: str
    application_id: str | None
    external_ref: str | None
    record: ScoreRecord

    @property
    def digest(self) -> str:
        """The SHA-256 of the delivered body: what one webhook id stands for."""
        return body_digest(self.record.raw_payload.encode("utf-8"))

    def item(self, outcome: str) -> dict[str, Any]:
        return {
            "pk": f"WEBHOOK#{self.webhook_id}",
            "sk": f"AI#{self.vendor_id}",  # a webhook id is unique per sender (the e-sign vendor's are EVENT)
            "type": "delivery",
            "digest": self.digest,
            "vendor_id": self.vendor_id,
            "requisition_id": self.requisition_id,
            "application_id": self.application_id,
            "external_ref": self.external_ref,
            "received_at": self.record.received_at,
            "outcome": outcome,
            "expires_at": retention.expires_at(retention.Kind.delivery_record),
        }

    def parked_key(self) -> tuple[str, str]:
        tail = f"{self.record.completed_at}#{self.webhook_id}"
        if self.external_ref:
            return f"PARKED#{self.requisition_id}", f"REF#{self.external_ref}#{tail}"
        return f"PARKED#{self.requisition_id}", f"APP#{self.application_id}#{tail}"


def history_key(record: ScoreRecord) -> str:
    return f"SCORE#{record.completed_at}#{record.webhook_id}"


class ResultStore(Store):
    def _latest_update(self, application_id: str, requisition_id: str, latest: AiResult, mode: Mode) -> dict[str, Any]:
        """Set the application's latest result. ``promote``: its first result while it is ``screened``,
        which also moves it to ``ai_interviewed`` (the history entry written alongside records why);
        ``first``: its first result at another stage; ``newer``: only if newer than the stored one.
        For the first two the requisition's scored count goes up in the same transaction."""
        recency = {
            "promote": "attribute_not_exists(ai) AND stage = :screened",
            "first": "attribute_not_exists(ai)",
            "newer": "ai.completed_at < :completed",
        }[mode]
        promote = mode == "promote"
        extra: dict[str, Any] = {}
        if promote:
            extra = {
                ":screened": Stage.screened.value,
                ":next": Stage.ai_interviewed.value,
                ":g1pk": f"REQ#{requisition_id}#STAGE#{Stage.ai_interviewed.value}",
            }
        elif mode == "newer":
            extra = {":completed": latest.completed_at}
        return self.table.update_op(
            {"pk": f"APP#{application_id}", "sk": "META"},
            "SET ai = :ai, gsi3pk = :g3pk, gsi3sk = :g3sk, updated_at = :now"
            + (", stage = :next, gsi1pk = :g1pk" if promote else "")
            + " ADD version :one",
            # a person no longer in the pool keeps results in the history only (out of the index)
            f"attribute_exists(pk) AND requisition_id = :req AND {recency} "
            "AND NOT (stage IN (:hired, :rejected, :withdrawn))",
            values={
                ":ai": latest.model_dump(mode="json"),
                ":g3pk": f"REQ#{requisition_id}#SCORED",
                ":g3sk": score_key(latest.weighted_score, application_id),
                ":now": latest.received_at,
                ":one": 1,
                ":req": requisition_id,
                ":hired": "hired",
                ":rejected": "rejected",
                ":withdrawn": "withdrawn",
                **extra,
            },
            return_old=True,
        )

    def lookup_ref(self, requisition_id: str, external_ref: str) -> str | None:
        item = self.table.get_item(f"REQ#{requisition_id}#REF#{external_ref}", "UNIQ")
        return str(item["application_id"]) if item else None

    def _scored(self, requisition_id: str, application_id: str) -> dict[str, Any]:
        return self.table.update_op(
            score_counter_key(requisition_id, application_id), "ADD #c :one", names={"#c": "count"}, values={":one": 1}
        )

    @staticmethod
    def _history_item(application_id: str, requisition_id: str, record: ScoreRecord) -> dict[str, Any]:
        return {
            "pk": f"APP#{application_id}",
            "sk": history_key(record),
            "type": "score",
            "requisition_id": requisition_id,
            **record.model_dump(mode="json"),
        }

    @staticmethod
    def stream_entry(image: dict[str, Any]) -> tuple[str, str, ScoreRecord]:
        """A new history entry from its stream record (``NEW_IMAGE``): application, requisition, record."""
        item = deserialize(image)
        return str(item["pk"]).removeprefix("APP#"), str(item["requisition_id"]), ScoreRecord.model_validate(item)

    def record(self, delivery: Delivery) -> Recorded:
        """Store one delivery: one ``TransactWriteItems`` (see the module docstring)."""
        if delivery.application_id is None:
            return self._park(delivery)
        app_id, req_id = delivery.application_id, delivery.requisition_id
        items = [
            self.table.new_op(delivery.item("stored"), return_old=True),
            self.table.check_op(
                {"pk": f"APP#{app_id}", "sk": "META"},
                "attribute_exists(pk) AND requisition_id = :req",
                values={":req": req_id},
                return_old=True,
            ),
            self.table.put_op(self._history_item(app_id, req_id, delivery.record), NEW),
        ]
        try:
            self.table.transact(items)
        except ConditionFailed as failed:
            if failed.first:
                return _repeated(delivery, failed.old(0))
            if 1 in failed.failed:
                return "misaddressed" if failed.old(1) else self._park(delivery)
            return "duplicate"  # in the history already, its delivery record past retention
        return "stored"

    def project(self, application_id: str, requisition_id: str, record: ScoreRecord) -> Projection:
        """Apply one stored history entry to its application (the stream consumer's step).

        A first result: one call. A newer one: two. An older one: three (the last marks it
        superseded). Idempotent: the entry that is already the application's result is ``current``."""
        latest = AiResult.model_validate(record.model_dump())
        mode: Mode = "promote"
        while True:
            items = [self._latest_update(application_id, requisition_id, latest, mode)]
            if mode != "newer":
                items.append(self._scored(requisition_id, application_id))
            try:
                self.table.transact(items)
                return "applied"
            except ConditionFailed as failed:
                if not failed.first:
                    raise
                current = failed.old(0)
            if not current or current.get("requisition_id") != requisition_id:
                return self._park_orphan(application_id, requisition_id, record)
            if (current.get("ai") or {}).get("webhook_id") == record.webhook_id:
                return "current"  # a replayed stream record: already applied
            if current.get("stage") in TERMINAL:
                return "left_pool"  # the person left the pool: the result stays in the history only
            if current.get("ai"):
                if mode == "newer":
                    break  # older than the stored result
                mode = "newer"
            elif mode == "promote":
                mode = "first"  # a first result for someone not (or no longer) at "screened"
            else:  # the application changed between the two attempts: the stream retries the batch
                raise ServiceUnavailable("the application changed while applying the result; retry", retry_after=1)
        self.table.write(
            self.table.update_op(
                {"pk": f"APP#{application_id}", "sk": history_key(record)},
                "SET superseded = :t",
                "attribute_exists(pk)",
                values={":t": True},
            )
        )
        return "stale"

    def _park_orphan(self, application_id: str, requisition_id: str, record: ScoreRecord) -> Projection:
        """A result for an application id that does not exist in this requisition: move it from the
        history to the parked results (one transaction), so the reconciliation can attach it."""
        delivery = Delivery(record.webhook_id, record.vendor_id, requisition_id, application_id, None, record)
        pk, sk = delivery.parked_key()
        remove = self.table.delete_op(
            {"pk": f"APP#{application_id}", "sk": history_key(record)}, "attribute_exists(pk)"
        )
        self.table.put_new([remove, self.table.put_op(self._parked_item(delivery, pk, sk))])
        return "parked"

    def _parked_item(self, delivery: Delivery, pk: str, sk: str) -> dict[str, Any]:
        return {
            "pk": pk,
            "sk": sk,
            "type": "parked_result",
            "gsi1pk": "PARKED",
            "gsi1sk": f"{delivery.record.received_at}#{delivery.webhook_id}",
            "requisition_id": delivery.requisition_id,
            "application_id": delivery.application_id,
            "external_ref": delivery.external_ref,
            "record": delivery.record.model_dump(mode="json"),
            "expires_at": retention.expires_at(retention.Kind.parked_result),
        }

    def _park(self, delivery: Delivery) -> Recorded:
        """Park a result addressed by an external reference nobody has imported yet. The delivery
        record makes it exactly once (its key is the webhook id; it expires with the delivery records'
        retention)."""
        pk, sk = delivery.parked_key()
        parked = self.table.put_op(self._parked_item(delivery, pk, sk))
        try:
            self.table.transact([self.table.new_op(delivery.item("parked"), return_old=True), parked])
        except ConditionFailed as failed:
            if failed.first:
                return _repeated(delivery, failed.old(0))
            raise
        return "parked"

    # -- reconciliation ------------------------------------------------------------------------
    def parked_for(self, requisition_id: str, prefix: str) -> list[dict[str, Any]]:
        return self.table.query_all(f"PARKED#{requisition_id}", sk_prefix=prefix, page_size=100)

    def any_parked(self, requisition_id: str) -> bool:
        """True unless the requisition certainly holds no parked result: an expired item that the
        retention filter hides still leaves a next page, which counts as "maybe"."""
        page = self.table.query(f"PARKED#{requisition_id}", limit=1)
        return bool(page.items or page.next_token)

    def oldest_parked(self, limit: int) -> Page:
        return self.table.query("PARKED", index="gsi1", limit=limit)

    def attach(self, parked: dict[str, Any], application_id: str, requisition_id: str) -> Outcome:
        """Move one parked result into its application's history (one transaction: release the
        parked item, write the history entry); the stream applies it like any delivery."""
        release = self.table.delete_op({"pk": parked["pk"], "sk": parked["sk"]}, "attribute_exists(pk)")
        record = ScoreRecord.model_validate(parked["record"])
        # unconditional: a delivery of the same message may be in the history already
        history = self.table.put_op(self._history_item(application_id, requisition_id, record))
        return "stored" if self.table.put_new([release, history]) else "duplicate"

    def history(self, application_id: str) -> list[ScoreRecord]:
        page = self.table.query(f"APP#{application_id}", sk_prefix="SCORE#", limit=200)
        return [ScoreRecord.model_validate(i) for i in page.items]

    # -- downstream requests the queue refused (sent again by the scheduled reconciliation) -----
    def put_pending_video(self, message: dict[str, Any]) -> None:
        self.table.put_item(
            {"pk": "PENDING#videos", "sk": str(message["webhook_id"]), "type": "pending_video", **message}
        )

    def pending_videos(self, limit: int) -> list[dict[str, Any]]:
        return self.table.query("PENDING#videos", limit=limit).items

    def clear_pending_video(self, webhook_id: str) -> None:
        self.table.delete_item({"pk": "PENDING#videos", "sk": webhook_id})


def _repeated(delivery: Delivery, stored: dict[str, Any]) -> Recorded:
    """A webhook id seen before: the same body is a retry, another body a reused id (records written
    before the digest was kept count as retries)."""
    return "duplicate" if stored.get("digest", delivery.digest) == delivery.digest else "reused"
