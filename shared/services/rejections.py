"""The rejection notice: sent when HR decides to reject (a stage move or a screening decision by HR),
never by an automated step (an expired or declined offer, the system's own moves). The notice's queue
message is an outbox record written in the rejection's own transaction (``pending``); it is queued on
the notification queue right after (``queue``, which forgets the record) and, if the queue refused,
by the ``reconcile_rejection_notices`` safety net (``reconcile``). The worker mails the applicant once
(a marker in the application's partition), so a notice queued twice is still one e-mail."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger

from shared.domain import notices
from shared.errors import ServiceUnavailable
from shared.models.common import iso, utcnow
from shared.models.selection import RejectionNotice
from shared.security.fields import reveal
from shared.services import outbox
from shared.store import mail
from shared.store.queue import QueueRefused
from shared.store.repository import Repository
from shared.vocabulary import Stage

logger = Logger(child=True)
KIND = "rejection"


class Rejections:
    def __init__(self, repo: Repository | None = None, send: Callable[[list[str]], None] | None = None) -> None:
        self.repo = repo or Repository()
        self.send = send or (lambda bodies: None)

    def pending(self, application_id: str, role: str, at: str) -> list[dict[str, Any]]:
        """The transaction items that record the notice with HR's rejection (none for another role)."""
        if role != "hr":
            return []
        body = RejectionNotice(application_id=application_id).model_dump_json()
        return [self.repo.applications.rejection_outbox_op(application_id, body, at)]

    def queue(self, application_ids: list[str], role: str) -> int:
        """Queue the notices of HR's committed rejections and forget their outbox records (another
        role's, or the system's, send nothing). A refusal keeps the records for ``reconcile``: the
        e-mail is delayed, never lost."""
        if role != "hr" or not application_ids:
            return 0
        try:
            self.send([RejectionNotice(application_id=a).model_dump_json() for a in application_ids])
        except (ServiceUnavailable, QueueRefused):
            logger.warning(
                "queue refused rejection notices; the reconciliation will send them",
                extra={"count": len(application_ids)},
            )
            return 0
        self.repo.applications.clear_rejection_outbox(application_ids)
        return len(application_ids)

    def reconcile(self, limit: int = 100, min_age_seconds: int = outbox.OUTBOX_MIN_AGE_SECONDS) -> dict[str, int]:
        """Scheduled: queue the notices at least ``min_age_seconds`` old still in the outbox (younger
        ones are being queued by the request that rejected)."""
        return outbox.resend(lambda: self.repo.applications.rejection_outbox(limit), self._resend, min_age_seconds)

    def _resend(self, item: dict[str, Any]) -> bool:
        try:
            self.send([str(item["body"])])
        except (ServiceUnavailable, QueueRefused):
            return False
        self.repo.applications.clear_rejection_outbox([str(item["sk"])])
        return True

    def send_notice(self, msg: RejectionNotice) -> str:
        applications = self.repo.applications
        marker = applications.notice(msg.application_id, KIND)
        if marker and marker.get("status") == "sent":
            return "already_sent"
        app = applications.get(msg.application_id)
        if app is None or app.stage is not Stage.rejected:
            return "not_rejected"  # erased meanwhile, or moved back: nothing to tell
        req = self.repo.requisitions.require(app.requisition_id, max_age=60)
        subject, text, body_html = notices.rejection(app.name, req.title)
        applications.mark_notice(app.id, KIND, {"status": "sending", "at": iso(utcnow())})
        message_id = mail.send(reveal(app.email, "email"), subject, text, body_html)
        applications.mark_notice(app.id, KIND, {"status": "sent", "at": iso(utcnow()), "ses_message_id": message_id})
        return "sent"
