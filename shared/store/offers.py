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

from shared.errors import Conflict, ServiceUnavailable
from shared.models.common import iso, utcnow
from shared.models.offer import Offer
from shared.store import retention
from shared.store.audit import AuditEntry
from shared.store.failures import ConditionFailed
from shared.store.table import Store

OFFER_PREFIX = "OFFER#"
OUTBOX_PK = "PENDING#offers"
Queue = Literal["esign", "onboarding"]


def offer_item(offer: Offer) -> dict[str, Any]:
    return {"pk": f"APP#{offer.application_id}", "sk": f"{OFFER_PREFIX}{offer.id}", "type": "offer"} | offer.model_dump(
        mode="json"
    )


class OfferStore(Store):
    # -- building blocks of a transaction ---------------------------------------------------------
    def offer_put(self, after: Offer, expected: int | None) -> dict[str, Any]:
        """The offer, conditional on the stored version (``None``: on there being none)."""
        return self.table.versioned_op(offer_item(after), expected)

    def lookup_put(self, offer: Offer) -> dict[str, Any]:
        item = {"pk": f"{OFFER_PREFIX}{offer.id}", "sk": "META", "type": "offer_lookup"}
        return self.table.new_op(item | {"application_id": offer.application_id})

    def audit_put(self, audit: AuditEntry) -> dict[str, Any]:
        return self.table.audit_op(audit)

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
        return self.table.put_op(item)

    def delivery_put(self, webhook_id: str, offer_id: str, event: str, digest: str) -> dict[str, Any]:
        item = {
            "pk": f"WEBHOOK#{webhook_id}",
            "sk": "EVENT",
            "type": "esign_delivery",
            "offer_id": offer_id,
            "event": event,
            "digest": digest,
            "received_at": iso(utcnow()),
            "expires_at": retention.expires_at(retention.Kind.delivery_record),
        }
        return self.table.new_op(item)

    def transact(self, items: list[dict[str, Any]], conflicts: dict[int, str]) -> None:
        """Write ``items`` at once. A failed condition on item ``i`` raises ``Conflict(conflicts[i])``."""
        try:
            self.table.transact(items)
        except ConditionFailed as failed:
            hit = next((i for i in sorted(failed.failed) if i in conflicts), None)
            if hit is None:
                raise
            detail = [{"field": "version", "message": "changed meanwhile; reload"}]
            raise Conflict(conflicts[hit], detail) from failed

    def transact_once(self, items: list[dict[str, Any]]) -> bool:
        """Write ``items`` unless the FIRST one's condition fails (a delivery seen before): False.
        Any other failed condition means something changed meanwhile: 503, the sender retries."""
        try:
            self.table.transact(items)
        except ConditionFailed as failed:
            if failed.first:
                return False
            raise ServiceUnavailable("the offer changed while recording the event; retry", retry_after=2) from failed
        return True

    # -- reads ------------------------------------------------------------------------------------
    def offers(self, application_id: str) -> list[Offer]:
        page = self.table.query(f"APP#{application_id}", sk_prefix=OFFER_PREFIX, limit=100)
        return sorted((Offer.model_validate(i) for i in page.items), key=lambda o: o.created_at, reverse=True)

    def get(self, application_id: str, offer_id: str) -> Offer | None:
        return self.table.get_model(Offer, f"APP#{application_id}", f"{OFFER_PREFIX}{offer_id}")

    def application_of(self, offer_id: str) -> str | None:
        item = self.table.get_item(f"{OFFER_PREFIX}{offer_id}", "META")
        return str(item["application_id"]) if item else None

    def delivered(self, webhook_id: str) -> str | None:
        """The body digest of the delivery ``webhook_id`` named ("" for records kept without one), or
        None when it is new."""
        item = self.table.get_item(f"WEBHOOK#{webhook_id}", "EVENT")
        return None if item is None else str(item.get("digest", ""))

    # -- outbox -----------------------------------------------------------------------------------
    def outbox(self, limit: int) -> list[dict[str, Any]]:
        return self.table.query(OUTBOX_PK, limit=limit).items

    def clear_outbox(self, queue: Queue, offer_id: str) -> None:
        self.table.delete_item({"pk": OUTBOX_PK, "sk": f"{queue}#{offer_id}"})
