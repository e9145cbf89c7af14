"""Retention of interview videos by S3 lifecycle (infra/template.json ``DocumentBucket``).

When an application ends unsuccessfully (``rejected`` or ``withdrawn``) every current version under
``videos/<application>/`` is tagged ``retention=unsuccessful``; the bucket's lifecycle rule
``unsuccessful-applicant-videos`` expires tagged objects after ``UnsuccessfulVideoRetentionDays``
and their noncurrent versions a day later. Import files (``imports/``) expire by prefix.
Videos of applicants still in the process or hired carry no tag and are kept.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger

from shared.domain.stages import Stage
from shared.settings import get_settings
from shared.store import aws

logger = Logger(child=True)

RETENTION_TAG = {"Key": "retention", "Value": "unsuccessful"}
UNSUCCESSFUL = frozenset({Stage.rejected, Stage.withdrawn})


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


def after_stage_change(application_id: str, stage: Stage) -> None:
    """Called after a committed move to ``stage``: tag the videos of an unsuccessful application. A
    failure is logged, never raised (the move is done); erasure or a repeated move tags them again."""
    if stage not in UNSUCCESSFUL:
        return
    try:
        tag_unsuccessful_videos(application_id)
    except Exception as exc:  # retention tagging must not undo a committed decision
        logger.warning(
            "video retention tagging failed", extra={"application_id": application_id, "error": type(exc).__name__}
        )
