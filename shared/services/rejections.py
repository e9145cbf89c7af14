"""The rejection notice: sent when HR decides to reject (a stage move or a screening decision by HR),
never by an automated step (an expired or declined offer, the system's own moves). Queued on the
notification queue; the worker mails the applicant once (a marker in the application's partition)."""

from __future__ import annotations

from collections.abc import Callable

from aws_lambda_powertools import Logger

from shared.domain import notices
from shared.errors import ServiceUnavailable
from shared.models.common import iso, utcnow
from shared.models.selection import RejectionNotice
from shared.security.fields import reveal
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

    def queue(self, application_ids: list[str], role: str) -> int:
        """Queue the notices of HR's rejections (another role's, or the system's, send nothing)."""
        if role != "hr" or not application_ids:
            return 0
        try:
            self.send([RejectionNotice(application_id=a).model_dump_json() for a in application_ids])
        except (ServiceUnavailable, QueueRefused):
            logger.warning("queue refused rejection notices", extra={"count": len(application_ids)})
            return 0
        return len(application_ids)

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
