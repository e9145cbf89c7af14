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

from botocore.exceptions import ClientError

from shared.errors import Conflict
from shared.models.application import Application
from shared.models.assessment import AssessmentRequest
from shared.store.failures import unavailable
from shared.store.items import deserialize, serialize, value
from shared.store.repository import AuditEntry, PartitionStore, _stage_keys
from shared.store.table import Page

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


class AssessmentStore(PartitionStore):
    def get(self, application_id: str, request_id: str) -> tuple[AssessmentRequest, str] | None:
        """The request and its normalised name key."""
        key = request_key(application_id, request_id)
        item = self.repo.get_item(key["pk"], key["sk"])
        if item is None:
            return None
        return AssessmentRequest.model_validate(item), str(item.get("name_key", ""))

    def page(self, application_id: str, limit: int, token: str | None) -> Page:
        return self.repo.query(f"APP#{application_id}", sk_prefix=REQUEST_PREFIX, limit=limit, token=token)

    def all_of(self, application_id: str) -> list[AssessmentRequest]:
        out: list[AssessmentRequest] = []
        token = None
        while True:
            page = self.page(application_id, 200, token)
            out += [AssessmentRequest.model_validate(i) for i in page.items]
            token = page.next_token
            if not token:
                return out

    def create(self, req: AssessmentRequest, name_key: str, allowed_stages: tuple[str, ...], audit: AuditEntry) -> None:
        """The request, the open-name guard (conditional: no open request of that name) and the audit
        record, with a check that the application is still at one of ``allowed_stages``."""
        guard = {**guard_key(req.application_id, name_key), "type": "assessment_guard", "request_id": req.request_id}
        stage_values = {f":s{i}": value(s) for i, s in enumerate(allowed_stages)}
        items: list[dict[str, Any]] = [
            {
                "Put": {
                    "TableName": self.table_name,
                    "Item": serialize(guard),
                    "ConditionExpression": "attribute_not_exists(pk)",
                    "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                }
            },
            {
                "Put": {
                    "TableName": self.table_name,
                    "Item": serialize(request_item(req, name_key)),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            },
            {
                "ConditionCheck": {
                    "TableName": self.table_name,
                    "Key": serialize({"pk": f"APP#{req.application_id}", "sk": "META"}),
                    "ConditionExpression": f"#stage IN ({', '.join(stage_values)})",
                    "ExpressionAttributeNames": {"#stage": "stage"},
                    "ExpressionAttributeValues": stage_values,
                }
            },
            {"Put": {"TableName": self.table_name, "Item": serialize(audit.item())}},
        ]
        try:
            self._ddb.transact_write_items(TransactItems=items)
        except ClientError as exc:
            codes = [r.get("Code") for r in exc.response.get("CancellationReasons") or []]
            if codes and codes[0] == "ConditionalCheckFailed":
                other = deserialize((exc.response["CancellationReasons"][0].get("Item")) or {})
                other_id = other.get("request_id", "another request")
                raise Conflict(
                    f"a supplementary assessment '{req.assessment.name}' is already open for application "
                    f"{req.application_id} (request {other_id})",
                    [{"field": "assessment.name", "open_request_id": other_id}],
                ) from exc
            if len(codes) > 2 and codes[2] == "ConditionalCheckFailed":
                raise Conflict(f"application {req.application_id} changed stage meanwhile; reload and retry") from exc
            raise (unavailable(exc) or exc) from exc

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
        items: list[dict[str, Any]] = [
            {
                "Put": {
                    "TableName": self.table_name,
                    "Item": serialize(request_item(after, name_key)),
                    "ConditionExpression": "#v = :v",
                    "ExpressionAttributeNames": {"#v": "version"},
                    "ExpressionAttributeValues": {":v": value(before.version)},
                }
            }
        ]
        if app_before is not None and app_after is not None:
            app_item = {"pk": f"APP#{app_after.id}", "sk": "META", "type": "application", **_stage_keys(app_after)}
            app_item.update(app_after.model_dump(mode="json"))
            items.append(
                {
                    "Put": {
                        "TableName": self.table_name,
                        "Item": serialize(app_item),
                        "ConditionExpression": "#v = :v",
                        "ExpressionAttributeNames": {"#v": "version"},
                        "ExpressionAttributeValues": {":v": value(app_before.version)},
                    }
                }
            )
        if release_name:
            items.append(
                {
                    "Delete": {
                        "TableName": self.table_name,
                        "Key": serialize(guard_key(before.application_id, name_key)),
                        "ConditionExpression": "attribute_not_exists(pk) OR request_id = :r",
                        "ExpressionAttributeValues": {":r": value(before.request_id)},
                    }
                }
            )
        if notice is not None:  # the decision e-mail's queue message, durable with the decision itself
            outbox = {
                "pk": OUTBOX_PK,
                "sk": f"{after.application_id}#{after.request_id}",
                "type": "outbox",
                "body": notice,
                "created_at": after.updated_at,
            }
            items.append({"Put": {"TableName": self.table_name, "Item": serialize(outbox)}})
        items.append({"Put": {"TableName": self.table_name, "Item": serialize(audit.item())}})
        try:
            self._ddb.transact_write_items(TransactItems=items)
        except ClientError as exc:
            codes = [r.get("Code") for r in exc.response.get("CancellationReasons") or []]
            if "ConditionalCheckFailed" in codes:
                what = "the request" if codes[0] == "ConditionalCheckFailed" else "the application"
                raise Conflict(
                    f"{what} was changed by someone else meanwhile (supplementary assessment {before.request_id}); "
                    "reload and retry",
                    [{"request_id": before.request_id, "status": before.status.value}],
                ) from exc
            raise (unavailable(exc) or exc) from exc

    def outbox(self, limit: int) -> list[dict[str, Any]]:
        return self.repo.query(OUTBOX_PK, limit=limit).items

    def clear_outbox(self, application_id: str, request_id: str) -> None:
        key = {"pk": OUTBOX_PK, "sk": f"{application_id}#{request_id}"}
        self._ddb.delete_item(TableName=self.table_name, Key=serialize(key))

    def notice_marker(self, application_id: str, request_id: str) -> dict[str, Any] | None:
        key = notice_key(application_id, request_id)
        return self.repo.get_item(key["pk"], key["sk"])

    def put_notice_marker(self, application_id: str, request_id: str, fields: dict[str, Any]) -> None:
        item = {**notice_key(application_id, request_id), "type": "assessment_notice", **fields}
        self._ddb.put_item(TableName=self.table_name, Item=serialize(item))
