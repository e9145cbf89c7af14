"""Lazily created, cached boto3 clients.

Nothing is created at import time, so tests (and the local stack) can set the environment first.
``AWS_ENDPOINT_URL`` (honoured natively by botocore) points every client at the local stack.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import boto3
from botocore.config import Config

from shared.settings import get_settings

_RETRIES = Config(retries={"max_attempts": 4, "mode": "standard"}, connect_timeout=3, read_timeout=10)
_S3_CONFIG = _RETRIES.merge(Config(signature_version="s3v4", s3={"addressing_style": "path"}))


@cache
def client(service: str) -> Any:
    region = get_settings().region
    config = _S3_CONFIG if service == "s3" else _RETRIES
    return boto3.session.Session().client(service, region_name=region, config=config)


@cache
def table(name: str) -> Any:
    region = get_settings().region
    return boto3.session.Session().resource("dynamodb", region_name=region, config=_RETRIES).Table(name)


def reset_clients() -> None:
    """Drop cached clients (tests switch between moto backends)."""
    client.cache_clear()
    table.cache_clear()
