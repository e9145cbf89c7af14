"""Applications in the talent table.

=====================  ==========================  ===============  ==============================
item                   pk                          sk               indexes
=====================  ==========================  ===============  ==============================
application            APP#<id>                    META             gsi1: REQ#<req>#STAGE#<stage>;
                                                                    gsi2: REQ#<req>#APPS;
                                                                    gsi3: REQ#<req>#SCORED (scored,
                                                                    still in the pool)
applicant uniqueness   REQ#<req>#NID#<hmac>        UNIQ             -
external reference     REQ#<req>#REF#<ref>         UNIQ             -
invitation marker      APP#<id>                    INVITE#<prop>    -
applicant notice       APP#<id>                    NOTICE#<kind>    - (sending → sent)
rejection outbox       PENDING#reject              <id>             - (the notice's queue message,
                                                                    written with HR's rejection;
                                                                    deleted once queued)
=====================  ==========================  ===============  ==============================

Every list is a Query on a partition or an index: no Scan on any path. Later sections of an
application's archive live in the application's own partition (``SCORE#``, ``VIDEO#``, ``EVAL#``,
``ASSESS#``, ``BGC#``, ``OFFER#``, …), so the whole profile is one Query (``partition``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from aws_lambda_powertools import Logger

from shared.domain.erasure import ERASED_NAME
from shared.domain.stages import TERMINAL, Stage
from shared.errors import found
from shared.models.application import Application
from shared.store import objects, retention
from shared.store.audit import AuditEntry
from shared.store.failures import ConditionFailed
from shared.store.items import serialize
from shared.store.table import Page, Store

logger = Logger(child=True)
REJECTION_OUTBOX = "PENDING#reject"  # rejection notices the queue has not accepted yet (one Query reads them)


@dataclass(frozen=True)
class CreateOutcome:
    status: Literal["created", "duplicate", "replayed", "ref_taken"]
    application_id: str
    application: Application | None = None  # what was stored, when it was ``created``


# What a row of a requisition's applicant list shows (read with a projection, not the whole item).
SUMMARY_FIELDS = (
    "id",
    "requisition_id",
    "stage",
    "name",
    "external_ref",
    "created_at",
    "screening.score",
    "screening.proposal",
    "ai.weighted_score",
)


def score_key(weighted: float, application_id: str) -> str:
    """Sorts lexicographically in numeric order for scores 0–100 (the shortlist reads it descending)."""
    return f"{weighted:08.4f}#{application_id}"


def application_item(app: Application) -> dict[str, Any]:
    """The stored application with its index keys, derived from its fields: by stage (gsi1), all of the
    requisition (gsi2) and, while it is scored and still in the pool, by weighted score (gsi3); and,
    once it ended unsuccessfully, its retention (``expires_at``, kept from the decision that ended it)."""
    order = f"{app.created_at}#{app.id}"
    item: dict[str, Any] = {
        "pk": f"APP#{app.id}",
        "sk": "META",
        "type": "application",
        "gsi1pk": f"REQ#{app.requisition_id}#STAGE#{app.stage.value}",
        "gsi1sk": order,
        "gsi2pk": f"REQ#{app.requisition_id}#APPS",
        "gsi2sk": order,
    }
    if app.ai is not None and app.stage not in TERMINAL:
        item["gsi3pk"] = f"REQ#{app.requisition_id}#SCORED"
        item["gsi3sk"] = score_key(app.ai.weighted_score, app.id)
    if app.stage in retention.UNSUCCESSFUL and app.name != ERASED_NAME:  # erased: anonymised scores are kept
        item[retention.TTL_ATTRIBUTE] = app.expires_at or retention.expires_at(retention.Kind.unsuccessful_applicant)
    return item | app.model_dump(mode="json")


class ApplicationStore(Store):
    def create(
        self, app: Application, identity_hash: str, audit: AuditEntry, extra: list[dict[str, Any]] | None = None
    ) -> CreateOutcome:
        """Store a new application unless the same person already applied to the requisition.

        One TransactWriteItems call: a uniqueness guard on (requisition, national ID), the application
        and the audit record (and the external reference's guard, then ``extra`` items: the person's
        archive). A replay from the same source (a redelivered import chunk) is recognised through the
        guard and reported as ``replayed``.
        """
        guard = {
            "pk": f"REQ#{app.requisition_id}#NID#{identity_hash}",
            "sk": "UNIQ",
            "type": "uniqueness",
            "application_id": app.id,
            "source": app.source,
        }
        items = [
            self.table.new_op(guard, return_old=True),
            self.table.new_op(application_item(app)),
            self.table.audit_op(audit),
        ]
        if app.external_ref:  # the vendor may address results by (requisition, external reference)
            ref = {
                "pk": f"REQ#{app.requisition_id}#REF#{app.external_ref}",
                "sk": "UNIQ",
                "type": "external_ref",
                "application_id": app.id,
                "source": app.source,
            }
            items.append(self.table.new_op(ref, return_old=True))
        items += extra or []
        try:
            self.table.transact(items)
        except ConditionFailed as failed:
            if not failed.first and 3 in failed.failed:
                return CreateOutcome("ref_taken", str(failed.old(3).get("application_id", "")))
            if not failed.first:
                raise
            existing = failed.old(0) or self.table.get_item(guard["pk"], "UNIQ") or {}
            status: Literal["duplicate", "replayed"] = (
                "replayed" if existing.get("source") == app.source else "duplicate"
            )
            return CreateOutcome(status, str(existing.get("application_id", "")))
        return CreateOutcome("created", app.id, app)

    def get(self, application_id: str) -> Application | None:
        return self.table.get_model(Application, f"APP#{application_id}", "META")

    def require(self, application_id: str) -> Application:
        return found(self.get(application_id), f"application {application_id}")

    def partition(self, application_id: str) -> list[dict[str, Any]]:
        """Every item of ``APP#<application_id>``: the application and all its sections (ONE Query; it
        pages only for an enormous archive)."""
        return self.table.query_all(f"APP#{application_id}")

    def page(self, requisition_id: str, stage: str | None, limit: int, token: str | None) -> Page:
        """The requisition's applications (at one stage), oldest first."""
        if stage:
            return self.table.query(f"REQ#{requisition_id}#STAGE#{stage}", index="gsi1", limit=limit, token=token)
        return self.table.query(f"REQ#{requisition_id}#APPS", index="gsi2", limit=limit, token=token)

    def count_at(self, requisition_id: str, stage: Stage) -> int:
        """How many of the requisition's applications are at ``stage`` (a COUNT Query on gsi1)."""
        return self.table.count(f"REQ#{requisition_id}#STAGE#{stage.value}", index="gsi1")

    def summaries(self, requisition_id: str, stage: str | None) -> list[dict[str, Any]]:
        """Every application of the requisition (at one stage), with only the fields of a list row: one
        Query on gsi2 (or gsi1), paged by the 1 MB limit only."""
        parts = sorted({p for f in SUMMARY_FIELDS for p in f.split(".")})
        names = {f"#f{n}": part for n, part in enumerate(parts)}
        placeholder = {part: name for name, part in names.items()}
        projection = ", ".join(".".join(placeholder[p] for p in f.split(".")) for f in SUMMARY_FIELDS)
        if stage:
            pk, index = f"REQ#{requisition_id}#STAGE#{stage}", "gsi1"
        else:
            pk, index = f"REQ#{requisition_id}#APPS", "gsi2"
        return self.table.query_all(pk, index=index, page_size=None, projection=projection, names=names)

    def by_score(self, requisition_id: str, limit: int, token: str | None) -> Page:
        """The scored applications still in the pool, highest weighted score first (gsi3)."""
        return self.table.query(f"REQ#{requisition_id}#SCORED", index="gsi3", limit=limit, token=token, descending=True)

    def interview_scores(self, requisition_id: str) -> list[dict[str, Any]]:
        """The AI interview scores (dimension scores, weighted score) of every application of the
        requisition that has them: one paged Query on gsi2, projected to the two fields."""
        items = self.table.query_all(
            f"REQ#{requisition_id}#APPS", index="gsi2", projection="ai.dimension_scores, ai.weighted_score"
        )
        return [i["ai"] for i in items if i.get("ai")]

    def top_scored(self, requisition_id: str, size: int) -> list[Application]:
        """The ``size`` highest weighted scores still in the pool: descending pages of the score index
        that read exactly that many items."""
        items: list[dict[str, Any]] = []
        token = None
        while len(items) < size:
            page = self.by_score(requisition_id, size - len(items), token)
            items += page.items
            token = page.next_token
            if not token:
                break
        return [Application.model_validate(i) for i in items]

    def higher_scored(self, app: Application) -> int:
        """How many applications of the requisition score higher (a COUNT query on the score index; it
        reads O(rank) index keys, fine for one archive page, never used in bulk)."""
        assert app.ai is not None
        sk = score_key(app.ai.weighted_score, app.id)
        return self.table.count(f"REQ#{app.requisition_id}#SCORED", index="gsi3", sk_above=sk)

    # -- writes --------------------------------------------------------------------------------------
    def put_op(self, before: Application, after: Application) -> dict[str, Any]:
        """The transaction item that writes ``after`` if the stored application is still at
        ``before.version`` (for features that change an application with items of their own)."""
        return self.table.versioned_op(application_item(after), before.version)

    def update(
        self, before: Application, after: Application, audit: AuditEntry, extra: list[dict[str, Any]] | None = None
    ) -> None:
        """Write ``after`` if the stored application is still at ``before.version``; audit in the same
        transaction (and ``extra`` transaction items, e.g. lookup items). A concurrent change makes this
        raise ``Conflict``."""
        self.table.write_versioned(
            [(application_item(after), before.version)],
            audit,
            f"application {after.id} was changed by someone else; reload and retry",
            details=[{"expected_version": before.version}],
            extra=extra or [],
        )

    # -- invitation markers (an e-mail sent once per proposal) ----------------------------------------
    def invitation(self, application_id: str, proposal_id: str) -> dict[str, Any] | None:
        return self.table.get_item(f"APP#{application_id}", f"INVITE#{proposal_id}")

    def mark_invitation(self, application_id: str, proposal_id: str, fields: dict[str, Any]) -> None:
        key = {"pk": f"APP#{application_id}", "sk": f"INVITE#{proposal_id}"}
        self.table.put_item(key | {"type": "invitation", **fields})

    def notice(self, application_id: str, kind: str) -> dict[str, Any] | None:
        """The marker of a mail to the applicant of ``kind`` (``sending`` → ``sent``)."""
        return self.table.get_item(f"APP#{application_id}", f"NOTICE#{kind}")

    def mark_notice(self, application_id: str, kind: str, fields: dict[str, Any]) -> None:
        key = {"pk": f"APP#{application_id}", "sk": f"NOTICE#{kind}"}
        self.table.put_item(key | {"type": "applicant_notice", **fields})

    # -- the rejection notice's outbox ---------------------------------------------------------------
    def rejection_outbox_op(self, application_id: str, body: str, created_at: str) -> dict[str, Any]:
        """The transaction item that records the notice's queue message with the rejection itself."""
        item = {"pk": REJECTION_OUTBOX, "sk": application_id, "type": "outbox", "body": body}
        return self.table.put_op(item | {"created_at": created_at})

    def rejection_outbox(self, limit: int) -> list[dict[str, Any]]:
        return self.table.query(REJECTION_OUTBOX, limit=limit).items

    def clear_rejection_outbox(self, application_ids: list[str]) -> None:
        """Forget the records of queued notices (a record already gone is no error)."""
        keys = [{"pk": REJECTION_OUTBOX, "sk": a} for a in dict.fromkeys(application_ids)]
        self.table.batch_write([{"DeleteRequest": {"Key": serialize(k)}} for k in keys])

    # -- retention -----------------------------------------------------------------------------------
    def stamp_partition(self, application_id: str, expiry: int) -> int:
        """Set ``expires_at`` on every item of the application's partition that has none or a later one
        (the META item carries it already); the number of items stamped. Idempotent."""
        stamped = 0
        for item in self.table.query_all(f"APP#{application_id}", page_size=None, projection="pk, sk, expires_at"):
            try:
                self.table.write(
                    self.table.update_op(
                        {"pk": item["pk"], "sk": item["sk"]},
                        "SET expires_at = :e",
                        "attribute_exists(pk) AND (attribute_not_exists(expires_at) OR expires_at > :e)",
                        values={":e": expiry},
                    )
                )
                stamped += 1
            except ConditionFailed:
                continue
        return stamped

    def after_stage_change(self, application_id: str, stage: Stage, expiry: int | None = None) -> None:
        """Called after a committed move to ``stage``: tag the videos of an unsuccessful application and
        stamp its partition's items with the expiry its META item got in the move (``expiry``; computed
        now if not given). A failure is logged, never raised (the move is done); erasure or a repeated
        move tags them again."""
        if stage not in retention.UNSUCCESSFUL:
            return
        try:
            objects.tag_current_versions(f"videos/{application_id}/", retention.RETENTION_TAG)
        except Exception as exc:  # retention tagging must not undo a committed decision
            logger.warning(
                "video retention tagging failed", extra={"application_id": application_id, "error": type(exc).__name__}
            )
        try:
            self.stamp_partition(application_id, expiry or retention.expires_at(retention.Kind.unsuccessful_applicant))
        except Exception as exc:  # likewise: the META item already carries its expiry
            logger.warning(
                "item retention stamping failed", extra={"application_id": application_id, "error": type(exc).__name__}
            )
