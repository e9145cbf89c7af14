"""Models of the console's API: sign-in, the vocabulary, the stage model, the funnel and the audit trail."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, StringConstraints

from shared.models.common import PageQuery, Request, Response
from shared.vocabulary import Stage


class SessionCreate(Request):
    username: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)]
    password: SecretStr = Field(min_length=1, max_length=256)


class Session(Response):
    id_token: str
    expires_in: int
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 (the scheme name, not a secret)


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
