"""DELETE /candidates/{id}: erase a candidate's personal data, keep the anonymised scores (and the
person's archive forgets the application; ``DELETE /people/{id}`` erases every one of a person's).

Order: first every other item of the partition and the S3 objects (idempotent, so a call that fails
half-way is completed by the retry), then ONE transaction: the scrubbed application conditional on the
version read, the erasure record, the removal of the uniqueness guards and the audit record. A call
on an erased application re-runs the sweep (anything a late webhook added is scrubbed too) and answers
``already_erased`` with the first erasure's record.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shared.domain.erasure import EMPLOYED, needles, object_prefixes, outside_keys, scrub_item
from shared.domain.stages import TERMINAL, Stage
from shared.errors import Conflict, NotFound
from shared.models.application import Application
from shared.models.common import iso, utcnow
from shared.models.privacy import ErasureReceipt
from shared.security.fields import reveal
from shared.security.pii import identity_hash
from shared.store.audit import AuditEntry
from shared.store.erasure import ERASED_SK, ErasureStore
from shared.store.persons import PersonStore
from shared.store.repository import Repository

KEPT = [
    "application id, requisition, department",
    "stage reached",
    "screening score and keyword match flags",
    "AI dimension scores, overall and weighted score, model version",
    "evaluation ratings and recommendations, assessment scores",
    "dates (created, updated, completed, erased)",
]


def erase(
    repo: Repository,
    application_id: str,
    actor: str,
    reason: str,
    source_ip: str | None,
    hasher: Callable[[str], str] = identity_hash,
) -> ErasureReceipt:
    store = ErasureStore(repo)
    items = repo.applications.partition(application_id)
    meta = next((i for i in items if i["sk"] == "META"), None)
    if meta is None:
        raise NotFound(f"candidate {application_id} does not exist")
    app = Application.model_validate(meta)
    record = next((i for i in items if i["sk"] == ERASED_SK), None)
    if record is None and app.stage in EMPLOYED:
        raise Conflict(
            f"candidate {application_id} is an employee (stage {app.stage.value}); employment records are "
            "kept under their own retention and are not erased through the candidate archive",
            [{"stage": app.stage.value}],
        )
    words = needles(meta | clear_fields(meta))
    puts: list[dict[str, Any]] = []
    deletes: list[dict[str, str]] = []
    for item in items:
        if item["sk"] in ("META", ERASED_SK):
            continue
        scrubbed = scrub_item(item, words)
        if scrubbed is None:
            deletes.append({"pk": item["pk"], "sk": item["sk"]})
        elif scrubbed != item:
            puts.append(scrubbed)
    desk, parked = outside_keys(app.id, app.requisition_id, list(app.interviewers), app.external_ref)
    webhooks = [
        (str(i["webhook_id"]), str(i["vendor_id"]))
        for i in items
        if str(i["sk"]).startswith("SCORE#") and i.get("webhook_id") and i.get("vendor_id")
    ]
    more_puts, more_deletes = store.outside(app.requisition_id, desk, parked, webhooks)
    puts += more_puts
    deletes += more_deletes
    store.rewrite(puts, deletes)
    objects = store.delete_objects(object_prefixes(application_id))
    counts = {"items_scrubbed": len(puts), "items_deleted": len(deletes), "objects_deleted": objects}
    if record is not None:
        return receipt(application_id, "already_erased", record, counts)

    now = iso(utcnow())
    fields = scrub_item(meta, words) or {}
    stage = app.stage if app.stage in TERMINAL else Stage.withdrawn  # out of every pool and shortlist
    changes = {"stage": stage, "updated_at": now, "version": app.version + 1, "person_id": None}
    after = Application.model_validate(fields | changes)
    record = {
        "application_id": app.id,
        "requisition_id": app.requisition_id,
        "department": app.department,
        "stage_reached": app.stage.value,
        "erased_at": now,
        "erased_by": actor,
    }
    guards: list[dict[str, str]] = []
    if app.national_id:
        national_id = reveal(app.national_id, "national_id")
        guards.append({"pk": f"REQ#{app.requisition_id}#NID#{hasher(national_id)}", "sk": "UNIQ"})
    if app.external_ref:
        guards.append({"pk": f"REQ#{app.requisition_id}#REF#{app.external_ref}", "sk": "UNIQ"})
    audit = AuditEntry(
        subject=f"application:{app.id}",
        actor=actor,
        action="candidate.erase",
        details={"reason": reason, "stage_reached": app.stage.value, "to": stage.value, **counts},
        source_ip=source_ip,
    )
    store.commit(app, after, record, guards, audit)
    if app.person_id:  # the person's archive no longer names the application (and ends with its last one)
        PersonStore(repo).unlink(app.person_id, app.id)
    return receipt(application_id, "erased", record, counts)


def clear_fields(meta: dict[str, Any]) -> dict[str, str]:
    """The person's sealed contact details and national ID in clear: erasure looks for them in every
    other item of the partition (a transcript or note may quote a phone number)."""
    return {name: reveal(meta.get(name), name) for name in ("email", "phone", "national_id") if meta.get(name)}


def receipt(application_id: str, status: str, record: dict[str, Any], counts: dict[str, int]) -> ErasureReceipt:
    return ErasureReceipt.model_validate(
        {
            "application_id": application_id,
            "status": status,
            "erased_at": record["erased_at"],
            "erased_by": record["erased_by"],
            "stage_reached": record["stage_reached"],
            "kept": KEPT,
            **counts,
        }
    )
