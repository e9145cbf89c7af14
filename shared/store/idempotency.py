"""The persistence of ``Idempotency-Key`` records: powertools' DynamoDB layer on the idempotency table.

Built on first use (no client at import time) and cached; ``functions/idempotency.py`` keys and
validates the records.
"""

from __future__ import annotations

from functools import cache

from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

from shared.settings import get_settings
from shared.store import aws


@cache
def persistence_layer() -> DynamoDBPersistenceLayer:
    return DynamoDBPersistenceLayer(
        table_name=get_settings().idempotency_table_name, boto3_client=aws.client("dynamodb")
    )
