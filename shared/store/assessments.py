"""Supplementary-assessment requests in the application's partition.

=====================  ==================  =================================  ================================
item                   pk                  sk                                 notes
=====================  ==================  =================================  ================================
request                ``APP#<app>``       ``ASSESS#<request>``               ``status``: requested → approved →
                                                                              completed, or declined; ``version``
open-name guard        ``APP#<app>``       ``OPENASSESS#<normalised name>``   exists while a request of that
                                                                              name is requested or approved
decision notice        ``APP#<app>``       ``NOTICE#ASSESS#<request>``        e-mail to the requester: sending → sent
notice outbox          ``PENDING#assess``  ``<app>#<request>``                the queue message, written with the
                                                                              decision; deleted once queued
=====================  ==================  =================================  ================================

Every change is ONE ``TransactWriteItems``: the request conditional on the version read, the
application conditional on its version when the change can move its stage, the guard, and the audit
record. Of two racing changes exactly one wins; the other is a ``Conflict``.
"""

from __future__ import annotations

from typing import Any

from shared.errors import Conflict
from shared.models.application import Application
from shared.models.assessment import AssessmentRequest
from shared.store.applications import application_item
from shared.store.audit import AuditEntry
from shared.store.failures import ConditionFailed
from shared.store.table import Page, Store

REQUEST_PREFIX = "ASSESS#"  # the contract with shared.domain.readiness
GUARD_PREFIX = "OPENASSESS#"
NOTICE_PREFIX = "NOTICE#ASSESS#"
OUTBOX_PK = "PENDING#assess"  # decision notices the queue has not accepted yet (one Query reads them)


def request_key(application_id: str, request_id: str) -> dict[str, str]:
    return {"pk": f"APP#{application_id}", "sk": f"{REQUEST_PREFIX}{request_id}"}


def guard_key(application_id: str, name_key: str) -> dict[str, str]:
    return {"pk": f"APP#{application_id}", "sk": f"{GUARD_PREFIX}{name_key}"}


def notice_key(application_id: str, request_id: str) -> dict[str, str]:
    return {"pk": f"APP#{application_id}", "sk": f"{NOTICE_PREFIX}{request_id}"}


def request_item(req: AssessmentRequest, name_key: str) -> dict[str, Any]:
    return {
        **request_key(req.application_id, req.request_id),
        "type": "assessment_request",
        "name_key": name_key,
        **req.model_dump(mode="json"),
    }


class AssessmentStore(Store):
    def get(self, application_id: str, request_id: str) -> tuple[AssessmentRequest, str] | None:
        """The request and its normalised name key."""
        item = self.table.get_item(**request_key(application_id, request_id))
        if item is None:
            return None
        return AssessmentRequest.model_validate(item), str(item.get("name_key", ""))

    def page(self, application_id: str, limit: int, token: str | None) -> Page:
        return self.table.query(f"APP#{application_id}", sk_prefix=REQUEST_PREFIX, limit=limit, token=token)

    def all_of(self, application_id: str) -> list[AssessmentRequest]:
        items = self.table.query_all(f"APP#{application_id}", sk_prefix=REQUEST_PREFIX, page_size=200)
        return [AssessmentRequest.model_validate(i) for i in items]

    def create(
        self,
        req: AssessmentRequest,
        name_key: str,
        allowed_stages: tuple[str, ...],
        audit: AuditEntry,
        notice: tuple[str, str] | None = None,
    ) -> None:
        """The request, the open-name guard (conditional: no open request of that name) and the audit
        record, with a check that the application is still at one of ``allowed_stages``; ``notice``
        (outbox key, queue message): HR's notice of the request, durable with it."""
        guard = {**guard_key(req.application_id, name_key), "type": "assessment_guard", "request_id": req.request_id}
        stages = {f":s{i}": s for i, s in enumerate(allowed_stages)}
        items = [
            self.table.new_op(guard, return_old=True),
            self.table.new_op(request_item(req, name_key)),
            self.table.check_op(
                {"pk": f"APP#{req.application_id}", "sk": "META"},
                f"#stage IN ({', '.join(stages)})",
                names={"#stage": "stage"},
                values=stages,
            ),
            self.table.audit_op(audit),
        ]
        if notice is not None:
            outbox = {"pk": OUTBOX_PK, "sk": f"{req.application_id}#{notice[0]}", "type": "outbox"}
            items.append(self.table.put_op(outbox | {"body": notice[1], "created_at": req.requested_at}))
        try:
            self.table.transact(items)
        except ConditionFailed as failed:
            if failed.first:
                other_id = failed.old(0).get("request_id", "another request")
                raise Conflict(
                    f"a supplementary assessment '{req.assessment.name}' is already open for application "
                    f"{req.application_id} (request {other_id})",
                    [{"field": "assessment.name", "open_request_id": other_id}],
                ) from failed
            if 2 in failed.failed:
                raise Conflict(
                    f"application {req.application_id} changed stage meanwhile; reload and retry"
                ) from failed
            raise

    def change(
        self,
        before: AssessmentRequest,
        after: AssessmentRequest,
        name_key: str,
        audit: AuditEntry,
        app_before: Application | None = None,
        app_after: Application | None = None,
        release_name: bool = False,
        notice: str | None = None,
    ) -> None:
        """Write ``after`` if the request is still at ``before.version`` and, with ``app_after``, the
        application if it is still at ``app_before.version``; release the open-name guard when the
        request closes; audit — all in one transaction."""
        items = [self.table.versioned_op(request_item(after, name_key), before.version)]
        if app_before is not None and app_after is not None:
            items.append(self.table.versioned_op(application_item(app_after), app_before.version))
        if release_name:
            items.append(
                self.table.delete_op(
                    guard_key(before.application_id, name_key),
                    "attribute_not_exists(pk) OR request_id = :r",
                    values={":r": before.request_id},
                )
            )
        if notice is not None:  # the decision e-mail's queue message, durable with the decision itself
            outbox = {
                "pk": OUTBOX_PK,
                "sk": f"{after.application_id}#{after.request_id}",
                "type": "outbox",
                "body": notice,
                "created_at": after.updated_at,
            }
            items.append(self.table.put_op(outbox))
        items.append(self.table.audit_op(audit))
        try:
            self.table.transact(items)
        except ConditionFailed as failed:
            what = "the request" if failed.first else "the application"
            raise Conflict(
                f"{what} was changed by someone else meanwhile (supplementary assessment {before.request_id}); "
                "reload and retry",
                [{"request_id": before.request_id, "status": before.status.value}],
            ) from failed

    def outbox(self, limit: int) -> list[dict[str, Any]]:
        return self.table.query(OUTBOX_PK, limit=limit).items

    def clear_outbox(self, application_id: str, request_id: str) -> None:
        self.table.delete_item({"pk": OUTBOX_PK, "sk": f"{application_id}#{request_id}"})

    def notice_marker(self, application_id: str, request_id: str) -> dict[str, Any] | None:
        return self.table.get_item(**notice_key(application_id, request_id))

    def put_notice_marker(self, application_id: str, request_id: str, fields: dict[str, Any]) -> None:
        self.table.put_item({**notice_key(application_id, request_id), "type": "assessment_notice", **fields})
