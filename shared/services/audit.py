"""Audit records of sensitive reads: who read what, when, from where (changes are audited by the
write that makes them, in the same transaction). A read that cannot be audited is not answered."""

from __future__ import annotations

from typing import Any

from shared.security.tokens import Principal
from shared.store.audit import AuditEntry
from shared.store.repository import Repository

# what counts as sensitive, by data kind (docs/security.md): every read of these leaves a record
SENSITIVE_READS = {
    "video.read": "interview video",
    "background_check.read": "background-check results (education, employment, credit)",
    "offer.read": "offer terms (salary)",
    "contact.read": "a candidate's e-mail, phone and national ID in clear",
    "person.read": "a person's archive across applications, employment, performance and talent pools",
}


def record_read(
    repo: Repository,
    who: Principal,
    subject: str,
    action: str,
    details: dict[str, Any],
    source_ip: str | None,
) -> None:
    """Write the audit record of one sensitive read before the data is handed out."""
    assert action in SENSITIVE_READS, action
    repo.audit.put(AuditEntry(subject=subject, actor=who.username, action=action, details=details, source_ip=source_ip))
