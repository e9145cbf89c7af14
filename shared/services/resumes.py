"""Resume files: presigned upload, then (S3 → EventBridge → queue) text extraction and re-screening."""

from __future__ import annotations

import re
from collections.abc import Callable

from shared.domain.documents import RESUME_TYPES, DocumentError, extract_text
from shared.errors import Conflict
from shared.models.application import Application
from shared.models.common import new_id
from shared.models.imports import ResumeUploaded
from shared.services.applications import Applications
from shared.store import objects
from shared.store.objects import PresignedPost
from shared.store.repository import Repository

MAX_RESUME_BYTES = 10 * 1_048_576
KEY_RE = re.compile(r"^resumes/(?P<app>[0-9a-f]{32})/[0-9a-f]{32}\.(?P<ext>txt|pdf|docx)$")
ATTEMPTS = 3


class Resumes:
    def __init__(self, repo: Repository, send: Callable[[list[str]], None]) -> None:
        self.repo = repo
        self.applications = Applications(repo)
        self.send = send

    def start(self, app: Application, filename: str) -> PresignedPost:
        ext = filename.rsplit(".", 1)[-1].lower()
        key = f"resumes/{app.id}/{new_id()}.{ext}"
        return objects.presign_upload(key, RESUME_TYPES[ext], MAX_RESUME_BYTES)

    def object_created(self, bucket: str, key: str) -> bool:
        match = KEY_RE.match(key)
        if not match or self.repo.applications.get(match["app"]) is None:
            return False
        self.send([ResumeUploaded(application_id=match["app"], bucket=bucket, key=key).model_dump_json()])
        return True

    def process(self, msg: ResumeUploaded) -> Application:
        match = KEY_RE.match(msg.key)
        if not match:
            raise ValueError(f"not a resume key: {msg.key}")
        data = objects.read_object(msg.bucket, msg.key, MAX_RESUME_BYTES)
        for _ in range(ATTEMPTS):  # an HR decision may land meanwhile: re-read and apply again
            app = self.repo.applications.require(msg.application_id)
            if app.resume_file == msg.key:
                return app  # this file was already applied (a redelivered message)
            try:
                text = extract_text(match["ext"], data)
            except DocumentError as exc:
                self.applications.record_resume_error(app, msg.key, str(exc))
                return app
            req = self.repo.requisitions.require(app.requisition_id)
            try:
                return self.applications.rescreen(app, req, text, msg.key)
            except Conflict:
                continue
        raise Conflict(f"application {msg.application_id} kept changing; the resume will be retried")
