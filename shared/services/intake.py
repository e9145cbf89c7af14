"""AI interview results from vendors: verify, normalise, store exactly once, park the unknown.

``receive`` is the webhook: signature on the raw bytes first (Standard Webhooks, the key tells the
vendor), then the vendor's adapter, then validation against the requisition, then one conditional
``PutItem`` of the history entry (see ``shared.store.results``). ``apply`` is the table stream's
consumer: it applies each new history entry to its application (newest wins, shortlist index,
stage, scored count). Results for applications we do not know yet are parked and attached when the
application appears (on creation, and by the scheduled reconciliation for anything that raced).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools import Logger
from pydantic import ValidationError

from shared.clock import wall as clock_wall
from shared.domain.event_filters import matches
from shared.domain.json_input import parse_json_object
from shared.domain.shortlist import weighted_score
from shared.domain.vendors import VENDOR_FORMATS, adapter_for
from shared.errors import PayloadTooLarge, ServiceUnavailable, ValidationFailed, validation_details
from shared.models.application import Application
from shared.models.common import iso, utcnow
from shared.models.imports import VideoCopy
from shared.models.interview import CanonicalResult, ScoreRecord
from shared.models.requisition import Requisition
from shared.security.vendor_keys import secrets_of
from shared.security.webhooks import reused_id, verify
from shared.settings import get_settings
from shared.store import queue
from shared.store.queue import QueueRefused
from shared.store.repository import Repository
from shared.store.requisitions import INTAKE_CACHE_SECONDS
from shared.store.results import Delivery, Outcome, Projection, ResultStore

logger = Logger(child=True)
MAX_WEBHOOK_BYTES = 1_048_576
FUTURE_TOLERANCE_SECONDS = 300
SCORE_PREFIX = "SCORE#"
# The stream records the projection applies: history entries written for the first time. It is the
# event source mapping's filter in AWS (functions/consumers/table_stream.py), the local pump's and the
# tests' too.
NEW_RESULTS: dict[str, Any] = {
    "eventName": ["INSERT"],
    "dynamodb": {"Keys": {"pk": {"S": [{"prefix": "APP#"}]}, "sk": {"S": [{"prefix": SCORE_PREFIX}]}}},
}


@dataclass(frozen=True)
class Receipt:
    outcome: Outcome
    webhook_id: str
    application_id: str | None


def normalise_timestamp(raw: str, now: float) -> str:
    """UTC with microseconds, so stored timestamps compare correctly as strings."""
    parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError("completed_at needs a time zone")
    if parsed.timestamp() > now + FUTURE_TOLERANCE_SECONDS:
        raise ValueError("completed_at is in the future")
    return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def completed_at(raw: str, now: float) -> str:
    """A vendor's ``completed_at``, normalised, or 400 naming the field."""
    try:
        return normalise_timestamp(raw, now)
    except ValueError as exc:
        raise ValidationFailed("completed_at is not valid", [{"field": "completed_at", "message": str(exc)}]) from exc


def request_video_copy(store: ResultStore, application_id: str, record: ScoreRecord) -> None:
    """Queue the copy of a vendor-hosted video into our bucket. If the queue refuses, the request is
    written down and the scheduled reconciliation sends it later: the result is stored either way."""
    if not record.video_url:
        return
    message = VideoCopy(application_id=application_id, video_url=record.video_url, webhook_id=record.webhook_id)
    try:
        queue.send_all(get_settings().import_queue_url, [message.model_dump_json()])
    except (ServiceUnavailable, QueueRefused):
        store.put_pending_video(message.model_dump(mode="json"))


def vendor_secrets() -> list[tuple[str, str]]:
    """The AI interview vendors' webhook secrets (``POST /webhooks/interview-results``)."""
    return secrets_of(VENDOR_FORMATS)


