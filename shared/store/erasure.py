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

from botocore.exceptions import ClientError

from shared.errors import Conflict
from shared.models.application import Application
from shared.settings import get_settings
from shared.store import aws
from shared.store.failures import unavailable
from shared.store.items import serialize
from shared.store.repository import AuditEntry, PartitionStore

ERASED_SK = "ERASED"
S3_DELETE_BATCH = 1000  # DeleteObjects takes at most 1000 keys


class ErasureStore(PartitionStore):
    def partition(self, application_id: str) -> list[dict[str, Any]]:
        """Every item of the application's partition (paged Query; one page for any real archive)."""
        items: list[dict[str, Any]] = []
        token = None
        while True:
            page = self.repo.query(f"APP#{application_id}", limit=1000, token=token)
            items += page.items
            token = page.next_token
            if not token:
                return items

    def get_record(self, application_id: str) -> dict[str, Any] | None:
        return self.repo.get_item(f"APP#{application_id}", ERASED_SK)

    def rewrite(self, puts: list[dict[str, Any]], deletes: list[dict[str, str]]) -> None:
        """Overwrite scrubbed items and delete the ones that go (idempotent: a retry writes the same)."""
        requests = [{"PutRequest": {"Item": serialize(item)}} for item in puts]
        requests += [{"DeleteRequest": {"Key": serialize(key)}} for key in deletes]
        self.repo.batch_write(requests)

    def delete_objects(self, prefixes: tuple[str, ...]) -> int:
        """Delete every version (and delete marker) of every object under the prefixes: with
        versioning on, deleting only the current version would leave the file recoverable."""
        s3 = aws.client("s3")
        bucket = get_settings().bucket_name
        deleted = 0
        for prefix in prefixes:
            for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=prefix):
                keys = [
                    {"Key": v["Key"], "VersionId": v["VersionId"]}
                    for v in [*page.get("Versions", []), *page.get("DeleteMarkers", [])]
                ]
                for start in range(0, len(keys), S3_DELETE_BATCH):
                    batch = keys[start : start + S3_DELETE_BATCH]
                    s3.delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": True})
                deleted += len(page.get("Versions", []))
        return deleted

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
        items: list[dict[str, Any]] = [
            self.repo.application_put(before, after),
            {
                "Put": {
                    "TableName": self.table_name,
                    "Item": serialize({"pk": f"APP#{after.id}", "sk": ERASED_SK, "type": "erasure", **record}),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            },
            {"Put": {"TableName": self.table_name, "Item": serialize(audit.item())}},
        ]
        items += [{"Delete": {"TableName": self.table_name, "Key": serialize(key)}} for key in guards]
        try:
            self._ddb.transact_write_items(TransactItems=items)
        except ClientError as exc:
            reasons = exc.response.get("CancellationReasons") or []
            if any(r.get("Code") == "ConditionalCheckFailed" for r in reasons[:2]):
                raise Conflict(
                    f"application {after.id} was changed or erased meanwhile; retry",
                    [{"expected_version": before.version}],
                ) from exc
            raise (unavailable(exc) or exc) from exc
