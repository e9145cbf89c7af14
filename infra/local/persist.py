"""``--persist DIR``: keep the talent archive across restarts of the local stack.

moto's recorder replays raw requests, which does not reproduce a stack whose ids are random and
whose queues are being consumed concurrently, so this module snapshots data instead, keyed by the
template's logical ids (physical names change with every deployment):

* every ``AWS::DynamoDB::Table`` of the stack: all items;
* every ``AWS::S3::Bucket`` of the stack: all objects with content type and metadata.

Saved on a clean shutdown, restored right after the stack is deployed (before the event pump
exists, so restored objects raise no S3 events). Not kept: messages still in queues, the Cognito
pool (recreated with the same demo users, new ids, so old tokens are void). The PII hash key is
kept in ``DIR/pii-hash-key`` (see ``stack.LocalStack._pii_hash_key``), so duplicate detection on
national IDs spans restarts.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import shutil
from pathlib import Path
from typing import Any

log = logging.getLogger("infra.local.persist")

SNAPSHOT = "snapshot"
MANIFEST = "manifest.json"


def _encode(value: Any) -> Any:
    if isinstance(value, bytes | bytearray):
        return {"$b64": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, list | set | tuple):
        return [_encode(v) for v in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"$b64"}:
            return base64.b64decode(value["$b64"])
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def _resources(session: Any, stack_name: str) -> list[dict[str, Any]]:
    cfn = session.client("cloudformation")
    resources: list[dict[str, Any]] = []
    for page in cfn.get_paginator("list_stack_resources").paginate(StackName=stack_name):
        # moto lists resources it skipped (unsupported types) with empty ids
        resources.extend(r for r in page["StackResourceSummaries"] if r.get("LogicalResourceId"))
    return resources


def save(directory: Path, session: Any, stack_name: str) -> None:
    target = directory / (SNAPSHOT + ".new")
    shutil.rmtree(target, ignore_errors=True)
    (target / "s3").mkdir(parents=True)
    dynamodb, s3 = session.client("dynamodb"), session.client("s3")
    manifest: dict[str, Any] = {"tables": {}, "buckets": {}}
    for res in _resources(session, stack_name):
        logical, physical = res["LogicalResourceId"], res.get("PhysicalResourceId", "")
        if res["ResourceType"] == "AWS::DynamoDB::Table":
            items: list[Any] = []
            for page in dynamodb.get_paginator("scan").paginate(TableName=physical):
                items.extend(page.get("Items", []))
            (target / f"{logical}.json").write_text(json.dumps(_encode(items)), encoding="utf-8")
            manifest["tables"][logical] = len(items)
        elif res["ResourceType"] == "AWS::S3::Bucket":
            objects: dict[str, Any] = {}
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket=physical):
                for obj in page.get("Contents", []):
                    body = s3.get_object(Bucket=physical, Key=obj["Key"])
                    name = hashlib.sha256(f"{logical}/{obj['Key']}".encode()).hexdigest()
                    (target / "s3" / name).write_bytes(body["Body"].read())
                    objects[obj["Key"]] = {
                        "file": name,
                        "content_type": body.get("ContentType", "binary/octet-stream"),
                        "metadata": body.get("Metadata", {}),
                    }
            manifest["buckets"][logical] = objects
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    final = directory / SNAPSHOT
    shutil.rmtree(final, ignore_errors=True)
    target.replace(final)
    log.info(
        "saved %s items and %s objects to %s",
        sum(manifest["tables"].values()),
        sum(len(o) for o in manifest["buckets"].values()),
        final,
    )


def restore(directory: Path, session: Any, stack_name: str) -> bool:
    source = directory / SNAPSHOT
    if not (source / MANIFEST).is_file():
        log.info("no snapshot in %s yet: starting empty", directory)
        return False
    manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    physical = {r["LogicalResourceId"]: r.get("PhysicalResourceId", "") for r in _resources(session, stack_name)}
    dynamodb, s3 = session.client("dynamodb"), session.client("s3")
    for logical in manifest["tables"]:
        if logical not in physical:
            log.warning("table %s is no longer in the template: its snapshot is skipped", logical)
            continue
        items = _decode(json.loads((source / f"{logical}.json").read_text(encoding="utf-8")))
        for start in range(0, len(items), 25):
            pending = {physical[logical]: [{"PutRequest": {"Item": i}} for i in items[start : start + 25]]}
            while pending:
                pending = dynamodb.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
    for logical, objects in manifest["buckets"].items():
        if logical not in physical:
            log.warning("bucket %s is no longer in the template: its snapshot is skipped", logical)
            continue
        for key, meta in objects.items():
            s3.put_object(
                Bucket=physical[logical],
                Key=key,
                Body=(source / "s3" / meta["file"]).read_bytes(),
                ContentType=meta["content_type"],
                Metadata=meta["metadata"],
            )
    log.info("restored the snapshot from %s", source)
    return True
