"""Interview video items in the talent table.

=====================  ======================  ====================
item                   pk                      sk
=====================  ======================  ====================
video linked to app    APP#<application>       VIDEO#<video>
quarantined video      QUARANTINE#videos       <at>#<id>
=====================  ======================  ====================

A video lives in its application's partition, so the archive stays one Query. Quarantine records
share one partition: they are rare (a bad key, an unknown application, a refused vendor URL).
"""

from __future__ import annotations

from shared.models.videos import QuarantinedVideo, Video
from shared.store.audit import AuditEntry
from shared.store.table import Store

VIDEO_PREFIX = "VIDEO#"
QUARANTINE_PK = "QUARANTINE#videos"


class VideoStore(Store):
    def link(self, video: Video, audit: AuditEntry) -> bool:
        """Store the link and its audit record in one transaction; False if the video was already linked
        (a redelivered S3 event), in which case nothing is written."""
        item = {
            "pk": f"APP#{video.application_id}",
            "sk": f"{VIDEO_PREFIX}{video.video_id}",
            "type": "video",
            **video.model_dump(mode="json"),
        }
        return self.table.put_new([self.table.new_op(item), self.table.audit_op(audit)])

    def get(self, application_id: str, video_id: str) -> Video | None:
        return self.table.get_model(Video, f"APP#{application_id}", f"{VIDEO_PREFIX}{video_id}")

    def list_videos(self, application_id: str, limit: int, token: str | None) -> tuple[list[Video], str | None]:
        """The application's videos in video-id order, one page at a time."""
        page = self.table.query(f"APP#{application_id}", sk_prefix=VIDEO_PREFIX, limit=limit, token=token)
        return [Video.model_validate(i) for i in page.items], page.next_token

    def quarantine(self, record: QuarantinedVideo) -> None:
        """Record a quarantined video. The sort key is ``<at>#<id>``: callers that derive both from the
        object make a repeated record overwrite the first rather than add a second."""
        item = {"pk": QUARANTINE_PK, "sk": f"{record.at}#{record.id}", "type": "video_quarantine"}
        self.table.put_item(item | record.model_dump(mode="json"))

    def list_quarantine(self, limit: int = 50, token: str | None = None) -> tuple[list[QuarantinedVideo], str | None]:
        """Quarantine records, newest first."""
        page = self.table.query(QUARANTINE_PK, limit=limit, token=token, descending=True)
        return [QuarantinedVideo.model_validate(i) for i in page.items], page.next_token
