from __future__ import annotations

import pytest

from shared.errors import ValidationFailed
from shared.security.tokens import Principal, principal_from_context, principal_to_context
from shared.store.items import decode_token, deserialize, encode_token, serialize


def test_principal_round_trips_through_authorizer_context() -> None:
    p = Principal(sub="1", username="m", roles=frozenset({"manager", "hr"}), department="零售金融部")
    context = principal_to_context(p)
    assert all(isinstance(v, str) for v in context.values())
    assert principal_from_context(context) == p


def test_items_keep_numbers_exact() -> None:
    item = {"a": 0.3, "b": 5, "c": {"d": [1.5, "x"]}, "none": None}
    assert deserialize(serialize(item)) == {"a": 0.3, "b": 5, "c": {"d": [1.5, "x"]}}


def test_page_tokens_round_trip_and_reject_forgeries() -> None:
    key = serialize({"pk": "A", "sk": "B"})
    assert decode_token(encode_token(key), {"pk", "sk"}) == key
    assert encode_token(None) is None
    for bad in ("!!!", "e30", encode_token(serialize({"pk": "A", "other": "x"}))):
        with pytest.raises(ValidationFailed):
            decode_token(bad, {"pk", "sk"})


def test_a_transaction_cancelled_by_a_concurrent_one_is_a_503_not_a_500() -> None:
    from botocore.exceptions import ClientError

    from functions.http import status_of
    from shared.store.failures import unavailable

    conflict = ClientError(
        {
            "Error": {"Code": "TransactionCanceledException", "Message": "cancelled"},
            "CancellationReasons": [{"Code": "None"}, {"Code": "TransactionConflict"}],
        },
        "TransactWriteItems",
    )
    mapped = unavailable(conflict)
    assert mapped is not None and status_of(mapped) == 503 and mapped.retry_after > 0
    failed_check = ClientError(
        {
            "Error": {"Code": "TransactionCanceledException"},
            "CancellationReasons": [{"Code": "ConditionalCheckFailed"}],
        },
        "TransactWriteItems",
    )
    assert unavailable(failed_check) is None


def test_score_counter_shards_spread_applications() -> None:
    from shared.store.requisitions import SCORE_COUNTER_SHARDS, score_counter_key

    shards = {score_counter_key("r", f"{i:032x}")["sk"] for i in range(500)}
    assert len(shards) == SCORE_COUNTER_SHARDS
