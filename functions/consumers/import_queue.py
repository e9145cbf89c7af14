"""ImportQueue → ``import_worker``: the intake work, each message type to its handler (``HANDLERS``).

Bulk-import files to parse and their row chunks, uploaded resume files to read, and vendor videos
to copy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

from chalice.app import Blueprint, SQSEvent
from pydantic import ConfigDict, Field, TypeAdapter

from functions.batch import sqs_batch
from functions.observability import logger, metric
from shared.models.imports import ParseFile, ResumeUploaded, RowChunk, VideoCopy
from shared.services import wired
from shared.services.imports import Imports
from shared.services.videos import Videos

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

bp = Blueprint(__name__)

IMPORT_QUEUE = "ImportQueue"  # CloudFormation logical id (infra/template.json)
IntakeMessage = TypeAdapter(
    Annotated[ParseFile | RowChunk | ResumeUploaded | VideoCopy, Field(discriminator="kind")],
    config=ConfigDict(defer_build=True),  # built on the first message: the API function never reads one
)


def parse_file(message: ParseFile) -> None:
    chunks = Imports.default().parse(message)
    logger.info("import parsed", extra={"import_id": message.import_id, "chunks": chunks})


def row_chunk(message: RowChunk) -> None:
    results = Imports.default().process_chunk(message)
    for outcome in ("accepted", "rejected", "duplicate"):
        if rows := sum(1 for r in results if r.outcome == outcome):
            metric("ImportRows", outcome, rows)
    logger.info("import chunk", extra={"import_id": message.import_id, "chunk": message.chunk, "rows": len(results)})


def resume_uploaded(message: ResumeUploaded) -> None:
    app = wired.resumes().process(message)
    logger.info("resume processed", extra={"application_id": app.id, "stage": app.stage.value})


def video_copy(message: VideoCopy) -> None:
    copied = Videos.default().copy_from_url(message)
    logger.info("video copy", extra={"application_id": message.application_id, "outcome": copied})


HANDLERS: dict[type[Any], Callable[[Any], None]] = {
    ParseFile: parse_file,
    RowChunk: row_chunk,
    ResumeUploaded: resume_uploaded,
    VideoCopy: video_copy,
}


def handle(record: SQSRecord) -> None:
    message = IntakeMessage.validate_json(record.body)
    HANDLERS[type(message)](message)


@bp.on_sqs_message(queue=IMPORT_QUEUE, batch_size=10, name="import_worker")
def import_worker(event: SQSEvent) -> dict[str, Any]:
    return sqs_batch(event, handle)
