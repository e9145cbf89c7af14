"""Interview videos: presigned upload, linking on the S3 event, quarantine, vendor URL copies, reading.

Two ways in, one way to the archive: HR uploads through a presigned POST, or the vendor offers a URL
that the intake worker copies into the bucket. Either way the object lands under
``videos/<application>/<video>.<ext>`` and S3's "Object Created" event links it to the application.
An object that cannot belong to a known application is moved to ``quarantine/`` and recorded.
"""

from __future__ import annotations

import hashlib
import re
from typing import Literal
from urllib.parse import unquote_plus

from shared.errors import NotFound
from shared.models.application import Application
from shared.models.common import iso, new_id, utcnow
from shared.models.imports import VideoCopy
from shared.models.videos import QuarantinedVideo, Video, VideoSource
from shared.settings import get_settings
from shared.store import downloads, objects
from shared.store.audit import AuditEntry
from shared.store.downloads import FetchRefused
from shared.store.objects import ObjectInfo, PresignedPost
from shared.store.repository import Repository
from shared.store.videos import VideoStore

VIDEO_TYPES = {"mp4": "video/mp4", "webm": "video/webm"}
EXTENSIONS = {content_type: ext for ext, content_type in VIDEO_TYPES.items()}
MAX_VIDEO_BYTES = 500 * 1_048_576
FETCH_TIMEOUT_SECONDS = 30  # connecting and each read
FETCH_DEADLINE_SECONDS = 100  # the whole download (the intake worker runs for at most 120 s)
KEY_RE = re.compile(r"^videos/(?P<app>[0-9a-f]{32})/(?P<video>[0-9a-f]{32})\.(?P<ext>mp4|webm)$")
VIDEO_ID_RE = re.compile(r"^[0-9a-f]{32}$")
QUARANTINE_PREFIX = "quarantine/"
SOURCE_METADATA = "source"  # x-amz-meta-source: only our own copy sets it; a presigned POST cannot
WEBHOOK_METADATA = "webhook-id"

LinkOutcome = Literal["linked", "duplicate", "quarantined", "missing"]
CopyOutcome = Literal["copied", "exists", "quarantined"]


def vendor_video_id(webhook_id: str) -> str:
    """The video id of a vendor's copy: fixed by the webhook id, so a redelivered message finds it."""
    return hashlib.sha256(webhook_id.encode("utf-8")).hexdigest()[:32]


def _ascii(text: str) -> str:
    return text if text.isascii() and text.isprintable() else hashlib.sha256(text.encode()).hexdigest()


