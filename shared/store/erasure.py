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
