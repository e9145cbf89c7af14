"""Background checks: HR orders one, a queue consumer sends it to the vendor, the vendor's signed
webhook brings the result, HR may review it; the verified facts adjust the confidence in each AI score.

Nothing is lost between our table and the vendor:

* the order and an outbox entry are written in one transaction; the order message is queued after
  it and the outbox entry removed; if the queue refuses (or the function dies in between), the
  scheduled ``reconcile`` re-sends every outbox entry older than a grace period;
* the consumer submits to the vendor and fails the message on a vendor error: SQS redelivers it
  with exponential backoff and, after ``maxReceiveCount``, keeps it in the dead-letter queue
  (redrive it when the vendor is back; see docs/features.md);
* the vendor is asked with our check id as its idempotency key, and the check moves
  ``ordered`` → ``submitted`` conditionally, so a redelivered order is not submitted twice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from aws_lambda_powertools import Logger

from shared.clock import wall
from shared.domain import confidence
from shared.domain.background import (
    BACKGROUND_VENDORS,
    DEFAULT_VENDOR,
    BackgroundVendor,
    check_orderable,
    outcome,
)
from shared.domain.json_input import parse_json_object
from shared.domain.stages import Stage, check_transition
from shared.errors import (
    Conflict,
    NotFound,
    PayloadTooLarge,
    ServiceUnavailable,
    ValidationFailed,
    found,
    validated,
)
from shared.models.application import Application
from shared.models.background import (
    BackgroundCheck,
    BackgroundCheckOrder,
    BackgroundResultPayload,
    BackgroundReview,
    BackgroundSection,
    ConfidenceReason,
    ConfidenceView,
    DimensionConfidenceView,
    HistoryEntry,
    OrderMessage,
    VendorOrder,
    view,
)
from shared.models.common import Dimension, iso, new_id, utcnow
from shared.security.fields import reveal
from shared.security.vendor_keys import secrets_of
from shared.security.webhooks import body_digest, reused_id, verify
from shared.services import confidence as confidence_of
from shared.services.intake import completed_at
from shared.store.audit import AuditEntry
from shared.store.background import BackgroundStore, Received
from shared.store.queue import QueueRefused, delay_message
from shared.store.repository import Repository

logger = Logger(child=True)

MAX_WEBHOOK_BYTES = 5 * 1_048_576
OUTBOX_GRACE_SECONDS = 120  # an order younger than this may still be on its way to the queue
BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 12 * 3600  # SQS's limit for a message's visibility timeout


def backoff_seconds(receive_count: int) -> int:
    """How long a failed order stays invisible before its next try: 30 s × 2^(receive count)."""
    return int(min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(0, receive_count)))


def retry_later(queue_url: str, receive_count: int, receipt_handle: str) -> dict[str, int]:
    """A vendor refused the message: keep it invisible for its backoff, so SQS redelivers it later
    (and after maxReceiveCount leaves it in the dead-letter queue). Returns what to log."""
    delay = backoff_seconds(receive_count)
    delay_message(queue_url, receipt_handle, delay)
    return {"receive_count": receive_count, "retry_in_seconds": delay}


def ordered_at() -> str:
    """UTC with microseconds, so ``ordered_at`` values compare correctly as strings."""
    return datetime.fromtimestamp(wall(), UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class WebhookReceipt:
    status: Received
    webhook_id: str
    check_id: str | None


def newest_first(checks: Sequence[BackgroundCheck]) -> list[BackgroundCheck]:
    return sorted(checks, key=lambda c: (c.ordered_at, c.check_id), reverse=True)


def _reason(a: confidence.Adjustment) -> ConfidenceReason:
    return ConfidenceReason(code=a.code, delta=a.delta, reason_zh=a.reason_zh, reason_en=a.reason_en)


def confidence_view(
    app: Application, checks: Sequence[BackgroundCheck], weights: Mapping[Dimension, float]
) -> ConfidenceView:
    """Confidence in each AI dimension score from the newest completed check's verified facts (compared
    with what the applicant declared, read as HR reviewed it), and the scores it weighs."""
    completed, report = confidence_of.report(app, checks)
    weighed = confidence.weigh(report, weights)
    return ConfidenceView(
        based_on_check=completed.check_id if completed else None,
        overall_confidence=report.overall,
        overall_reasons=[_reason(a) for a in report.overall_reasons],
        flags=list(report.flags),
        dimensions=[
            DimensionConfidenceView(
                dimension=row.dimension,
                score=row.score,
                confidence=row.confidence,
                weighted_score=weighed.scores.get(row.dimension),
                reasons=[_reason(a) for a in row.reasons],
            )
            for row in report.dimensions
        ],
        rule=f"{confidence.RULE}; {confidence.WEIGHING}",
        weighted_score=weighed.weighted,
        ai_weighted_score=weighed.ai_weighted,
        explanation_zh=weighed.explanation_zh,
        explanation_en=weighed.explanation_en,
    )


def section(
    app: Application, checks: Sequence[BackgroundCheck], weights: Mapping[Dimension, float]
) -> BackgroundSection:
    return BackgroundSection(
        checks=[view(c) for c in newest_first(checks)], confidence=confidence_view(app, checks, weights)
    )


def background_vendor_secrets() -> list[tuple[str, str]]:
    """The background-check vendors' webhook secrets: accepted at ``POST /webhooks/background-checks``
    only (and theirs are not accepted for interview results)."""
    return secrets_of(BACKGROUND_VENDORS, "background-check vendor")


class BackgroundChecks:
    def __init__(
        self,
        repo: Repository | None = None,
        send: Callable[[list[str]], None] | None = None,
        secrets: Callable[[], list[tuple[str, str]]] = background_vendor_secrets,
        clock: Callable[[], float] = wall,
    ) -> None:
        self.repo = repo or Repository()
        self.store = BackgroundStore(self.repo)
        self.send = send or (lambda bodies: None)
        self.secrets = secrets
        self.clock = clock

    # -- HR ----------------------------------------------------------------------------------------
    def order(
        self, app: Application, body: BackgroundCheckOrder, actor: str, role: str, source_ip: str | None
    ) -> BackgroundCheck:
        """Write the check (and move ``evaluated`` → ``background_check``) in one transaction, then queue it."""
        moves = check_orderable(app.stage, self.store.checks(app.id))
        if moves:
            check_transition(app.stage, Stage.background_check, role)
        now = ordered_at()
        check = BackgroundCheck(
            check_id=new_id(),
            application_id=app.id,
            status="ordered",
            checks=list(body.checks),
            consent_reference=body.consent_reference,
            vendor_id=DEFAULT_VENDOR,
            ordered_at=now,
            ordered_by=actor,
            history=[HistoryEntry(at=now, actor=actor, action="ordered", status="ordered")],
            updated_at=now,
        )
        stage = Stage.background_check if moves else app.stage
        after = app.next_version(iso(utcnow()), stage=stage)
        audit = AuditEntry(
            subject=f"application:{app.id}",
            actor=actor,
            action="background_check.order",
            details={
                "check_id": check.check_id,
                "checks": [c.value for c in check.checks],
                "consent_reference": check.consent_reference,
                "from": app.stage.value,
                "to": stage.value,
            },
            source_ip=source_ip,
        )
        self.store.order(app, after, check, audit)
        self.enqueue(check.application_id, check.check_id, check.ordered_at)
        return check

    def enqueue(self, application_id: str, check_id: str, at: str) -> bool:
        """Queue the order and clear its outbox entry; on failure the entry stays for ``reconcile``."""
        message = OrderMessage(application_id=application_id, check_id=check_id)
        try:
            self.send([message.model_dump_json()])
        except (ServiceUnavailable, QueueRefused):
            logger.warning("order not queued; the reconciliation will send it", extra={"check_id": check_id})
            return False
        self.store.clear_outbox(at, check_id)
        return True

    def confidence(self, app: Application, checks: Sequence[BackgroundCheck]) -> ConfidenceView:
        """The confidence view with the requisition's weights."""
        weights = self.repo.requisitions.require(app.requisition_id).dimension_weights
        return confidence_view(app, checks, weights)

    def require(self, application_id: str, check_id: str) -> BackgroundCheck:
        check = self.store.get(application_id, check_id)
        return found(check, f"background check {check_id} of application {application_id}")

    def review(
        self, app: Application, check_id: str, body: BackgroundReview, actor: str, source_ip: str | None
    ) -> BackgroundCheck:
        check = self.require(app.id, check_id)
        if check.status != "completed":
            raise Conflict(
                f"background check {check_id} is {check.status}; only a completed check can be reviewed",
                [{"check_id": check_id, "status": check.status}],
            )
        audit = AuditEntry(
            subject=f"application:{app.id}",
            actor=actor,
            action="background_check.review",
            details={"check_id": check_id, "from": check.outcome, "to": body.outcome, "reason": body.reason},
            source_ip=source_ip,
        )
        self.store.review(check, body.outcome, body.reason, actor, body.version, audit)
        return self.require(app.id, check_id)

    # -- the consumer ------------------------------------------------------------------------------
    def submit(self, message: OrderMessage, vendor: BackgroundVendor) -> str:
        """Send one order to the vendor. ``VendorError`` propagates (the message is retried)."""
        check = self.store.get(message.application_id, message.check_id)
        if check is None:
            logger.warning("order for an unknown check dropped", extra={"check_id": message.check_id})
            return "unknown_check"
        if check.status != "ordered":
            return f"already_{check.status}"
        app = self.repo.applications.get(message.application_id)
        if app is None:
            return "unknown_application"
        order = VendorOrder(
            reference=check.check_id,
            checks=check.checks,
            consent_reference=check.consent_reference,
            candidate_name=app.name,
            national_id=reveal(app.national_id, "national_id"),  # the vendor verifies the person by it
            claimed_education=app.education,
            claimed_experience=app.experience,
        )
        reference = vendor.submit(order)
        audit = AuditEntry(
            subject=f"application:{app.id}",
            actor="system",
            action="background_check.submitted",
            details={"check_id": check.check_id, "vendor_id": vendor.vendor_id, "vendor_reference": reference},
        )
        return "submitted" if self.store.mark_submitted(check, reference, audit) else "already_moved"

    def reconcile(self, limit: int = 100) -> dict[str, int]:
        """Scheduled: queue every order whose message was never queued (older than the grace period)."""
        cutoff = datetime.fromtimestamp(self.clock() - OUTBOX_GRACE_SECONDS, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        counts = {"examined": 0, "resent": 0, "failed": 0}
        for item in self.store.outbox(limit):
            at = str(item["sk"]).rsplit("#", 1)[0]
            if at >= cutoff:
                break  # the outbox is ordered by time: the rest are younger
            counts["examined"] += 1
            sent = self.enqueue(str(item["application_id"]), str(item["check_id"]), at)
            counts["resent" if sent else "failed"] += 1
        return counts

    # -- the vendor's webhook ----------------------------------------------------------------------
    def receive(self, headers: dict[str, str], body: bytes) -> WebhookReceipt:
        if len(body) > MAX_WEBHOOK_BYTES:
            raise PayloadTooLarge(f"the body is {len(body)} bytes; the limit is {MAX_WEBHOOK_BYTES}")
        vendor_id, webhook_id = verify(headers, body, self.secrets(), now=self.clock())
        result = self._parse(body)
        app_id = self.store.application_for(result.check_reference)
        check = self.store.get(app_id, result.check_reference) if app_id else None
        if check is None:
            raise NotFound(f"background check {result.check_reference} does not exist")
        if check.vendor_id != vendor_id:
            raise ValidationFailed(
                "the result is signed by another vendor than the one the check was ordered from",
                [{"field": "check_reference", "message": f"ordered from {check.vendor_id}, signed by {vendor_id}"}],
            )
        found = outcome(result) if result.status == "completed" else None
        audit = AuditEntry(
            subject=f"application:{check.application_id}",
            actor=f"vendor:{vendor_id}",
            action=f"background_check.{result.status}",
            details={"check_id": check.check_id, "webhook_id": webhook_id, "outcome": found},
        )
        status = self.store.record_result(check, result, found, webhook_id, vendor_id, audit, body_digest(body))
        if status == "reused":
            raise reused_id(vendor_id, webhook_id)
        return WebhookReceipt(status, webhook_id, check.check_id)

    def _parse(self, body: bytes) -> BackgroundResultPayload:
        result = validated(BackgroundResultPayload, parse_json_object(body), "the background-check result")
        return result.model_copy(update={"completed_at": completed_at(result.completed_at, self.clock())})
