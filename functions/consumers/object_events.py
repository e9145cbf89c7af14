"""The bucket's object events (S3 → EventBridge; ``chalice package`` cannot emit S3 notifications)
→ ``object_created``: each key prefix to its handler (``OBJECTS``).

An uploaded bulk-import file or resume is queued for the intake work (``import_queue``); a video is
linked to its application (or quarantined) at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalice.app import Blueprint, CloudWatchEvent

from functions.observability import logger
from shared.services import wired
from shared.services.imports import Imports
from shared.services.videos import Videos

bp = Blueprint(__name__)


def video_object(bucket: str, key: str, obj: dict[str, Any]) -> dict[str, Any]:
    outcome = Videos.default().object_created(bucket, key)  # linked (or quarantined) at once: nothing to queue
    logger.info("video object", extra={"bucket": bucket, "outcome": outcome})
    return {"queued": False, "video": outcome}


def resume_object(bucket: str, key: str, obj: dict[str, Any]) -> dict[str, Any]:
    queued = wired.resumes().object_created(bucket, key)
    logger.info("object created", extra={"bucket": bucket, "queued": queued})
    return {"queued": queued}


def import_object(bucket: str, key: str, obj: dict[str, Any]) -> dict[str, Any]:
    queued = Imports.default().object_created(bucket, key, obj.get("etag") or obj.get("eTag") or "")
    logger.info("object created", extra={"bucket": bucket, "queued": queued})
    return {"queued": queued}


OBJECTS: dict[str, Callable[[str, str, dict[str, Any]], dict[str, Any]]] = {
    "imports/": import_object,
    "resumes/": resume_object,
    "videos/": video_object,
}
UPLOAD_EVENTS = {
    "source": ["aws.s3"],
    "detail-type": ["Object Created"],
    "detail": {"object": {"key": [{"prefix": prefix} for prefix in OBJECTS]}},
}


@bp.on_cw_event(UPLOAD_EVENTS, name="object_created")
def object_created(event: CloudWatchEvent) -> dict[str, Any]:
    detail = event.detail or {}
    bucket = (detail.get("bucket") or {}).get("name", "")
    obj = detail.get("object") or {}
    key = obj.get("key", "")
    handler = next((h for prefix, h in OBJECTS.items() if key.startswith(prefix)), import_object)
    return handler(bucket, key, obj)
