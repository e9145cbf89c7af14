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

from typing import Any

from botocore.exceptions import ClientError

from shared.errors import ServiceUnavailable, ValidationFailed
from shared.models.videos import QuarantinedVideo, Video
from shared.settings import get_settings
from shared.store import aws
from shared.store.items import decode_token, deserialize, encode_token, serialize, value
from shared.store.repository import THROTTLING, AuditEntry

VIDEO_PREFIX = "VIDEO#"
QUARANTINE_PK = "QUARANTINE#videos"
KEYS = {"pk", "sk"}


def _raise(exc: ClientError) -> ServiceUnavailable | ClientError:
    if exc.response.get("Error", {}).get("Code") in THROTTLING:
        return ServiceUnavailable("the archive is busy; retry shortly", retry_after=2)
    return exc


class VideoStore:
    def __init__(self, table_name: str | None = None) -> None:
        self.table_name = table_name or get_settings().table_name

    @property
    def _ddb(self) -> Any:
        return aws.client("dynamodb")

    def link(self, video: Video, audit: AuditEntry) -> bool:
        """Store the link and its audit record in one transaction; False if the video was already linked
        (a redelivered S3 event), in which case nothing is written."""
        item = {
            "pk": f"APP#{video.application_id}",
            "sk": f"{VIDEO_PREFIX}{video.video_id}",
            "type": "video",
            **video.model_dump(mode="json"),
        }
        try:
            self._ddb.transact_write_items(
                TransactItems=[
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
        except ClientError as exc:
            reasons = exc.response.get("CancellationReasons") or []
            if reasons and reasons[0].get("Code") == "ConditionalCheckFailed":
                return False
            raise _raise(exc) from exc
        return True

    def get(self, application_id: str, video_id: str) -> Video | None:
        try:
            out = self._ddb.get_item(
                TableName=self.table_name,
                Key=serialize({"pk": f"APP#{application_id}", "sk": f"{VIDEO_PREFIX}{video_id}"}),
            )
        except ClientError as exc:
            raise _raise(exc) from exc
        item = out.get("Item")
        return Video.model_validate(deserialize(item)) if item else None

    def list_videos(self, application_id: str, limit: int, token: str | None) -> tuple[list[Video], str | None]:
        """The application's videos in video-id order, one page at a time."""
        items, next_token = self._query(f"APP#{application_id}", VIDEO_PREFIX, limit, token, descending=False)
        return [Video.model_validate(i) for i in items], next_token

    def quarantine(self, record: QuarantinedVideo) -> None:
        """Record a quarantined video. The sort key is ``<at>#<id>``: callers that derive both from the
        object make a repeated record overwrite the first rather than add a second."""
        item = {"pk": QUARANTINE_PK, "sk": f"{record.at}#{record.id}", "type": "video_quarantine"}
        item.update(record.model_dump(mode="json"))
        try:
            self._ddb.put_item(TableName=self.table_name, Item=serialize(item))
        except ClientError as exc:
            raise _raise(exc) from exc

    def list_quarantine(self, limit: int = 50, token: str | None = None) -> tuple[list[QuarantinedVideo], str | None]:
        """Quarantine records, newest first."""
        items, next_token = self._query(QUARANTINE_PK, None, limit, token, descending=True)
        return [QuarantinedVideo.model_validate(i) for i in items], next_token

    def _query(
        self, pk: str, sk_prefix: str | None, limit: int, token: str | None, *, descending: bool
    ) -> tuple[list[dict[str, Any]], str | None]:
        expr = "pk = :pk"
        values: dict[str, Any] = {":pk": value(pk)}
        if sk_prefix:
            expr += " AND begins_with(sk, :sk)"
            values[":sk"] = value(sk_prefix)
        kwargs: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": expr,
            "ExpressionAttributeValues": values,
            "Limit": limit,
            "ScanIndexForward": not descending,
        }
        start = decode_token(token, KEYS)
        if start:
            if deserialize(start).get("pk") != pk:
                raise ValidationFailed(
                    "next_token is not valid", [{"field": "next_token", "message": "belongs to another listing"}]
                )
            kwargs["ExclusiveStartKey"] = start
        try:
            out = self._ddb.query(**kwargs)
        except ClientError as exc:
            raise _raise(exc) from exc
        return [deserialize(i) for i in out.get("Items", [])], encode_token(out.get("LastEvaluatedKey"))
