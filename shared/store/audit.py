"""The audit trail in the talent table: who did what to which subject, when, from where.

=====================  ==========================  ===========
item                   pk                          sk
=====================  ==========================  ===========
audit record           AUDIT#<subject>             <ts>#<id>
=====================  ==========================  ===========

A change is audited by the transaction that makes it (``Table.write_versioned`` and the stores'
transactions take an ``AuditEntry``); a sensitive read is audited on its own before the data is
handed out (``AuditLog.put``). Records expire after ``audit_retention_days``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared.models.common import iso, new_id, utcnow
from shared.store import retention
from shared.store.table import Page, Store


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


class AuditLog(Store):
    def put(self, entry: AuditEntry) -> None:
        self.table.put_item(entry.item())

    def put_all(self, entries: list[AuditEntry]) -> None:
        """Several records of one response: one call for one record, else BatchWriteItem."""
        if len(entries) == 1:
            self.put(entries[0])
        elif entries:
            self.table.put_all([e.item() for e in entries])

    def page(self, subject: str, limit: int = 50, token: str | None = None) -> Page:
        """The subject's records, newest first."""
        return self.table.query(f"AUDIT#{subject}", limit=limit, token=token, descending=True)
