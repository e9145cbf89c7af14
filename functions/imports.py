"""Bulk import of applications: the presigned upload, the import's state and its per-row results.
The uploaded file's object event and the intake queue's worker are in ``functions.consumers``."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from functions.http import Call, ok
from functions.verbs import Routes
from shared.models.common import Limit, Page, Request
from shared.models.imports import (
    ImportCreate,
    ImportJob,
    ImportView,
    RowResult,
    UploadForm,
)
from shared.security.policy import Action, authorize
from shared.services.imports import Imports
from shared.services.requisitions import Requisitions

bp = Routes(__name__)


class RowsQuery(Request):
    limit: Limit = 100
    next_token: str | None = Field(default=None, max_length=2048)


def import_view(job: ImportJob, upload: UploadForm | None = None) -> ImportView:
    return ImportView(**job.model_dump(), upload=upload)


@bp.post("/imports", body=ImportCreate, response=ImportView, status=201)
def create_import(call: Call[ImportCreate, None]) -> Any:
    """Start a bulk import (hr): returns the presigned upload for the .csv or .xlsx file."""
    authorize(call.who, Action.import_create)
    body = call.body
    req = Requisitions().require(body.requisition_id)
    job, post = Imports.default().start(req, body.filename, call.who.username)
    upload = UploadForm(url=post.url, fields=post.fields, expires_in=post.expires_in, max_bytes=post.max_bytes)
    return ok(import_view(job, upload), status=201)


@bp.get("/imports/{import_id}", response=ImportView)
def get_import(call: Call, import_id: str) -> Any:
    """An import's state and counts (hr)."""
    authorize(call.who, Action.import_read)
    return ok(import_view(Imports.default().require(import_id)))


@bp.get("/imports/{import_id}/rows", query=RowsQuery, response=Page[RowResult])
def list_import_rows(call: Call[None, RowsQuery], import_id: str) -> Any:
    """Per-row results of an import: accepted, rejected (with the reason) or duplicate (hr)."""
    authorize(call.who, Action.import_read)
    query = call.query
    imports = Imports.default()
    return ok(imports.rows(imports.require(import_id), query.limit, query.next_token))
