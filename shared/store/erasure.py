"""Data access of an erasure: the application's partition, its S3 objects, the final transaction.

=====================  ==========================  ===========
item                   pk                          sk
=====================  ==========================  ===========
erasure record         APP#<application>           ERASED
=====================  ==========================  ===========

The erasure record holds no personal data: who erased, when, the stage reached and counts.
"""

from __future__ import annotations

from typing import Any

from shared.errors import Conflict
from shared.models.application import Application
from shared.store import objects
from shared.store.applications import application_item
from shared.store.audit import AuditEntry
from shared.store.failures import ConditionFailed
from shared.store.items import serialize
from shared.store.table import Store

ERASED_SK = "ERASED"


class ErasureStore(Store):
    def rewrite(self, puts: list[dict[str, Any]], deletes: list[dict[str, str]]) -> None:
        """Overwrite scrubbed items and delete the ones that go (idempotent: a retry writes the same)."""
        requests = [{"PutRequest": {"Item": serialize(item)}} for item in puts]
        requests += [{"DeleteRequest": {"Key": serialize(key)}} for key in deletes]
        self.table.batch_write(requests)

    def outside(
        self,
        requisition_id: str,
        desk: list[dict[str, str]],
        parked_prefixes: list[str],
        webhooks: list[tuple[str, str]],
    ) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
        """The person's items outside the partition (``shared.domain.erasure.INVENTORY``): the desk
        items, the parked results and the vendors' pending video copies go; the delivery records of
        their results are scrubbed. Returns (puts, deletes) for ``rewrite``."""
        deletes = list(desk)
        for prefix in parked_prefixes:
            for item in self.table.query_all(f"PARKED#{requisition_id}", sk_prefix=prefix, page_size=100):
                deletes.append({"pk": item["pk"], "sk": item["sk"]})
                record = item.get("record") or {}
                if record.get("webhook_id") and record.get("vendor_id"):
                    webhooks.append((str(record["webhook_id"]), str(record["vendor_id"])))
        unique = list(dict.fromkeys(webhooks))
        keys = [{"pk": f"WEBHOOK#{webhook_id}", "sk": f"AI#{vendor}"} for webhook_id, vendor in unique]
        keys += [{"pk": "PENDING#videos", "sk": webhook_id} for webhook_id, _ in unique]
        puts: list[dict[str, Any]] = []
        for item in self.table.get_many(keys):
            if item["pk"] == "PENDING#videos":
                deletes.append({"pk": item["pk"], "sk": item["sk"]})
            elif item.get("external_ref"):
                puts.append(item | {"external_ref": None})
        return puts, deletes

    def delete_objects(self, prefixes: tuple[str, ...]) -> int:
        """Delete every version (and delete marker) of every object under the prefixes."""
        return objects.delete_all_versions(prefixes)

    def commit(
        self,
        before: Application,
        after: Application,
        record: dict[str, Any],
        guards: list[dict[str, str]],
        audit: AuditEntry,
    ) -> None:
        """The scrubbed application (conditional on the version read), the erasure record, the removal
        of the uniqueness guards and the audit record, in one transaction. ``Conflict`` if the
        application changed meanwhile or was erased by a concurrent call."""
        items = [
            self.table.versioned_op(application_item(after), before.version),
            self.table.new_op({"pk": f"APP#{after.id}", "sk": ERASED_SK, "type": "erasure", **record}),
            self.table.audit_op(audit),
            *[self.table.delete_op(key) for key in guards],
        ]
        try:
            self.table.transact(items)
        except ConditionFailed as failed:
            if not failed.failed.keys() & {0, 1}:
                raise
            raise Conflict(
                f"application {after.id} was changed or erased meanwhile; retry",
                [{"expected_version": before.version}],
            ) from failed
