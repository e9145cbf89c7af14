"""AI interview results in the talent table: delivery records, score history, parked results.

=====================  ===========================  =================================  ==============
item                   pk                           sk                                 index
=====================  ===========================  =================================  ==============
delivery (event id)    WEBHOOK#<webhook-id>         EVENT                              - (TTL 90 days)
score history          APP#<application>            SCORE#<completed_at>#<webhook-id>  -
latest result          APP#<application>            META (attribute ``ai``)            gsi3: REQ#<req>#SCORED
parked result          PARKED#<requisition>         REF#<ref>#… / APP#<app>#…          gsi1: PARKED
external reference     REQ#<req>#REF#<ref>          UNIQ                               -
=====================  ===========================  =================================  ==============

The first delivery of an application's result is ONE ``TransactWriteItems`` call: the delivery
record (conditional: the webhook id is new), the history entry, the application's latest result
(conditional: it has none) and the requisition's scored count. A duplicate costs that one call,
which fails on the delivery record. A newer result for an application that has one costs a second
call (conditional: newer than the stored one); an older one a third that keeps it in the history;
an unknown application a second call that parks it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from botocore.exceptions import ClientError

from shared.domain.stages import TERMINAL, Stage
from shared.errors import ServiceUnavailable
from shared.models.interview import AiResult, ScoreRecord
from shared.store import retention
from shared.store.items import deserialize, serialize, value
from shared.store.repository import Page, PartitionStore, score_counter_key, score_key, unavailable

Outcome = Literal["stored", "stale", "duplicate", "parked"]
Mode = Literal["promote", "first", "newer"]


@dataclass(frozen=True)
class Delivery:
    webhook_id: str
    vendor_id: str
    requisition_id: str
    application_id: str | None
    external_ref: str | None
    record: ScoreRecord

    def item(self, outcome: str) -> dict[str, Any]:
        return {
            "pk": f"WEBHOOK#{self.webhook_id}",
            "sk": "EVENT",
            "type": "delivery",
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


class ResultStore(PartitionStore):
    def _put(self, item: dict[str, Any], condition: str | None = None, old: bool = False) -> dict[str, Any]:
        put: dict[str, Any] = {"TableName": self.table_name, "Item": serialize(item)}
        if condition:
            put["ConditionExpression"] = condition
        if old:
            put["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
        return {"Put": put}

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
                ":screened": value(Stage.screened.value),
                ":next": value(Stage.ai_interviewed.value),
                ":g1pk": value(f"REQ#{requisition_id}#STAGE#{Stage.ai_interviewed.value}"),
            }
        elif mode == "newer":
            extra = {":completed": value(latest.completed_at)}
        return {
            "Update": {
                "TableName": self.table_name,
                "Key": serialize({"pk": f"APP#{application_id}", "sk": "META"}),
                "UpdateExpression": "SET ai = :ai, gsi3pk = :g3pk, gsi3sk = :g3sk, updated_at = :now"
                + (", stage = :next, gsi1pk = :g1pk" if promote else "")
                + " ADD version :one",
                # a person no longer in the pool keeps results in the history only (out of the index)
                "ConditionExpression": f"attribute_exists(pk) AND requisition_id = :req AND {recency} "
                "AND NOT (stage IN (:hired, :rejected, :withdrawn))",
                "ExpressionAttributeValues": {
                    ":ai": value(latest.model_dump(mode="json")),
                    ":g3pk": value(f"REQ#{requisition_id}#SCORED"),
                    ":g3sk": value(score_key(latest.weighted_score, application_id)),
                    ":now": value(latest.received_at),
                    ":one": value(1),
                    ":req": value(requisition_id),
                    ":hired": value("hired"),
                    ":rejected": value("rejected"),
                    ":withdrawn": value("withdrawn"),
                    **extra,
                },
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        }

    def _history(self, application_id: str, record: ScoreRecord) -> dict[str, Any]:
        item = {
            "pk": f"APP#{application_id}",
            "sk": f"SCORE#{record.completed_at}#{record.webhook_id}",
            "type": "score",
            **record.model_dump(mode="json"),
        }
        return self._put(item)

    def lookup_ref(self, requisition_id: str, external_ref: str) -> str | None:
        item = self.repo.get_item(f"REQ#{requisition_id}#REF#{external_ref}", "UNIQ")
        return str(item["application_id"]) if item else None

    def _scored(self, requisition_id: str, application_id: str) -> dict[str, Any]:
        return {
            "Update": {
                "TableName": self.table_name,
                "Key": serialize(score_counter_key(requisition_id, application_id)),
                "UpdateExpression": "ADD #c :one",
                "ExpressionAttributeNames": {"#c": "count"},
                "ExpressionAttributeValues": {":one": value(1)},
            }
        }

    def _store(
        self, leading: dict[str, Any], stale_leading: dict[str, Any], app_id: str, req_id: str, record: ScoreRecord
    ) -> Outcome | None:
        """``leading`` makes the write happen once (a new delivery record, or the release of a parked
        result). A first result for the application: one call. A newer one: two. An older one: three.
        None when the application does not exist (in this requisition)."""
        latest = AiResult.model_validate(record.model_dump())
        mode: Mode = "promote"
        while True:
            items = [leading, self._history(app_id, record), self._latest_update(app_id, req_id, latest, mode)]
            if mode != "newer":
                items.append(self._scored(req_id, app_id))
            try:
                self._ddb.transact_write_items(TransactItems=items)
                return "stored"
            except ClientError as exc:
                reasons = exc.response.get("CancellationReasons") or []
                if not reasons:
                    raise (unavailable(exc) or exc) from exc
                if reasons[0].get("Code") == "ConditionalCheckFailed":
                    return "duplicate"
                if reasons[2].get("Code") != "ConditionalCheckFailed":
                    raise (unavailable(exc) or exc) from exc
                current = deserialize(reasons[2].get("Item") or {})
            if not current or current.get("requisition_id") != req_id:
                return None
            if current.get("stage") in TERMINAL:
                break  # the person left the pool
            if current.get("ai"):
                if mode == "newer":
                    break  # older than the stored result
                mode = "newer"
            elif mode == "promote":
                mode = "first"  # a first result for someone not (or no longer) at "screened"
            else:  # the application changed under us between the two attempts: let the sender retry
                raise ServiceUnavailable("the application changed while storing the result; retry", retry_after=1)
        # kept in the history, never overwrites the newer result
        stale = record.model_copy(update={"superseded": True})
        return "stale" if self.repo.put_new([stale_leading, self._history(app_id, stale)]) else "duplicate"

    def record(self, delivery: Delivery) -> Outcome:
        """Store one delivery: see the module docstring for the calls it costs."""
        if delivery.application_id is None:
            return self._park(delivery)
        new = "attribute_not_exists(pk)"
        outcome = self._store(
            self._put(delivery.item("stored"), new),
            self._put(delivery.item("stale"), new),
            delivery.application_id,
            delivery.requisition_id,
            delivery.record,
        )
        return self._park(delivery) if outcome is None else outcome

    def _park(self, delivery: Delivery) -> Outcome:
        pk, sk = delivery.parked_key()
        parked = {
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
        ok = self.repo.put_new([self._put(delivery.item("parked"), "attribute_not_exists(pk)"), self._put(parked)])
        return "parked" if ok else "duplicate"

    # -- reconciliation ------------------------------------------------------------------------
    def parked_for(self, requisition_id: str, prefix: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        token = None
        while True:
            page = self.repo.query(f"PARKED#{requisition_id}", sk_prefix=prefix, limit=100, token=token)
            found += page.items
            token = page.next_token
            if not token:
                return found

    def oldest_parked(self, limit: int) -> Page:
        return self.repo.query("PARKED", index="gsi1", limit=limit)

    def attach(self, parked: dict[str, Any], application_id: str, requisition_id: str) -> Outcome:
        """Move one parked result onto its application (newest wins; older go to history only)."""
        release = {
            "Delete": {
                "TableName": self.table_name,
                "Key": serialize({"pk": parked["pk"], "sk": parked["sk"]}),
                "ConditionExpression": "attribute_exists(pk)",
            }
        }
        record = ScoreRecord.model_validate(parked["record"])
        outcome = self._store(release, release, application_id, requisition_id, record)
        return "parked" if outcome is None else outcome

    def history(self, application_id: str) -> list[ScoreRecord]:
        page = self.repo.query(f"APP#{application_id}", sk_prefix="SCORE#", limit=200)
        return [ScoreRecord.model_validate(i) for i in page.items]

    # -- downstream requests the queue refused (sent again by the scheduled reconciliation) -----
    def put_pending_video(self, message: dict[str, Any]) -> None:
        item = {"pk": "PENDING#videos", "sk": str(message["webhook_id"]), "type": "pending_video", **message}
        self._ddb.put_item(TableName=self.table_name, Item=serialize(item))

    def pending_videos(self, limit: int) -> list[dict[str, Any]]:
        return self.repo.query("PENDING#videos", limit=limit).items

    def clear_pending_video(self, webhook_id: str) -> None:
        self._ddb.delete_item(TableName=self.table_name, Key=serialize({"pk": "PENDING#videos", "sk": webhook_id}))
