"""Retention of interview videos by S3 lifecycle (infra/template.json ``DocumentBucket``).

When an application ends unsuccessfully (``rejected`` or ``withdrawn``) every current version under
``videos/<application>/`` is tagged ``retention=unsuccessful``; the bucket's lifecycle rule
``unsuccessful-applicant-videos`` expires tagged objects after ``UnsuccessfulVideoRetentionDays``
and their noncurrent versions a day later. Import files (``imports/``) expire by prefix.
Videos of applicants still in the process or hired carry no tag and are kept.

Items of the talent table expire by DynamoDB TTL on ``expires_at`` (epoch seconds), set per data
kind (``Kind``) when the kind's retention starts, for the days configured in the template
parameters (settings ``*_retention_days``). TTL deletes lazily (up to days later), so the
repository's reads treat an item past its ``expires_at`` as absent (``is_expired``):

* ``unsuccessful_applicant`` — the application and every item of its partition, from the
  decision that ended it (rejected / withdrawn);
* ``delivery_record`` — webhook delivery records (vendor de-duplication), from receipt;
* ``parked_result`` — AI results for an application that does not exist (yet), from receipt;
* ``audit`` — audit records, from the event; kept longer than the data they describe.

A changed retention applies to items whose retention starts after the change.
"""

from __future__ import annotations

import time
from enum import StrEnum
from typing import Any

from aws_lambda_powertools import Logger
from botocore.exceptions import ClientError

from shared.domain.stages import Stage
from shared.settings import get_settings
from shared.store import aws
from shared.store.items import serialize

logger = Logger(child=True)

RETENTION_TAG = {"Key": "retention", "Value": "unsuccessful"}
UNSUCCESSFUL = frozenset({Stage.rejected, Stage.withdrawn})
DAY = 86_400
TTL_ATTRIBUTE = "expires_at"  # the talent table's TimeToLiveSpecification (infra/template.json)


class Kind(StrEnum):
    unsuccessful_applicant = "unsuccessful_applicant"
    delivery_record = "delivery_record"
    parked_result = "parked_result"
    audit = "audit"


def retention_days(kind: Kind) -> int:
    settings = get_settings()
    return {
        Kind.unsuccessful_applicant: settings.unsuccessful_applicant_retention_days,
        Kind.delivery_record: settings.delivery_record_retention_days,
        Kind.parked_result: settings.parked_result_retention_days,
        Kind.audit: settings.audit_retention_days,
    }[kind]


def expires_at(kind: Kind, start: float | None = None) -> int:
    """When an item of ``kind`` whose retention starts at ``start`` (epoch seconds; now) expires."""
    return int(time.time() if start is None else start) + retention_days(kind) * DAY


def is_expired(item: dict[str, Any], now: float | None = None) -> bool:
    """Past its ``expires_at``: absent for every read, whether or not TTL has deleted it yet."""
    expiry = item.get(TTL_ATTRIBUTE)
    return isinstance(expiry, int | float) and expiry <= (time.time() if now is None else now)


def stamp_partition(application_id: str, expiry: int) -> int:
    """Set ``expires_at`` on every item of the application's partition that has none or a later one
    (the META item carries it already); the number of items stamped. Idempotent."""
    ddb = aws.client("dynamodb")
    table = get_settings().table_name
    stamped = 0
    paginator = ddb.get_paginator("query")
    pages = paginator.paginate(
        TableName=table,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues=serialize({":pk": f"APP#{application_id}"}),
        ProjectionExpression="pk, sk, expires_at",
    )
    for page in pages:
        for item in page.get("Items", []):
            try:
                ddb.update_item(
                    TableName=table,
                    Key={"pk": item["pk"], "sk": item["sk"]},
                    UpdateExpression="SET expires_at = :e",
                    ConditionExpression=(
                        "attribute_exists(pk) AND (attribute_not_exists(expires_at) OR expires_at > :e)"
                    ),
                    ExpressionAttributeValues=serialize({":e": expiry}),
                )
                stamped += 1
            except ClientError as exc:
                if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                    raise
    return stamped


def tag_unsuccessful_videos(application_id: str) -> int:
    """Tag the application's videos for expiry; the number tagged (idempotent: tagging again is a no-op)."""
    s3 = aws.client("s3")
    bucket = get_settings().bucket_name
    tagged = 0
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=f"videos/{application_id}/"):
        for version in page.get("Versions", []):
            if not version.get("IsLatest"):
                continue
            s3.put_object_tagging(
                Bucket=bucket,
                Key=version["Key"],
                VersionId=version["VersionId"],
                Tagging={"TagSet": [RETENTION_TAG]},
            )
            tagged += 1
    return tagged


def after_stage_change(application_id: str, stage: Stage, expiry: int | None = None) -> None:
    """Called after a committed move to ``stage``: tag the videos of an unsuccessful application and
    stamp its partition's items with the expiry its META item got in the move (``expiry``; computed
    now if not given). A failure is logged, never raised (the move is done); erasure or a repeated
    move tags them again."""
    if stage not in UNSUCCESSFUL:
        return
    try:
        tag_unsuccessful_videos(application_id)
    except Exception as exc:  # retention tagging must not undo a committed decision
        logger.warning(
            "video retention tagging failed", extra={"application_id": application_id, "error": type(exc).__name__}
        )
    try:
        stamp_partition(application_id, expiry or expires_at(Kind.unsuccessful_applicant))
    except Exception as exc:  # likewise: the META item already carries its expiry
        logger.warning(
            "item retention stamping failed", extra={"application_id": application_id, "error": type(exc).__name__}
        )
