"""Interview videos of an application: presigned upload, the list, and audited presigned reads."""

from __future__ import annotations

from typing import Any

from functions.http import Call, ok
from functions.verbs import Routes
from shared.models.common import Page
from shared.models.imports import UploadForm
from shared.models.videos import VideoLink, VideosQuery, VideoUpload, VideoUploadView, VideoView
from shared.security.policy import Action
from shared.services.access import authorized_application
from shared.services.videos import Videos

bp = Routes(__name__)
NO_STORE = {"Cache-Control": "no-store"}


@bp.post("/applications/{application_id}/videos", body=VideoUpload, response=VideoUploadView, status=201)
def upload_video(call: Call[VideoUpload, None], application_id: str) -> Any:
    """A presigned upload for an interview video (.mp4 or .webm, ≤ 500 MiB); it is linked to the
    application when S3 reports the object."""
    app = authorized_application(call.who, Action.video_upload, application_id)
    video_id, post = Videos.default().start(app, call.body.filename, call.who.username, call.source_ip)
    upload = UploadForm(url=post.url, fields=post.fields, expires_in=post.expires_in, max_bytes=post.max_bytes)
    return ok(VideoUploadView(video_id=video_id, application_id=app.id, upload=upload), status=201)


@bp.get("/applications/{application_id}/videos", query=VideosQuery, response=Page[VideoView])
def list_videos(call: Call[None, VideosQuery], application_id: str) -> Any:
    """The videos linked to the application: HR, the department's manager, assigned interviewers."""
    app = authorized_application(call.who, Action.video_read, application_id)
    query = call.query
    videos, token = Videos.default().list_videos(app, query.limit, query.next_token)
    items = [VideoView.model_validate(v.model_dump()) for v in videos]
    return ok(Page[VideoView](items=items, next_token=token))


@bp.get("/applications/{application_id}/videos/{video_id}", response=VideoLink)
def read_video(call: Call, application_id: str, video_id: str) -> Any:
    """A short-lived presigned GET (≤ 300 s) of one video.

    Every URL handed out is audited: who, when, which object, from which address."""
    app = authorized_application(call.who, Action.video_read, application_id)
    url, expires = Videos.default().download(app, video_id)
    return ok(VideoLink(url=url, expires_in=expires), headers=NO_STORE)
