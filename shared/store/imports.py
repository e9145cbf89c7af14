"""Bulk imports in the talent table.

=====================  ==========================  ===========
item                   pk                          sk
=====================  ==========================  ===========
import                 IMPORT#<id>                 META
import chunk marker    IMPORT#<id>                 CHUNK#<n>
import row result      IMPORT#<id>                 ROW#<n>
=====================  ==========================  ===========
"""

from __future__ import annotations

from typing import Any

from shared.models.common import iso, utcnow
from shared.models.imports import ImportJob, RowResult
from shared.store.failures import ConditionFailed
from shared.store.table import NEW, Page, Store


def _meta(import_id: str) -> dict[str, str]:
    return {"pk": f"IMPORT#{import_id}", "sk": "META"}


class ImportStore(Store):
    def create(self, job: ImportJob) -> None:
        self.table.put_item(_meta(job.id) | {"type": "import", **job.model_dump(mode="json")}, NEW)

    def get(self, import_id: str) -> ImportJob | None:
        return self.table.get_model(ImportJob, **_meta(import_id))

    def claim_file(self, import_id: str, etag: str, total_rows: int, chunks: int) -> bool:
        """Record that this uploaded file (by ETag) feeds the import; False if another file already does.
        Claiming the same file again succeeds, so a retried parse re-sends its (idempotent) chunks."""
        return self._set_status(
            import_id,
            "SET #s = :s, etag = :e, total_rows = :t, chunks = :c, parsed_at = :now",
            "attribute_exists(pk) AND (attribute_not_exists(etag) OR etag = :e)",
            {":s": "processing", ":e": etag, ":t": total_rows, ":c": chunks, ":now": iso(utcnow())},
        )

    def fail(self, import_id: str, reason: str) -> None:
        """Mark an import failed (a file that cannot be read) unless a readable file was already claimed."""
        self._set_status(
            import_id,
            "SET #s = :s, failure = :r",
            "attribute_exists(pk) AND attribute_not_exists(etag)",
            {":s": "failed", ":r": reason},
        )

    def _set_status(self, import_id: str, expression: str, condition: str, values: dict[str, Any]) -> bool:
        """One conditional update of the import (``#s`` is its status); False when the condition fails."""
        update = self.table.update_op(_meta(import_id), expression, condition, names={"#s": "status"}, values=values)
        try:
            self.table.write(update)
        except ConditionFailed:
            return False
        return True

    def record_chunk(self, import_id: str, chunk: int, results: list[RowResult]) -> bool:
        """Store per-row results, then count the chunk once (a redelivered chunk is not re-counted)."""
        rows = [
            {"pk": f"IMPORT#{import_id}", "sk": f"ROW#{r.row:07d}", "type": "import_row"} | r.model_dump(mode="json")
            for r in results
        ]
        self.table.put_all(rows)
        counts = {"accepted": 0, "rejected": 0, "duplicate": 0}
        for r in results:
            counts[r.outcome] += 1
        marker = {"pk": f"IMPORT#{import_id}", "sk": f"CHUNK#{chunk:05d}", "rows": len(results)}
        add = {":a": counts["accepted"], ":r": counts["rejected"], ":d": counts["duplicate"], ":p": len(results)}
        return self.table.put_new(
            [
                self.table.new_op(marker),
                self.table.update_op(
                    _meta(import_id), "ADD accepted :a, rejected :r, duplicate :d, processed_rows :p", values=add
                ),
            ]
        )

    def rows(self, import_id: str, limit: int, token: str | None) -> Page:
        return self.table.query(f"IMPORT#{import_id}", sk_prefix="ROW#", limit=limit, token=token)
