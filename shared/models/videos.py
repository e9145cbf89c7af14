"""Interview videos: the upload request, the stored link to an S3 object, quarantine records, views."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints

from shared.models.common import Model, PageQuery, Request, Response
from shared.models.imports import UploadForm
from shared.security.audited import audited

VideoFileName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=5, max_length=200, pattern=r"(?i)^[^/\\]+\.(mp4|webm)$"),
]
VideoSource = Literal["upload", "vendor"]


class VideoUpload(Request):
    filename: VideoFileName = Field(description="The video's file name; must end in .mp4 or .webm")


class VideosQuery(PageQuery):
    pass


class Video(Model):
    """A video linked to an application (item ``APP#<application>`` / ``VIDEO#<video>``)."""

    model_config = ConfigDict(extra="ignore")

    video_id: str
    application_id: str
    key: str
    size: int
    content_type: str
    source: VideoSource
    uploaded_at: str
    linked_at: str
    webhook_id: str | None = None


class QuarantinedVideo(Model):
    """Why a video was not linked (item ``QUARANTINE#videos`` / ``<at>#<id>``)."""

    model_config = ConfigDict(extra="ignore")

    id: str
    at: str
    reason: str
    source: VideoSource
    key: str | None = None
    quarantine_key: str | None = None
    size: int | None = None
    application_id: str | None = None
    video_url: str | None = Field(default=None, description="without its query string (it may hold a credential)")
    webhook_id: str | None = None


class VideoView(Response):
    video_id: str
    application_id: str
    size: int
    content_type: str
    source: VideoSource
    uploaded_at: str


class VideoUploadView(Response):
    video_id: str
    application_id: str
    upload: UploadForm


class VideoLink(Response):
    """A presigned GET of the video (SigV4), valid for ``expires_in`` seconds."""

    url: str = Field(json_schema_extra=audited("video.read"))
    expires_in: int
