"""The store's one mapping of refused AWS calls: failed conditions (with what each item returned),
a busy archive, and the transient faults the HTTP edge answers 503 for."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError, EndpointConnectionError

from shared.store.failures import ConditionFailed, condition_failed, transient_fault, unavailable
from shared.store.items import serialize


def refused(code: str, status: int = 400, **response: Any) -> ClientError:
    error = {"Error": {"Code": code, "Message": "refused"}, "ResponseMetadata": {"HTTPStatusCode": status}}
    return ClientError(error | response, "Operation")


def test_a_single_item_condition_failure_names_item_zero_with_what_it_returned() -> None:
    # Given a conditional PutItem refused with the stored item (ReturnValuesOnConditionCheckFailure)
    exc = refused("ConditionalCheckFailedException", Item=serialize({"pk": "A", "source": "import:1"}))
    # When it is mapped
    failed = condition_failed(exc)
    # Then it is the first item's condition, with the stored item as plain values
    assert isinstance(failed, ConditionFailed) and failed.first
    assert failed.old() == {"pk": "A", "source": "import:1"}


def test_a_cancelled_transaction_names_only_the_items_whose_condition_failed() -> None:
    # Given a transaction whose third item's condition failed and returned its stored item
    reasons = [{"Code": "None"}, {"Code": "None"}, {"Code": "ConditionalCheckFailed", "Item": serialize({"v": 3})}]
    exc = refused("TransactionCanceledException", CancellationReasons=reasons)
    # When it is mapped
    failed = condition_failed(exc)
    # Then item 2 alone failed, not the first, and the others return nothing
    assert failed is not None and set(failed.failed) == {2} and not failed.first
    assert failed.old(2) == {"v": 3} and failed.old(0) == {}


def test_throttling_and_a_concurrent_transaction_are_a_busy_archive_not_a_condition() -> None:
    # Given a throttled call and a transaction cancelled by a concurrent one
    throttled = refused("ProvisionedThroughputExceededException")
    busy = refused("TransactionCanceledException", CancellationReasons=[{"Code": "TransactionConflict"}])
    # Then neither is a failed condition, both are 503 with Retry-After
    for exc in (throttled, busy):
        assert condition_failed(exc) is None
        mapped = unavailable(exc)
        assert mapped is not None and mapped.code == "service_unavailable" and mapped.retry_after > 0
    # And a refused validation is neither
    assert unavailable(refused("ValidationException")) is None
    assert condition_failed(refused("ValidationException")) is None


def test_a_transient_fault_is_found_anywhere_in_the_chain() -> None:
    # Given a 5xx wrapped in a store's own exception, and a lost connection
    try:
        try:
            raise refused("InternalError", status=500)
        except ClientError as inner:
            raise RuntimeError("the store gave up") from inner
    except RuntimeError as outer:
        wrapped = outer
    unreachable = EndpointConnectionError(endpoint_url="https://dynamodb.local")
    # Then both are transient, a validation error is not
    assert transient_fault(wrapped) is not None
    assert transient_fault(unreachable) is not None
    assert transient_fault(refused("ValidationException")) is None
