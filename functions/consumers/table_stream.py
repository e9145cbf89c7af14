"""The talent table's stream → ``project_results``: a stored AI interview result reaches its
application (latest result, shortlist index, stage).

Only history entries written for the first time reach the function: the event source mapping's
filter (``STREAM_FILTERS``, the intake's ``NEW_RESULTS``) in AWS, the same filter in the local pump
and the tests' projector.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice.app import Blueprint, DynamoDBEvent

from functions.batch import stream_batch
from functions.observability import logger
from shared.services.intake import NEW_RESULTS, Intake

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

bp = Blueprint(__name__)

# Chalice needs an ARN at import time; the deployment package points the event source at the table's
# ``StreamArn`` (infra/package.py) and the local pump reads the table's stream (infra/local/pump.py).
TABLE_STREAM = "arn:aws:dynamodb:::table/TalentTable/stream/deployed"
STREAM_FILTERS: dict[str, dict[str, Any]] = {"project_results": NEW_RESULTS}  # by function name


@bp.on_dynamodb_record(stream_arn=TABLE_STREAM, batch_size=100, name="project_results")
def project_results(event: DynamoDBEvent) -> dict[str, Any]:
    """Apply new history entries to their applications; a failing record is retried by the stream
    (partial batch failures), and after the retries it goes to ``ResultProjectionDLQ``."""
    intake = Intake()

    def handle(record: DynamoDBRecord) -> None:
        projection = intake.apply(record.raw_event)
        if projection:  # one line per result, with the delivery's webhook-id as correlation id
            logger.info("interview result applied", extra={"outcome": projection})

    return stream_batch(event, handle)
