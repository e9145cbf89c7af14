"""The services that send to a queue, wired to the queue the settings name (one place for the
handlers and consumers that use them)."""

from __future__ import annotations

from collections.abc import Callable

from shared.services.assessments import Assessments
from shared.services.background_checks import BackgroundChecks
from shared.services.rejections import Rejections
from shared.services.resumes import Resumes
from shared.services.selection import Selection
from shared.settings import get_settings
from shared.store import queue
from shared.store.repository import Repository


def _sender(url: str) -> Callable[[list[str]], None]:
    return lambda bodies: queue.send_all(url, bodies)


def selection() -> Selection:
    """Stage moves and the shortlist; invitations go to the notification queue."""
    return Selection(Repository(), _sender(get_settings().notification_queue_url))


def assessments() -> Assessments:
    """Supplementary assessments; the decision notices go to the notification queue."""
    return Assessments(Repository(), _sender(get_settings().notification_queue_url))


def background_checks() -> BackgroundChecks:
    """Background checks; the orders go to the background-check queue."""
    return BackgroundChecks(Repository(), _sender(get_settings().background_check_queue_url))


def resumes() -> Resumes:
    """Resume files; an uploaded file's extraction goes to the intake (import) queue."""
    return Resumes(Repository(), _sender(get_settings().import_queue_url))


def rejections() -> Rejections:
    """Rejection notices of HR's decisions; they go to the notification queue."""
    return Rejections(Repository(), _sender(get_settings().notification_queue_url))
