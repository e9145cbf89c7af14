"""S3: presigned uploads (SigV4, SSE-KMS required) and downloads, reading, streaming, moving, tagging
and deleting objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

from boto3.s3.transfer import TransferConfig
from botocore.exceptions import ClientError

from shared.models.common import iso
from shared.settings import get_settings
from shared.store import aws

MAX_PRESIGN_SECONDS = 300
DELETE_BATCH = 1000  # DeleteObjects takes at most 1000 keys
# Streaming a download of unknown length: parts of 16 MiB, at most 4 in flight (bounded memory).
_STREAM_TRANSFER = TransferConfig(multipart_chunksize=16 * 1_048_576, max_concurrency=4)


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
    expires = min(settings.presign_expiry_seconds, MAX_PRESIGN_SECONDS)
    fields, conditions = upload_conditions(content_type, limit, settings.kms_key_id)
    out = aws.client("s3").generate_presigned_post(
        Bucket=settings.bucket_name, Key=key, Fields=fields, Conditions=conditions, ExpiresIn=expires
    )
    return PresignedPost(out["url"], out["fields"], conditions, expires, limit)


def upload_origin() -> str:
    """The origin a browser sends presigned uploads to (the object store's endpoint, path-style), so
    the console's Content-Security-Policy can allow exactly it."""
    endpoint = urlsplit(aws.client("s3").meta.endpoint_url)
    return f"{endpoint.scheme}://{endpoint.netloc}"


def read_object(bucket: str, key: str, max_bytes: int) -> bytes:
    obj = aws.client("s3").get_object(Bucket=bucket, Key=key)
    if obj["ContentLength"] > max_bytes:
        raise ValueError(f"object is larger than {max_bytes} bytes")
    body: bytes = obj["Body"].read()
    return body


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    content_type: str
    last_modified: str
    etag: str
    version_id: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


def _kms() -> dict[str, str]:
    return {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": get_settings().kms_key_id}


def head_object(bucket: str, key: str) -> ObjectInfo | None:
    """The object's size, type, time and metadata; None if there is no such object."""
    try:
        out = aws.client("s3").head_object(Bucket=bucket, Key=key)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
            return None
        raise
    version = out.get("VersionId")
    return ObjectInfo(
        key=key,
        size=int(out["ContentLength"]),
        content_type=str(out.get("ContentType") or ""),
        last_modified=iso(out["LastModified"]),
        etag=str(out.get("ETag") or "").strip('"'),
        version_id=version if version and version != "null" else None,
        metadata=dict(out.get("Metadata") or {}),
    )


def move_object(bucket: str, source: ObjectInfo, target_key: str) -> None:
    """Copy ``source`` (the very version that was inspected) to ``target_key``, encrypted with our key,
    then delete that version. With versioning on, deleting by version id leaves no copy behind."""
    s3 = aws.client("s3")
    copy_source: dict[str, str] = {"Bucket": bucket, "Key": source.key}
    if source.version_id:
        copy_source["VersionId"] = source.version_id
    s3.copy(copy_source, bucket, target_key, ExtraArgs=_kms())
    if source.version_id:
        s3.delete_object(Bucket=bucket, Key=source.key, VersionId=source.version_id)
    else:
        s3.delete_object(Bucket=bucket, Key=source.key)


def upload_stream(stream: Readable, key: str, content_type: str, metadata: dict[str, str]) -> None:
    """Stream ``stream`` into the bucket (multipart when large), SSE-KMS with our key."""
    settings = get_settings()
    aws.client("s3").upload_fileobj(
        stream,
        settings.bucket_name,
        key,
        ExtraArgs={"ContentType": content_type, "Metadata": metadata, **_kms()},
        Config=_STREAM_TRANSFER,
    )


def presign_download(key: str) -> tuple[str, int]:
    """A presigned GET (SigV4: the S3 client is configured with ``s3v4``) and its lifetime in seconds."""
    settings = get_settings()
    expires = min(settings.presign_expiry_seconds, MAX_PRESIGN_SECONDS)
    url = aws.client("s3").generate_presigned_url(
        "get_object", Params={"Bucket": settings.bucket_name, "Key": key}, ExpiresIn=expires
    )
    return str(url), expires


def put_document(key: str, body: bytes, content_type: str = "application/json") -> None:
    """Store a document the service produced (a shortlist proposal, later offers) in our bucket."""
    aws.client("s3").put_object(
        Bucket=get_settings().bucket_name, Key=key, Body=body, ContentType=content_type, **_kms()
    )


def get_document(key: str, max_bytes: int = 50 * 1_048_576) -> bytes | None:
    try:
        return read_object(get_settings().bucket_name, key, max_bytes)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
            return None
        raise


def _versions(prefix: str) -> Any:
    return (
        aws.client("s3")
        .get_paginator("list_object_versions")
        .paginate(Bucket=get_settings().bucket_name, Prefix=prefix)
    )


def tag_current_versions(prefix: str, tag: dict[str, str]) -> int:
    """Tag the current version of every object under ``prefix`` (for a lifecycle rule); the number
    tagged. Idempotent: tagging again is a no-op."""
    s3 = aws.client("s3")
    bucket = get_settings().bucket_name
    tagged = 0
    for page in _versions(prefix):
        for version in page.get("Versions", []):
            if not version.get("IsLatest"):
                continue
            s3.put_object_tagging(
                Bucket=bucket, Key=version["Key"], VersionId=version["VersionId"], Tagging={"TagSet": [tag]}
            )
            tagged += 1
    return tagged


def delete_all_versions(prefixes: tuple[str, ...]) -> int:
    """Delete every version (and delete marker) of every object under the prefixes: with versioning
    on, deleting only the current version would leave the file recoverable. The number of versions."""
    s3 = aws.client("s3")
    bucket = get_settings().bucket_name
    deleted = 0
    for prefix in prefixes:
        for page in _versions(prefix):
            keys = [
                {"Key": v["Key"], "VersionId": v["VersionId"]}
                for v in [*page.get("Versions", []), *page.get("DeleteMarkers", [])]
            ]
            for start in range(0, len(keys), DELETE_BATCH):
                s3.delete_objects(Bucket=bucket, Delete={"Objects": keys[start : start + DELETE_BATCH], "Quiet": True})
            deleted += len(page.get("Versions", []))
    return deleted
