"""``Idempotency-Key`` for creating POSTs, through powertools idempotency (DynamoDB persistence).

The key is scoped to the caller and the operation; the same key with a different body is a 409.
The persistence layer (``shared/store/idempotency.py``) is built on first use (no client at import
time); the key prefix is explicit, so records do not depend on module paths.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig, idempotent_function
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyValidationError,
)
from pydantic import BaseModel

from functions.http import Call, ok
from shared.errors import Conflict, ValidationFailed
from shared.store.idempotency import persistence_layer

KEY_RE = re.compile(r"^[\x21-\x7e]{1,255}$")


@lru_cache(maxsize=1)
def _config() -> IdempotencyConfig:
    return IdempotencyConfig(
        event_key_jmespath="[key, principal, operation]",
        payload_validation_jmespath="body",
        expires_after_seconds=24 * 3600,
    )


def reset() -> None:
    persistence_layer.cache_clear()
    _config.cache_clear()


def idempotent(
    call: Call[Any, Any], operation: str, body: BaseModel, create: Callable[[], dict[str, Any]]
) -> dict[str, Any]:
    """``create()``, or its stored answer when the caller repeats an ``Idempotency-Key`` with the same
    ``body`` (the request as the route will act on it)."""
    request = call.request
    key = request.headers.get("idempotency-key")
    if key is None:
        return create()
    if not KEY_RE.match(key):
        raise ValidationFailed(
            "Idempotency-Key is not valid",
            [{"field": "Idempotency-Key", "message": "1 to 255 printable ASCII characters"}],
        )

    def run(record: dict[str, Any]) -> dict[str, Any]:
        return create()

    config = _config()
    if request.lambda_context is not None:
        config.register_lambda_context(request.lambda_context)  # in-progress records expire with the invocation
    wrapped = idempotent_function(
        run,
        data_keyword_argument="record",
        persistence_store=persistence_layer(),
        config=config,
        key_prefix=f"talent.{operation}",
    )
    record = {"key": key, "principal": call.who.sub, "operation": operation, "body": body.model_dump(mode="json")}
    try:
        result: dict[str, Any] = wrapped(record=record)
    except IdempotencyValidationError as exc:
        raise Conflict("this Idempotency-Key was used with a different request body") from exc
    except IdempotencyAlreadyInProgressError as exc:
        raise Conflict("a request with this Idempotency-Key is still in progress; retry shortly") from exc
    return result


def created(
    call: Call[Any, Any], operation: str, body: BaseModel, make: Callable[[], BaseModel | dict[str, Any]]
) -> Any:
    """201 with what ``make()`` created; a repeated ``Idempotency-Key`` answers the first result again."""

    def create() -> dict[str, Any]:
        made = make()
        return made.model_dump(mode="json") if isinstance(made, BaseModel) else made

    return ok(idempotent(call, operation, body, create), status=201)
