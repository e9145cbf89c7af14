"""S3: presigned uploads (SigV4, SSE-KMS required) and reading uploaded objects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared.settings import get_settings
from shared.store import aws


@dataclass(frozen=True)
class PresignedPost:
    url: str
    fields: dict[str, str]
    conditions: list[Any]
    expires_in: int
    max_bytes: int


def upload_conditions(content_type: str, max_bytes: int, kms_key_id: str) -> tuple[dict[str, str], list[Any]]:
    """The form fields and policy conditions of an upload: exact content type, a size range and
    SSE-KMS with our key. Kept separate so tests can check the policy moto does not enforce."""
    fields = {
        "Content-Type": content_type,
        "x-amz-server-side-encryption": "aws:kms",
        "x-amz-server-side-encryption-aws-kms-key-id": kms_key_id,
    }
    conditions: list[Any] = [
        {"Content-Type": content_type},
        ["content-length-range", 1, max_bytes],
        {"x-amz-server-side-encryption": "aws:kms"},
        {"x-amz-server-side-encryption-aws-kms-key-id": kms_key_id},
    ]
    return fields, conditions


def presign_upload(key: str, content_type: str, max_bytes: int | None = None) -> PresignedPost:
    settings = get_settings()
    limit = max_bytes or settings.upload_max_bytes
    fields, conditions = upload_conditions(content_type, limit, settings.kms_key_id)
    out = aws.client("s3").generate_presigned_post(
        Bucket=settings.bucket_name,
        Key=key,
        Fields=fields,
        Conditions=conditions,
        ExpiresIn=settings.presign_expiry_seconds,
    )
    return PresignedPost(out["url"], out["fields"], conditions, settings.presign_expiry_seconds, limit)


def read_object(bucket: str, key: str, max_bytes: int) -> bytes:
    obj = aws.client("s3").get_object(Bucket=bucket, Key=key)
    if obj["ContentLength"] > max_bytes:
        raise ValueError(f"object is larger than {max_bytes} bytes")
    body: bytes = obj["Body"].read()
    return body