class Intake:
    def __init__(
        self,
        repo: Repository | None = None,
        secrets: Callable[[], list[tuple[str, str]]] = vendor_secrets,
        clock: Callable[[], float] | None = None,
        on_new_result: Callable[[ResultStore, str, ScoreRecord], None] = request_video_copy,
    ) -> None:
        self.repo = repo or Repository()
        self.store = ResultStore(self.repo)
        self.secrets = secrets
        self.clock = clock or clock_wall  # vendors sign with the wall clock, never the moved one
        self.on_new_result = on_new_result

    def receive(self, headers: dict[str, str], body: bytes) -> Receipt:
        if len(body) > MAX_WEBHOOK_BYTES:
            raise PayloadTooLarge(f"the body is {len(body)} bytes; the limit is {MAX_WEBHOOK_BYTES}")
        vendor_id, webhook_id = verify(headers, body, self.secrets(), now=self.clock())
        result = self._parse(vendor_id, body)
        req = self.repo.requisitions.require(result.requisition_id, max_age=INTAKE_CACHE_SECONDS)
        record = self._record(req, result, webhook_id, body)
        app_id = result.application_id or (
            self.store.lookup_ref(req.id, result.external_ref) if result.external_ref else None
        )
        delivery = Delivery(webhook_id, vendor_id, req.id, app_id, result.external_ref, record)
        outcome = self.store.record(delivery)
        if outcome == "reused":
            raise reused_id(vendor_id, webhook_id)
        if outcome == "misaddressed":
            logger.warning(
                "vendor fault: a result for an application of another requisition",
                extra={"vendor_id": vendor_id, "webhook_id": webhook_id, "application_id": app_id},
            )
            raise ValidationFailed(
                "the application does not belong to the result's requisition",
                [{"field": "application_id", "message": f"not an application of requisition {req.id}"}],
            )
        if outcome == "stored" and app_id:
            self.on_new_result(self.store, app_id, record)
        return Receipt(outcome, webhook_id, app_id)

    def _parse(self, vendor_id: str, body: bytes) -> CanonicalResult:
        payload = parse_json_object(body)
        try:
            result = adapter_for(vendor_id)(vendor_id, payload)
        except ValidationError as exc:
            raise ValidationFailed("the interview result is not valid", validation_details(exc)) from exc
        except ValueError as exc:
            raise ValidationFailed(
                "the interview result is not valid", [{"field": "body", "message": str(exc)}]
            ) from exc
        if result.vendor_id != vendor_id:
            raise ValidationFailed(
                "the result names another vendor than the key that signed it",
                [{"field": "vendor_id", "message": f"signed by {vendor_id}, payload says {result.vendor_id}"}],
            )
        return result

    def _record(self, req: Requisition, result: CanonicalResult, webhook_id: str, body: bytes) -> ScoreRecord:
        allowed = set(req.dimension_weights)
        unknown = sorted({d.value for d in result.dimension_scores} - {d.value for d in allowed})
        unknown_q = sorted({q.dimension.value for q in result.questions} - {d.value for d in allowed})
        if unknown or unknown_q:
            raise ValidationFailed(
                "the result has dimensions this requisition does not assess",
                [{"field": "dimension_scores", "message": "unknown dimensions: " + ", ".join(unknown + unknown_q)}],
            )
        completed = completed_at(result.completed_at, self.clock())
        scores = {d: float(s) for d, s in result.dimension_scores.items()}
        return ScoreRecord(
            vendor_id=result.vendor_id,
            model_version=result.model_version,
            webhook_id=webhook_id,
            completed_at=completed,
            received_at=iso(utcnow()),
            overall_score=result.overall_score,
            dimension_scores=scores,
            weighted_score=weighted_score(scores, dict(req.dimension_weights)),
            video_url=str(result.video_url) if result.video_url else None,
            questions=[q.model_dump(mode="json") for q in result.questions],
            raw_payload=body.decode("utf-8"),
        )

    # -- the stream: apply stored results to their applications -------------------------------
    @staticmethod
    def is_new_result(record: dict[str, Any]) -> bool:
        """A stream record the projection cares about: a history entry written for the first time
        (``NEW_RESULTS``, also the event source mapping's filter)."""
        return matches(NEW_RESULTS, record)

    def apply(self, record: dict[str, Any]) -> Projection | None:
        """Apply one stream record (``NEW_IMAGE``) of a new history entry; None for other records."""
        if not self.is_new_result(record):
            return None
        return self.store.project(*self.store.stream_entry(record["dynamodb"]["NewImage"]))

    # -- parked results --------------------------------------------------------------------------
    def attach_parked(self, app: Application) -> int:
        """Attach results that arrived before the application; returns how many were attached."""
        if not app.external_ref:
            return 0  # a new application id cannot have been used by a vendor yet
        parked = self.store.parked_for(app.requisition_id, f"REF#{app.external_ref}#")
        parked.sort(key=lambda p: p["record"]["completed_at"])
        attached = 0
        for item in parked:
            outcome = self.store.attach(item, app.id, app.requisition_id)
            if outcome == "stored":
                attached += 1
                self.on_new_result(self.store, app.id, ScoreRecord.model_validate(item["record"]))
        return attached

    def any_parked(self, requisition_id: str) -> bool:
        """Whether the requisition holds any parked result (one Query reading at most one item)."""
        return self.store.any_parked(requisition_id)

    def reconcile(self, limit: int = 100) -> dict[str, int]:
        """Scheduled: attach the oldest parked results whose application now exists."""
        counts = {"examined": 0, "attached": 0, "still_parked": 0, "videos_resent": 0}
        for item in self.store.oldest_parked(limit).items:
            counts["examined"] += 1
            app_id = item.get("application_id") or (
                self.store.lookup_ref(item["requisition_id"], item["external_ref"])
                if item.get("external_ref")
                else None
            )
            app = self.repo.applications.get(app_id) if app_id else None
            if app is None:
                counts["still_parked"] += 1
                continue
            outcome = self.store.attach(item, app.id, app.requisition_id)
            attached = outcome == "stored"
            counts["attached" if attached else "still_parked"] += 1
            if attached:
                self.on_new_result(self.store, app.id, ScoreRecord.model_validate(item["record"]))
        for pending in self.store.pending_videos(limit):
            queue.send_all(get_settings().import_queue_url, [VideoCopy.model_validate(pending).model_dump_json()])
            self.store.clear_pending_video(pending["webhook_id"])
            counts["videos_resent"] += 1
        return counts
