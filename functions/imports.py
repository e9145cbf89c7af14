"""Bulk import of applications: presigned upload, S3 object event, SQS worker with partial failures."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from chalice.app import Blueprint, CloudWatchEvent, SQSEvent
from pydantic import ConfigDict, Field, TypeAdapter

from functions.batch import sqs_batch
from functions.http import Call, api_route, logger, ok
from shared.errors import NotFound
from shared.models.common import Limit, Page, Request
from shared.models.imports import (
    ImportCreate,
    ImportJob,
    ImportView,
    ParseFile,
    ResumeUploaded,
    RowChunk,
    RowResult,
    UploadForm,
    VideoCopy,
)
from shared.security.policy import Action, authorize
from shared.services.imports import Imports
from shared.services.resumes import Resumes
from shared.services.videos import Videos
from shared.settings import get_settings
from shared.store import queue
from shared.store.repository import Repository

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

bp = Blueprint(__name__)

# CloudFormation logical id of the intake work queue (see infra/template.json): import parsing,
# import row chunks, uploaded resume files and vendor videos to copy.
IMPORT_QUEUE = "ImportQueue"
IntakeMessage = TypeAdapter(
    Annotated[ParseFile | RowChunk | ResumeUploaded | VideoCopy, Field(discriminator="kind")],
    config=ConfigDict(defer_build=True),  # built on the first message: the API function never reads one
)


class RowsQuery(Request):
    limit: Limit = 100
    next_token: str | None = Field(default=None, max_length=2048)


def import_view(job: ImportJob, upload: UploadForm | None = None) -> ImportView:
    return ImportView(**job.model_dump(), upload=upload)


@api_route(bp, "/imports", methods=["POST"], body=ImportCreate, response=ImportView, status=201)
def create_import(call: Call[ImportCreate, None]) -> Any:
    """Start a bulk import (hr): returns the presigned upload for the .csv or .xlsx file."""
    who = call.who
    authorize(who, Action.import_create)
    body = call.body
    imports = Imports.default()
    req = imports.repo.requisitions.require(body.requisition_id)
    job, post = imports.start(req, body.filename, who.username)
    upload = UploadForm(url=post.url, fields=post.fields, expires_in=post.expires_in, max_bytes=post.max_bytes)
    return ok(import_view(job, upload), status=201)


def _require_import(import_id: str) -> ImportJob:
    job = Repository().imports.get(import_id)
    if job is None:
        raise NotFound(f"import {import_id} does not exist")
    return job


@api_route(bp, "/imports/{import_id}", methods=["GET"], response=ImportView)
def get_import(call: Call, import_id: str) -> Any:
    """An import's state and counts (hr)."""
    who = call.who
    authorize(who, Action.import_read)
    return ok(import_view(_require_import(import_id)))


@api_route(bp, "/imports/{import_id}/rows", methods=["GET"], query=RowsQuery, response=Page[RowResult])
def list_import_rows(call: Call[None, RowsQuery], import_id: str) -> Any:
    """Per-row results of an import: accepted, rejected (with the reason) or duplicate (hr)."""
    who = call.who
    authorize(who, Action.import_read)
    query = call.query
    job = _require_import(import_id)
    page = Repository().imports.rows(job.id, query.limit, query.next_token)
    return ok(Page[RowResult](items=[RowResult.model_validate(i) for i in page.items], next_token=page.next_token))


UPLOAD_EVENTS = {
    "source": ["aws.s3"],
    "detail-type": ["Object Created"],
    "detail": {"object": {"key": [{"prefix": "imports/"}, {"prefix": "resumes/"}, {"prefix": "videos/"}]}},
}


@bp.on_cw_event(UPLOAD_EVENTS, name="object_created")
def object_created(event: CloudWatchEvent) -> dict[str, Any]:
    detail = event.detail or {}
    bucket = (detail.get("bucket") or {}).get("name", "")
    obj = detail.get("object") or {}
    key = obj.get("key", "")
    if key.startswith("videos/"):  # linked (or quarantined) at once: nothing to queue
        outcome = Videos.default().object_created(bucket, key)
        logger.info("video object", extra={"bucket": bucket, "outcome": outcome})
        return {"queued": False, "video": outcome}
    if key.startswith("resumes/"):
        queued = Resumes(Repository(), _send).object_created(bucket, key)
    else:
        queued = Imports.default().object_created(bucket, key, obj.get("etag") or obj.get("eTag") or "")
    logger.info("object created", extra={"bucket": bucket, "queued": queued})
    return {"queued": queued}


def _send(bodies: list[str]) -> None:
    queue.send_all(get_settings().import_queue_url, bodies)


def _handle_record(record: SQSRecord) -> None:
    message = IntakeMessage.validate_json(record.body)
    if isinstance(message, ResumeUploaded):
        app = Resumes(Repository(), _send).process(message)
        logger.info("resume processed", extra={"application_id": app.id, "stage": app.stage.value})
        return
    if isinstance(message, VideoCopy):
        copied = Videos.default().copy_from_url(message)
        logger.info("video copy", extra={"application_id": message.application_id, "outcome": copied})
        return
    imports = Imports.default()
    if isinstance(message, ParseFile):
        chunks = imports.parse(message)
        logger.info("import parsed", extra={"import_id": message.import_id, "chunks": chunks})
    else:
        results = imports.process_chunk(message)
        logger.info(
            "import chunk", extra={"import_id": message.import_id, "chunk": message.chunk, "rows": len(results)}
        )


@bp.on_sqs_message(queue=IMPORT_QUEUE, batch_size=10, name="import_worker")
def import_worker(event: SQSEvent) -> dict[str, Any]:
    return sqs_batch(event, _handle_record)
