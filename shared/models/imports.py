from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints, computed_field

from shared.models.common import Model, Request, Response

FileName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=5, max_length=200, pattern=r"(?i)^[^/\\]+\.(csv|xlsx)$"),
]


class ImportCreate(Request):
    requisition_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    filename: FileName = Field(description="The spreadsheet's name; must end in .csv or .xlsx")


class ImportJob(Model):
    """A bulk import of applications from one uploaded spreadsheet."""

    model_config = ConfigDict(extra="ignore")

    id: str
    requisition_id: str
    filename: str
    object_key: str
    created_by: str
    created_at: str
    status: Literal["awaiting_upload", "processing", "failed"] = "awaiting_upload"
    failure: str | None = None
    etag: str | None = None
    total_rows: int | None = None
    chunks: int | None = None
    processed_rows: int = 0
    accepted: int = 0
    rejected: int = 0
    duplicate: int = 0

    def etag_seen(self, etag: str) -> bool | None:
        """None: no file claimed yet; True: this file was claimed; False: another file was."""
        return None if self.etag is None else self.etag == etag

    @computed_field  # type: ignore[prop-decorator]
    @property
    def state(self) -> str:
        """awaiting_upload → processing → completed, or failed (derived, never stored)."""
        if self.status == "processing" and self.total_rows is not None and self.processed_rows >= self.total_rows:
            return "completed"
        return self.status


class UploadForm(Response):
    """A presigned S3 POST: send the file as multipart form data with these fields."""

    url: str
    fields: dict[str, str]
    expires_in: int
    max_bytes: int


class ResumeUploadView(Response):
    application_id: str
    upload: UploadForm


class ImportView(Response):
    id: str
    requisition_id: str
    filename: str
    state: str
    failure: str | None
    total_rows: int | None
    processed_rows: int
    accepted: int
    rejected: int
    duplicate: int
    created_at: str
    upload: UploadForm | None = None


class RowResult(Model):
    row: int = Field(description="1-based data row number (the header is row 0)")
    outcome: Literal["accepted", "rejected", "duplicate"]
    reason: str | None = None
    application_id: str | None = None


class RowChunk(Model):
    """An SQS message: a slice of parsed spreadsheet rows to turn into applications."""

    kind: Literal["rows"] = "rows"
    import_id: str
    chunk: int
    rows: list[tuple[int, dict[str, str]]]


class ResumeUploaded(Model):
    """An SQS message: read an uploaded resume file and screen the application again."""

    kind: Literal["resume"] = "resume"
    application_id: str
    bucket: str
    key: str


class ParseFile(Model):
    """An SQS message: parse the uploaded file of an import and fan its rows out into chunks."""

    kind: Literal["parse"] = "parse"
    import_id: str
    bucket: str
    key: str
    etag: str


class VideoCopy(Model):
    """An SQS message: copy an interview video the vendor offers by URL into ``videos/<application>/``.

    Sent by the webhook intake; ``webhook_id`` (the vendor's idempotency key) fixes the video id, so a
    redelivered message does not copy the video twice."""

    kind: Literal["video_copy"] = "video_copy"
    application_id: str
    video_url: str
    webhook_id: str
