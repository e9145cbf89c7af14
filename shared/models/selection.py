"""Stage transitions, the shortlist and second-interview invitations."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from shared.models.common import Dimension, Model, Request, Response
from shared.vocabulary import Stage

AppId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Username = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)]


class Transition(Request):
    to: Stage
    reason: Reason
    expected_version: int | None = Field(default=None, ge=1, description="refuse (409) if the application changed")


class BulkItem(Request):
    application_id: AppId
    to: Stage
    expected_version: int | None = Field(default=None, ge=1)


class BulkTransition(Request):
    items: list[BulkItem] = Field(min_length=1, max_length=5000)
    reason: Reason


class TransitionResult(Response):
    application_id: str
    outcome: Literal["moved", "conflict", "forbidden", "not_found"]
    stage: Stage | None = None
    version: int | None = None
    message: str | None = None
    allowed: list[str] | None = None
    missing: list[dict[str, str | None]] | None = Field(
        default=None, description="what the move still needs (code, message, ref): its gate's evidence"
    )


class BulkResult(Response):
    results: list[TransitionResult]
    counts: dict[str, int]


class ShortlistEntry(Response):
    rank: int
    application_id: str
    name: str
    stage: Stage
    weighted_score: float
    below_bar: dict[Dimension, float] = Field(description="dimensions under the requisition's hard bar: score")
    eligible: bool = Field(description="can be shortlisted now (screened or AI-interviewed)")


class ShortlistProposal(Response):
    requisition_id: str
    proposal_id: str
    ratio: float
    scored: int
    size: int
    items_read: int
    entries: list[ShortlistEntry]
    proposed_at: str
    proposed_by: str


class InterviewInvitation(Request):
    """Where the second interviews are, and when: a slot of its own for each invited applicant from the
    ``interviewers``' availability, or one ``starts_at`` for all (a group session)."""

    starts_at: datetime | None = Field(default=None, description="one time for everyone, with time zone")
    interviewers: list[Username] | None = Field(
        default=None, min_length=1, max_length=20, description="each invitation gets a distinct slot of theirs"
    )
    place: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] = ""

    @model_validator(mode="after")
    def _one_way(self) -> InterviewInvitation:
        if (self.starts_at is None) == (self.interviewers is None):
            raise ValueError("give either interviewers (a slot each from their availability) or starts_at")
        return self


class ShortlistConfirm(Request):
    proposal_id: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]
    application_ids: list[AppId] | None = Field(
        default=None, max_length=5000, description="the confirmed list; omit to confirm the proposal as it is"
    )
    interview: InterviewInvitation


class ShortlistConfirmation(Response):
    requisition_id: str
    proposal_id: str
    results: list[TransitionResult]
    counts: dict[str, int]
    invitations_queued: int


class Invitation(Model):
    """An SQS message: e-mail one second-interview invitation (once per application and proposal)."""

    kind: Literal["invitation"] = "invitation"
    application_id: str
    proposal_id: str
    starts_at: str
    place: str
    note: str = ""
    minutes: int = 60
    interviewer: str | None = None  # whose availability the slot came from


class RejectionNotice(Model):
    """An SQS message: tell the applicant of HR's decision to reject (once per application)."""

    kind: Literal["rejection_notice"] = "rejection_notice"
    application_id: str
