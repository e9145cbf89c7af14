"""Object-level authorisation: an object, if the principal may act on it."""

from __future__ import annotations

from shared.models.application import Application
from shared.security.policy import Action, authorize
from shared.security.tokens import Principal
from shared.store.repository import Repository


def authorized_application(
    who: Principal, action: Action, application_id: str, repo: Repository | None = None
) -> Application:
    """The application, if ``who`` may perform ``action`` on it: roles that may never do it are refused
    before anything is read; then the department / assignment of this application is checked."""
    authorize(who, action)
    app = (repo or Repository()).applications.require(application_id)
    authorize(who, action, app.department, app.interviewers)
    return app
