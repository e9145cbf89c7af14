"""Offers in the talent table.

=========================  =====================  ======================  =========================
item                       pk                     sk                      written
=========================  =====================  ======================  =========================
offer                      APP#<application>      OFFER#<offer>           creation, every change
offer lookup               OFFER#<offer>          META                    creation (names the app)
e-sign delivery            WEBHOOK#<webhook-id>   EVENT                   with the change it made
outbox (queue message)     PENDING#offers         <queue>#<offer>         with the change; deleted
                                                                          once the queue took it
audit                      AUDIT#offer:<offer>    <ts>#<id>               with every change
=========================  =====================  ======================  =========================

Every change is one ``TransactWriteItems``: the offer conditional on the version read (and the
application conditional on its version when its stage moves), the audit record, and what the
change must cause (an outbox record of the queue message). A queue message is sent after the
transaction and its outbox record deleted; if the queue refuses, the scheduled reconciliation
sends it later.
"""

from __future__ import annotations

from typing import Any, Literal

from botocore.exceptions import ClientError

from shared.errors import Conflict, ServiceUnavailable
from shared.models.common import iso, utcnow
from shared.models.offer import Offer
from shared.store import retention
from shared.store.failures import unavailable
from shared.store.items import serialize, value
from shared.store.repository import AuditEntry, PartitionStore

OFFER_PREFIX = "OFFER#"
OUTBOX_PK = "PENDING#offers"
Queue = Literal["esign", "onboarding"]


def offer_item(offer: Offer) -> dict[str, Any]:
    return {"pk": f"APP#{offer.application_id}", "sk": f"{OFFER_PREFIX}{offer.id}", "type": "offer"} | offer.model_dump(
        mode="json"
    )


class OfferStore(PartitionStore):
    # -- building blocks of a transaction ---------------------------------------------------------
    def put(self, item: dict[str, Any], condition: str | None = None, version: int | None = None) -> dict[str, Any]:
        put: dict[str, Any] = {"TableName": self.table_name, "Item": serialize(item)}
        if version is not None:
            put["ConditionExpression"] = "#v = :v"
            put["ExpressionAttributeNames"] = {"#v": "version"}
            put["ExpressionAttributeValues"] = {":v": value(version)}
        elif condition:
            put["ConditionExpression"] = condition
        return {"Put": put}

    def offer_put(self, after: Offer, expected: int | None) -> dict[str, Any]:
        """The offer, conditional on the stored version (``None``: on there being none)."""
        if expected is None:
            return self.put(offer_item(after), "attribute_not_exists(pk)")
        return self.put(offer_item(after), version=expected)

    def lookup_put(self, offer: Offer) -> dict[str, Any]:
        item = {"pk": f"{OFFER_PREFIX}{offer.id}", "sk": "META", "type": "offer_lookup"}
        item |= {"application_id": offer.application_id}
        return self.put(item, "attribute_not_exists(pk)")

    def audit_put(self, audit: AuditEntry) -> dict[str, Any]:
        return self.put(audit.item())

    def outbox_put(self, queue: Queue, offer_id: str, body: str) -> dict[str, Any]:
        item = {
            "pk": OUTBOX_PK,
            "sk": f"{queue}#{offer_id}",
            "type": "outbox",
            "queue": queue,
            "offer_id": offer_id,
            "body": body,
            "created_at": iso(utcnow()),
        }
        return self.put(item)

    def delivery_put(self, webhook_id: str, offer_id: str, event: str) -> dict[str, Any]:
        item = {
            "pk": f"WEBHOOK#{webhook_id}",
            "sk": "EVENT",
            "type": "esign_delivery",
            "offer_id": offer_id,
            "event": event,
            "received_at": iso(utcnow()),
            "expires_at": retention.expires_at(retention.Kind.delivery_record),
        }
        return self.put(item, "attribute_not_exists(pk)")

    def transact(self, items: list[dict[str, Any]], conflicts: dict[int, str]) -> None:
        """Write ``items`` at once. A failed condition on item ``i`` raises ``Conflict(conflicts[i])``."""
        try:
            self._ddb.transact_write_items(TransactItems=items)
        except ClientError as exc:
            reasons = exc.response.get("CancellationReasons") or []
            for i, reason in enumerate(reasons):
                if reason.get("Code") == "ConditionalCheckFailed" and i in conflicts:
                    detail = [{"field": "version", "message": "changed meanwhile; reload"}]
                    raise Conflict(conflicts[i], detail) from exc
            raise (unavailable(exc) or exc) from exc

    def transact_once(self, items: list[dict[str, Any]]) -> bool:
        """Write ``items`` unless the FIRST one's condition fails (a delivery seen before): False.
        Any other failed condition means something changed meanwhile: 503, the sender retries."""
        try:
            self._ddb.transact_write_items(TransactItems=items)
        except ClientError as exc:
            reasons = exc.response.get("CancellationReasons") or []
            if reasons and reasons[0].get("Code") == "ConditionalCheckFailed":
                return False
            if any(r.get("Code") == "ConditionalCheckFailed" for r in reasons):
                raise ServiceUnavailable("the offer changed while recording the event; retry", retry_after=2) from exc
            raise (unavailable(exc) or exc) from exc
        return True

    # -- reads ------------------------------------------------------------------------------------
    def partition(self, application_id: str) -> list[dict[str, Any]]:
        """Every item of the application's partition: ONE Query (paged only for huge partitions)."""
        items: list[dict[str, Any]] = []
        token = None
        while True:
            page = self.repo.query(f"APP#{application_id}", limit=1000, token=token)
            items += page.items
            token = page.next_token
            if not token:
                return items

    def offers(self, application_id: str) -> list[Offer]:
        page = self.repo.query(f"APP#{application_id}", sk_prefix=OFFER_PREFIX, limit=100)
        return sorted((Offer.model_validate(i) for i in page.items), key=lambda o: o.created_at, reverse=True)

    def get(self, application_id: str, offer_id: str) -> Offer | None:
        item = self.repo.get_item(f"APP#{application_id}", f"{OFFER_PREFIX}{offer_id}")
        return Offer.model_validate(item) if item else None

    def application_of(self, offer_id: str) -> str | None:
        item = self.repo.get_item(f"{OFFER_PREFIX}{offer_id}", "META")
        return str(item["application_id"]) if item else None

    def delivered(self, webhook_id: str) -> bool:
        return self.repo.get_item(f"WEBHOOK#{webhook_id}", "EVENT") is not None

    # -- outbox -----------------------------------------------------------------------------------
    def outbox(self, limit: int) -> list[dict[str, Any]]:
        return self.repo.query(OUTBOX_PK, limit=limit).items

    def clear_outbox(self, queue: Queue, offer_id: str) -> None:
        self._ddb.delete_item(TableName=self.table_name, Key=serialize({"pk": OUTBOX_PK, "sk": f"{queue}#{offer_id}"}))
