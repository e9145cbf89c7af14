"""What an AWS failure means to the product, decided in one place.

* ``TRANSIENT_CODES`` — the one list of AWS error codes that may pass on a retry (throttling, an
  internal error); ``THROTTLING`` is its DynamoDB throttling part.
* ``unavailable`` — a DynamoDB call refused after the client's bounded retries (throttled, or a
  transaction cancelled by a concurrent one on the same item): 503 with ``Retry-After``.
* ``transient_fault`` — any AWS fault anywhere in an exception's chain that outlived the client's
  retries (a listed code, a 5xx, no connection): what the HTTP edge answers 503 for.
* ``ConditionFailed`` — a conditional write whose condition did not hold, with the indexes of the
  failed items of a transaction (0 for a single-item write) and what each returned (``ALL_OLD``).
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError
from botocore.exceptions import ConnectionError as BotoConnectionError

from shared.errors import ServiceUnavailable
from shared.store.items import deserialize

THROTTLING = frozenset({"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"})
TRANSIENT_CODES = THROTTLING | {
    "Throttling",
    "InternalServerError",
    "InternalFailure",
    "ServiceUnavailable",
    "SlowDown",
}
BUSY_REASONS = frozenset({"TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded"})
CHECK_FAILED = "ConditionalCheckFailed"


class ConditionFailed(Exception):
    """A conditional write refused: ``failed`` maps the index of each item whose condition failed to
    the stored item it returned (empty unless asked for with ``ReturnValuesOnConditionCheckFailure``)."""

    def __init__(self, failed: dict[int, dict[str, Any]]) -> None:
        super().__init__(f"the condition of item(s) {sorted(failed)} failed")
        self.failed = failed

    @property
    def first(self) -> bool:
        """The first item's condition failed (by convention the one that says "seen before")."""
        return 0 in self.failed

    def old(self, index: int = 0) -> dict[str, Any]:
        return self.failed.get(index, {})


def condition_failed(exc: ClientError) -> ConditionFailed | None:
    """The failed conditions of a refused write (a single item's or a transaction's), else None."""
    code = exc.response.get("Error", {}).get("Code")
    if code == f"{CHECK_FAILED}Exception":
        return ConditionFailed({0: deserialize(exc.response.get("Item") or {})})
    if code != "TransactionCanceledException":
        return None
    reasons = exc.response.get("CancellationReasons") or []
    failed = {i: deserialize(r.get("Item") or {}) for i, r in enumerate(reasons) if r.get("Code") == CHECK_FAILED}
    return ConditionFailed(failed) if failed else None


def unavailable(exc: ClientError) -> ServiceUnavailable | None:
    """Throttling, or a transaction cancelled by a concurrent one on the same item: 503 + Retry-After."""
    error = exc.response.get("Error", {}).get("Code")
    reasons = {r.get("Code") for r in exc.response.get("CancellationReasons") or []}
    if error in THROTTLING or (error == "TransactionCanceledException" and reasons & BUSY_REASONS):
        return ServiceUnavailable("the archive is busy; retry shortly", retry_after=2)
    return None


def transient_fault(exc: BaseException) -> ServiceUnavailable | None:
    """An AWS fault that outlived the client's bounded retries (throttling, a 5xx, no connection),
    anywhere in the exception's chain: the caller is told to retry later (503 + Retry-After)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ClientError):
            error = current.response.get("Error", {})
            status = int(current.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
            if error.get("Code") in TRANSIENT_CODES or status >= 500:
                return ServiceUnavailable("a service the product depends on is busy; retry shortly", retry_after=5)
        if isinstance(current, BotoConnectionError):
            return ServiceUnavailable("a service the product depends on is unreachable; retry shortly", retry_after=5)
        current = current.__cause__ or current.__context__
    return None
