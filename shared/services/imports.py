"""Bulk import of applications from an uploaded spreadsheet.

1. ``start``: HR asks for an import; we record it and hand out a presigned upload (SigV4, ≤ 5 min,
   exact content type, size limit, SSE-KMS).
2. ``object_created``: S3 → EventBridge delivers the object event; we queue a ``ParseFile`` job.
3. ``parse``: the job reads the file and fans the rows out as ``RowChunk`` messages. Parsing the
   same object again (a redelivered event or message) re-sends the same chunks, which is harmless.
4. ``process_chunk``: each row becomes an application (screened) or a per-row rejection. Rows are
   deduplicated on (requisition, national ID); a redelivered chunk is recognised row by row and
   counted once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator

from pydantic import ValidationError

from shared.domain.spreadsheet import Sheet, SpreadsheetError, read_spreadsheet
from shared.errors import NotFound
from shared.models.application import ApplicationCreate
from shared.models.common import Page, iso, new_id, utcnow
from shared.models.imports import ImportJob, ParseFile, RowChunk, RowResult
from shared.models.requisition import Requisition
from shared.services.applications import Applications
from shared.services.intake import Intake
from shared.settings import get_settings
from shared.store import objects, queue
from shared.store.objects import PresignedPost
from shared.store.repository import Repository
from shared.store.requisitions import INTAKE_CACHE_SECONDS

CONTENT_TYPES = {
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
KEY_RE = re.compile(r"^imports/(?P<id>[0-9a-f]{32})/")
CHUNK_ROWS = 100
CHUNK_BYTES = 200_000


def content_type_for(filename: str) -> str:
    return CONTENT_TYPES["." + filename.rsplit(".", 1)[-1].lower()]


def row_problem(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"]) or "row"
        message = err["msg"].removeprefix("Value error, ")
        parts.append(f"{field}: {message}")
    return "; ".join(parts)


def chunk_rows(rows: list[tuple[int, dict[str, str]]]) -> Iterator[list[tuple[int, dict[str, str]]]]:
    """Slices of at most CHUNK_ROWS rows and about CHUNK_BYTES of JSON (an SQS message holds 256 KiB)."""
    current: list[tuple[int, dict[str, str]]] = []
    size = 0
    for row in rows:
        row_size = len(json.dumps(row, ensure_ascii=False).encode())
        if current and (len(current) >= CHUNK_ROWS or size + row_size > CHUNK_BYTES):
            yield current
            current, size = [], 0
        current.append(row)
        size += row_size
    if current:
        yield current


class Imports:
    def __init__(self, repo: Repository, applications: Applications, send: Callable[[list[str]], None]) -> None:
        self.repo = repo
        self.applications = applications
        self.send = send

    @classmethod
    def default(cls) -> Imports:
        repo = Repository()
        url = get_settings().import_queue_url
        return cls(repo, Applications(repo), lambda bodies: queue.send_all(url, bodies))

    def require(self, import_id: str) -> ImportJob:
        job = self.repo.imports.get(import_id)
        if job is None:
            raise NotFound(f"import {import_id} does not exist")
        return job

    def rows(self, job: ImportJob, limit: int, token: str | None) -> Page[RowResult]:
        """The import's per-row results, by row."""
        page = self.repo.imports.rows(job.id, limit, token)
        return Page[RowResult](items=[RowResult.model_validate(i) for i in page.items], next_token=page.next_token)

    def start(self, req: Requisition, filename: str, actor: str) -> tuple[ImportJob, PresignedPost]:
        import_id = new_id()
        key = f"imports/{import_id}/{re.sub(r'[^A-Za-z0-9._-]', '_', filename)}"
        job = ImportJob(
            id=import_id,
            requisition_id=req.id,
            filename=filename,
            object_key=key,
            created_by=actor,
            created_at=iso(utcnow()),
        )
        self.repo.imports.create(job)
        return job, objects.presign_upload(key, content_type_for(filename))

    def object_created(self, bucket: str, key: str, etag: str) -> bool:
        """Queue the parse job for an uploaded import file; False for objects that are not imports."""
        match = KEY_RE.match(key)
        if not match:
            return False
        job = self.repo.imports.get(match["id"])
        if job is None or job.object_key != key:
            return False
        self.send([ParseFile(import_id=job.id, bucket=bucket, key=key, etag=etag).model_dump_json()])
        return True

    def parse(self, msg: ParseFile) -> int:
        """Parse the file and queue its rows; returns the number of chunks queued (0 if ignored)."""
        job = self.repo.imports.get(msg.import_id)
        if job is None:
            raise NotFound(f"import {msg.import_id} does not exist")
        if job.state == "completed":
            self.forget_file(job)  # a file uploaded after the import ended is never read
            return 0
        if job.etag_seen(msg.etag) is False:
            return 0  # another file already claimed this import: a re-upload never imports twice
        try:
            data = objects.read_object(msg.bucket, msg.key, get_settings().upload_max_bytes)
            sheet: Sheet = read_spreadsheet(job.filename, data)
        except SpreadsheetError as exc:
            self.repo.imports.fail(job.id, str(exc))
            self.forget_file(job)
            return 0
        chunks = list(chunk_rows(sheet.rows))
        if not self.repo.imports.claim_file(job.id, msg.etag, len(sheet.rows), len(chunks)):
            return 0
        bodies = [RowChunk(import_id=job.id, chunk=n, rows=rows).model_dump_json() for n, rows in enumerate(chunks)]
        self.send(bodies)
        if not bodies:  # no rows: nothing left to store
            self.forget_file(job)
        return len(bodies)

    def process_chunk(self, msg: RowChunk) -> list[RowResult]:
        job = self.repo.imports.get(msg.import_id)
        if job is None:
            raise NotFound(f"import {msg.import_id} does not exist")
        req = self.repo.requisitions.require(job.requisition_id, max_age=INTAKE_CACHE_SECONDS)
        # One look for parked results per chunk instead of one per row: in a bulk import there are
        # usually none. A result parked while the chunk runs is attached by the scheduled
        # reconciliation (Intake.reconcile), as is one parked between a row's write and its look-up.
        parked = Intake(self.repo).any_parked(req.id)
        results = [self._row(req, job, number, record, parked) for number, record in msg.rows]
        self.repo.imports.record_chunk(job.id, msg.chunk, results)
        done = self.repo.imports.get(job.id)
        if done is not None and done.state == "completed":
            self.forget_file(done)
        return results

    @staticmethod
    def forget_file(job: ImportJob) -> None:
        """Delete the uploaded spreadsheet, every version, once its rows are stored (or it was refused):
        it holds everyone's contact details and ID numbers in clear, and the rows now live in their
        applications (sealed) and row results (no personal data). Deleting twice is harmless."""
        objects.delete_all_versions((f"imports/{job.id}/",))

    def _row(
        self, req: Requisition, job: ImportJob, number: int, record: dict[str, str], parked: bool = True
    ) -> RowResult:
        extra = record.pop("__extra_cells__", None)
        if extra:
            return RowResult(row=number, outcome="rejected", reason=f"row has {extra} cells beyond the header")
        fields = {k: v for k, v in record.items() if v != "" or k in ("name", "email", "phone", "national_id")}
        try:
            data = ApplicationCreate.model_validate(fields)
        except ValidationError as exc:
            return RowResult(row=number, outcome="rejected", reason=row_problem(exc))
        outcome = self.applications.create(
            req, data, job.created_by, source=f"import:{job.id}#{number}", parked_possible=parked
        )
        if outcome.status == "ref_taken":
            return RowResult(
                row=number,
                outcome="rejected",
                reason=f"external_ref: already used by application {outcome.application_id}",
            )
        if outcome.status == "duplicate":
            return RowResult(
                row=number,
                outcome="duplicate",
                reason=f"this person already applied to the requisition ({outcome.application_id})",
                application_id=outcome.application_id,
            )
        return RowResult(row=number, outcome="accepted", application_id=outcome.application_id)
