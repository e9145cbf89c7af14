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

from botocore.exceptions import ClientError

from shared.models.videos import QuarantinedVideo, Video
from shared.store.failures import unavailable
from shared.store.items import serialize
from shared.store.repository import AuditEntry, PartitionStore

VIDEO_PREFIX = "VIDEO#"
QUARANTINE_PK = "QUARANTINE#videos"
KEYS = {"pk", "sk"}


class VideoStore(PartitionStore):
    def link(self, video: Video, audit: AuditEntry) -> bool:
        """Store the link and its audit record in one transaction; False if the video was already linked
        (a redelivered S3 event), in which case nothing is written."""
        item = {
            "pk": f"APP#{video.application_id}",
            "sk": f"{VIDEO_PREFIX}{video.video_id}",
            "type": "video",
            **video.model_dump(mode="json"),
        }
        return self.repo.put_new(
            [
                {
                    "Put": {
                        "TableName": self.table_name,
                        "Item": serialize(item),
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                },
                {"Put": {"TableName": self.table_name, "Item": serialize(audit.item())}},
            ]
        )

    def get(self, application_id: str, video_id: str) -> Video | None:
        item = self.repo.get_item(f"APP#{application_id}", f"{VIDEO_PREFIX}{video_id}")
        return Video.model_validate(item) if item else None

    def list_videos(self, application_id: str, limit: int, token: str | None) -> tuple[list[Video], str | None]:
        """The application's videos in video-id order, one page at a time."""
        page = self.repo.query(f"APP#{application_id}", sk_prefix=VIDEO_PREFIX, limit=limit, token=token)
        return [Video.model_validate(i) for i in page.items], page.next_token

    def quarantine(self, record: QuarantinedVideo) -> None:
        """Record a quarantined video. The sort key is ``<at>#<id>``: callers that derive both from the
        object make a repeated record overwrite the first rather than add a second."""
        item = {"pk": QUARANTINE_PK, "sk": f"{record.at}#{record.id}", "type": "video_quarantine"}
        item.update(record.model_dump(mode="json"))
        try:
            self._ddb.put_item(TableName=self.table_name, Item=serialize(item))
        except ClientError as exc:
            raise (unavailable(exc) or exc) from exc

    def list_quarantine(self, limit: int = 50, token: str | None = None) -> tuple[list[QuarantinedVideo], str | None]:
        """Quarantine records, newest first."""
        page = self.repo.query(QUARANTINE_PK, limit=limit, token=token, descending=True)
        return [QuarantinedVideo.model_validate(i) for i in page.items], page.next_token
