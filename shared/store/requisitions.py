"""Requisitions in the talent table.

=====================  ==========================  ===========  ===================================
item                   pk                          sk           indexes
=====================  ==========================  ===========  ===================================
requisition            REQ#<id>                    META         gsi1: REQDEPT#<dept>; gsi2: REQALL
                                                                (``filled_count``: signed offers)
scored counter shard   REQ#<id>                    SCORED#<nn>  -
=====================  ==========================  ===========  ===================================

The scored count (applications with an AI result) is kept in 16 shards, so concurrent first results
for one requisition touch different items instead of cancelling each other's transactions.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from shared.errors import Conflict, found
from shared.models.requisition import Requisition
from shared.store.audit import AuditEntry
from shared.store.failures import ConditionFailed
from shared.store.table import Page, Store

REQUISITION_CACHE_SIZE = 256
INTAKE_CACHE_SECONDS = 60.0
SCORE_COUNTER_SHARDS = 16
_CACHE: dict[str, tuple[float, Requisition]] = {}


def score_counter_key(requisition_id: str, application_id: str) -> dict[str, str]:
    """One of the requisition's counter shards, picked by the application."""
    shard = int(hashlib.sha256(application_id.encode()).hexdigest(), 16) % SCORE_COUNTER_SHARDS
    return {"pk": f"REQ#{requisition_id}", "sk": f"SCORED#{shard:02d}"}


class RequisitionStore(Store):
    def create(self, req: Requisition, audit: AuditEntry) -> None:
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
        self.table.write_versioned([(item, None)], audit, f"requisition {req.id} exists already")

    def get(self, requisition_id: str) -> Requisition | None:
        return self.table.get_model(Requisition, f"REQ#{requisition_id}", "META")

    def require(self, requisition_id: str, max_age: float = 0) -> Requisition:
        """The requisition, or ``NotFound``. With ``max_age`` a copy read at most that many seconds ago
        in this container may be used: intake of a hiring event reads the same requisition for every
        applicant, and its screening settings do not change mid-event."""
        now = time.monotonic()
        cached = _CACHE.get(requisition_id)
        if max_age and cached and now - cached[0] <= max_age:
            return cached[1]
        req = found(self.get(requisition_id), f"requisition {requisition_id}")
        if len(_CACHE) >= REQUISITION_CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[requisition_id] = (now, req)
        return req

    def set_status(self, before: Requisition, after: Requisition, audit: AuditEntry) -> None:
        """HR's status (with its reason and the new version), conditional on the version read; only
        those fields are written, so a signing's concurrent ``filled_count`` increment is kept."""
        update = self.table.update_op(
            {"pk": f"REQ#{before.id}", "sk": "META"},
            "SET #s = :s, status_reason = :r, version = :after",
            "version = :before",
            names={"#s": "status"},
            values={
                ":s": after.status.value,
                ":r": after.status_reason,
                ":after": after.version,
                ":before": before.version,
            },
        )
        try:
            self.table.transact([update, self.table.audit_op(audit)])
        except ConditionFailed as failed:
            raise Conflict(
                f"requisition {before.id} was changed by someone else; reload and retry",
                [{"field": "version", "message": "changed by someone else; reload"}],
            ) from failed
        _CACHE.pop(before.id, None)

    def filled_op(self, requisition_id: str) -> dict[str, Any]:
        """The transaction item that counts one more signed offer against the requisition's headcount."""
        return self.table.update_op(
            {"pk": f"REQ#{requisition_id}", "sk": "META"},
            "ADD filled_count :one",
            "attribute_exists(pk)",
            values={":one": 1},
        )

    def offer_claim_op(self, requisition_id: str, seen: int) -> dict[str, Any]:
        """The transaction item by which a new offer claims the requisition's next offer number, on
        condition that no other offer was made since ``seen`` was read: of two offers made at once,
        only one passes the headcount check it was made on."""
        condition = "offers_made = :seen"
        if not seen:
            condition = "attribute_exists(pk) AND (attribute_not_exists(offers_made) OR offers_made = :seen)"
        return self.table.update_op(
            {"pk": f"REQ#{requisition_id}", "sk": "META"},
            "SET offers_made = :next",
            condition,
            values={":seen": seen, ":next": seen + 1},
        )

    def scored_count(self, requisition_id: str) -> int:
        """Applications of the requisition with an AI result: the sum of its counter shards (one Query)."""
        page = self.table.query(f"REQ#{requisition_id}", sk_prefix="SCORED#", limit=SCORE_COUNTER_SHARDS)
        return sum(int(i.get("count", 0)) for i in page.items)

    def page(self, department: str | None, limit: int, token: str | None) -> Page:
        """Requisitions (of one department), newest first."""
        if department:
            return self.table.query(f"REQDEPT#{department}", index="gsi1", limit=limit, token=token, descending=True)
        return self.table.query("REQALL", index="gsi2", limit=limit, token=token, descending=True)
