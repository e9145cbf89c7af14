"""Models of the console's API: sign-in, the vocabulary, the stage model, the funnel and the audit trail."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, StringConstraints

from shared.models.common import PageQuery, Response
from shared.vocabulary import Stage


class SignInConfig(Response):
    """Where the console sends people to sign in (authorization code flow with PKCE, a public client:
    nothing here is a secret)."""

    client_id: str
    authorize_url: str
    token_url: str
    logout_url: str
    scope: str
    idp_url: str
    """The Cognito user pools API, where the console enrols the person's authenticator app with their
    own access token (``AssociateSoftwareToken``, ``VerifySoftwareToken``, ``SetUserMFAPreference``)."""


class TermView(Response):
    key: str
    zh: str
    en: str


class Vocabulary(Response):
    """Every enumerated term in its canonical order, with the labels the mails and documents use."""

    dimensions: list[TermView]
    stages: list[TermView]
    roles: list[TermView]
    families: list[TermView]
    """The question bank's families: every requisition role family, then ``general``."""
    recommendations: list[TermView]


class StageTransitionView(Response):
    from_stage: Stage
    to_stage: Stage
    roles: list[str]
    """Who may trigger it: ``hr`` and/or ``system`` (the service itself)."""


class StageModel(Response):
    stages: list[Stage]
    terminal: list[Stage]
    transitions: list[StageTransitionView]


class FunnelStep(Response):
    step: str
    count: int


class Funnel(Response):
    requisition_id: str
    steps: list[FunnelStep]
    stages: dict[Stage, int]
    """Applications currently in each stage."""
    rule: str


class AuditQuery(PageQuery):
    subject: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=300)]


class AuditRecord(Response):
    subject: str
    at: str
    actor: str
    action: str
    details: dict[str, Any] = Field(default_factory=dict)
    source_ip: str | None = None


class AuditPage(Response):
    items: list[AuditRecord]
    next_token: str | None = None
