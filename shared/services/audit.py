"""Audit records of sensitive reads and of refusals: who read what, when, from where (changes are
audited by the write that makes them, in the same transaction). A read that cannot be audited is not
answered.

One mechanism at the response-shaping layer (``functions/http.py``): the fields a response model
marks (``shared/security/audited.py``) that hold a value in a response, lists and downloads included,
are recorded here before the response leaves; so is every refusal (403) with its reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared.security.tokens import Principal
from shared.store.audit import AuditEntry
from shared.store.repository import Repository

# what counts as sensitive, by data kind (docs/security.md): every read of these leaves a record
SENSITIVE_READS = {
    "video.read": "interview video links",
    "background_check.read": "background-check results (education, employment, credit)",
    "offer.read": "offer terms (salary) and links to the offer letter",
    "contact.read": "a candidate's or employee's e-mail, phone and national ID (in clear or masked)",
    "explanation.read": "what the automated assessment said about a candidate",
    "export.read": "a list downloaded as CSV or XLSX",
    "person.read": "a person's archive across applications, employment, performance and talent pools",
}
DENIED = "access.denied"
# path parameter -> the kind of subject its audit records are filed under (GET /audit?subject=)
SUBJECTS = (
    ("application_id", "application"),
    ("candidate_id", "application"),
    ("employee_id", "employee"),
    ("requisition_id", "requisition"),
    ("import_id", "import"),
    ("person_id", "person"),
)


def subject_of(route: str, params: Mapping[str, str]) -> str:
    """The audit subject of a request: its object, or the route for a request about none."""
    return next((f"{kind}:{params[key]}" for key, kind in SUBJECTS if key in params), f"route:{route}")


def record_reads(
    repo: Repository,
    who: Principal,
    route: str,
    params: Mapping[str, str],
    found: Mapping[str, list[str]],
    source_ip: str | None,
) -> None:
    """One record per kind of sensitive data a response carries (``found``: action -> field paths),
    written before the response is sent."""
    entries = []
    for action, fields in found.items():
        assert action in SENSITIVE_READS, action
        details: dict[str, Any] = {"route": route, "fields": fields, **params}
        entries.append(AuditEntry(subject_of(route, params), who.username, action, details, source_ip))
    repo.audit.put_all(entries)


def record_denied(
    repo: Repository, who: Principal, route: str, params: Mapping[str, str], reason: str, source_ip: str | None
) -> None:
    """The record of a refused request (403), with the reason it was refused."""
    details = {"route": route, "reason": reason, **params}
    repo.audit.put(AuditEntry(subject_of(route, params), who.username, DENIED, details, source_ip))