class Videos:
    def __init__(self, repo: Repository, store: VideoStore | None = None) -> None:
        self.repo = repo
        self.store = store or VideoStore(repo)

    @classmethod
    def default(cls) -> Videos:
        return cls(Repository())

    # -- upload ------------------------------------------------------------------------------
    def start(
        self, app: Application, filename: str, actor: str, source_ip: str | None = None
    ) -> tuple[str, PresignedPost]:
        """A new video id and the presigned POST for ``videos/<application>/<id>.<ext>`` (exact type,
        ≤ 500 MiB, SSE-KMS). Who asked is audited: the upload itself carries no identity."""
        ext = filename.rsplit(".", 1)[-1].lower()
        video_id = new_id()
        key = f"videos/{app.id}/{video_id}.{ext}"
        post = objects.presign_upload(key, VIDEO_TYPES[ext], MAX_VIDEO_BYTES)
        self.repo.audit.put(
            AuditEntry(
                subject=f"application:{app.id}",
                actor=actor,
                action="video.upload_started",
                details={"video_id": video_id, "key": key},
                source_ip=source_ip,
            )
        )
        return video_id, post

    # -- the S3 event ------------------------------------------------------------------------
    def object_created(self, bucket: str, key: str) -> LinkOutcome:
        """Link a new object under ``videos/`` to its application, or quarantine it. Idempotent: a
        redelivered event finds the link (``duplicate``) or the object already moved (``missing``)."""
        info = objects.head_object(bucket, key)
        if info is None and unquote_plus(key) != key:  # S3 event keys may arrive URL-encoded
            key = unquote_plus(key)
            info = objects.head_object(bucket, key)
        if info is None:
            return "missing"
        source: VideoSource = "vendor" if info.metadata.get(SOURCE_METADATA) == "vendor" else "upload"
        match = KEY_RE.match(key)
        if not match:
            return self._quarantine_object(
                bucket, info, source, None, "the key is not videos/<application>/<id>.mp4|webm"
            )
        app_id, video_id, ext = match["app"], match["video"], match["ext"]
        if self.repo.applications.get(app_id) is None:
            return self._quarantine_object(bucket, info, source, app_id, f"application {app_id} does not exist")
        if info.content_type.split(";", 1)[0].strip().lower() != VIDEO_TYPES[ext]:
            reason = f"content type {info.content_type or 'none'!r} does not match .{ext}"
            return self._quarantine_object(bucket, info, source, app_id, reason)
        if info.size > MAX_VIDEO_BYTES:
            reason = f"{info.size} bytes is more than the {MAX_VIDEO_BYTES} allowed"
            return self._quarantine_object(bucket, info, source, app_id, reason)
        webhook_id = info.metadata.get(WEBHOOK_METADATA) if source == "vendor" else None
        video = Video(
            video_id=video_id,
            application_id=app_id,
            key=key,
            size=info.size,
            content_type=VIDEO_TYPES[ext],
            source=source,
            uploaded_at=info.last_modified,
            linked_at=iso(utcnow()),
            webhook_id=webhook_id,
        )
        audit = AuditEntry(
            subject=f"application:{app_id}",
            actor=f"system:{source}",
            action="video.link",
            details={"video_id": video_id, "key": key, "size": info.size, "source": source},
        )
        if self.store.link(video, audit):
            return "linked"
        existing = self.store.get(app_id, video_id)
        if existing is not None and existing.key != key:  # same id, other extension: not the linked file
            return self._quarantine_object(bucket, info, source, app_id, f"video {video_id} is already {existing.key}")
        return "duplicate"

    def _quarantine_object(
        self, bucket: str, info: ObjectInfo, source: VideoSource, app_id: str | None, reason: str
    ) -> LinkOutcome:
        # Record first, then move: a retry after a partial failure repeats both, and the record's key
        # (object time and identity) makes the second record replace the first.
        identity = hashlib.sha256(f"{info.key}#{info.version_id or info.etag}".encode()).hexdigest()[:32]
        target = f"{QUARANTINE_PREFIX}{info.key}"
        self.store.quarantine(
            QuarantinedVideo(
                id=identity,
                at=info.last_modified,
                reason=reason,
                source=source,
                key=info.key,
                quarantine_key=target,
                size=info.size,
                application_id=app_id,
            )
        )
        objects.move_object(bucket, info, target)
        return "quarantined"

    # -- vendor URLs -------------------------------------------------------------------------
    def copy_from_url(self, msg: VideoCopy) -> CopyOutcome:
        """Copy the vendor's video into ``videos/<application>/<sha256(webhook id)[:32]>.<ext>``.

        A refusal (scheme, address, HTTP 4xx, type, size, unknown application) is recorded in
        quarantine and the message is done; a transient failure (network, timeout, 5xx) raises
        ``downloads.FetchFailed`` so the queue retries it."""
        video_id = vendor_video_id(msg.webhook_id)
        if self.repo.applications.get(msg.application_id) is None:
            return self._quarantine_url(msg, video_id, f"application {msg.application_id} does not exist")
        if self.store.get(msg.application_id, video_id) is not None:
            return "exists"
        settings = get_settings()
        for known in VIDEO_TYPES:
            if objects.head_object(settings.bucket_name, f"videos/{msg.application_id}/{video_id}.{known}"):
                return "exists"  # copied before; its S3 event links it
        try:
            with downloads.open_url(
                msg.video_url,
                timeout=FETCH_TIMEOUT_SECONDS,
                deadline_seconds=FETCH_DEADLINE_SECONDS,
                max_bytes=MAX_VIDEO_BYTES,
                allow_private=settings.video_fetch_allow_private,
            ) as download:
                ext = EXTENSIONS.get(download.content_type)
                if ext is None:
                    raise FetchRefused(
                        f"content type {download.content_type or 'none'!r} is not video/mp4 or video/webm"
                    )
                if download.length is not None and download.length > MAX_VIDEO_BYTES:
                    raise FetchRefused(f"the file is larger than {MAX_VIDEO_BYTES} bytes ({download.length})")
                key = f"videos/{msg.application_id}/{video_id}.{ext}"
                metadata = {SOURCE_METADATA: "vendor", WEBHOOK_METADATA: _ascii(msg.webhook_id)}
                objects.upload_stream(download, key, download.content_type, metadata)
        except FetchRefused as exc:
            return self._quarantine_url(msg, video_id, str(exc))
        return "copied"

    def _quarantine_url(self, msg: VideoCopy, video_id: str, reason: str) -> CopyOutcome:
        self.store.quarantine(
            QuarantinedVideo(
                id=video_id,
                at=iso(utcnow()),
                reason=reason,
                source="vendor",
                application_id=msg.application_id,
                video_url=downloads.redact(msg.video_url),
                webhook_id=msg.webhook_id,
            )
        )
        return "quarantined"

    # -- reading -----------------------------------------------------------------------------
    def list_videos(self, app: Application, limit: int, token: str | None) -> tuple[list[Video], str | None]:
        return self.store.list_videos(app.id, limit, token)

    def require(self, app: Application, video_id: str) -> Video:
        video = self.store.get(app.id, video_id) if VIDEO_ID_RE.match(video_id) else None
        if video is None:
            raise NotFound(f"video {video_id} of application {app.id} does not exist")
        return video

    def download(self, app: Application, video_id: str) -> tuple[str, int]:
        """A presigned GET of the video (the edge audits the link before it leaves: no record, no URL)."""
        video = self.require(app, video_id)
        return objects.presign_download(video.key)
