from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, StringConstraints, field_validator

from shared.models.common import Model, Page, Request, Response
from shared.models.identity import mask_email, mask_national_id, mask_phone, national_id_problem, normalise_national_id
from shared.models.interview import AiResult
from shared.models.person import PersonNote
from shared.security.audited import audited
from shared.security.fields import Sealed
from shared.vocabulary import Stage

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Email = Annotated[str, StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9][0-9 -]{6,19}$")]
# A personal-data field as stored: sealed (``{"v": 1, ...}``, shared/security/fields.py), or a plain
# string in items written before field encryption (and "" after erasure).
Protected = Sealed | str
# The application's fields that are personal data or masks of it: never copied into a view by model_dump.
PERSONAL_FIELDS = frozenset(
    {"email", "phone", "national_id", "email_masked", "phone_masked", "national_id_masked", "resume_text"}
)


class ApplicationCreate(Request):
    """One applicant for one requisition. National ID, phone and e-mail are personal data: never logged."""

    name: Name
    email: Email
    phone: Phone
    national_id: str = Field(description="18-character resident identity number (GB 11643)")
    education: Annotated[str, StringConstraints(max_length=2_000)] = ""
    experience: Annotated[str, StringConstraints(max_length=10_000)] = ""
    experience_years: float | None = Field(default=None, ge=0, le=60)
    resume_text: Annotated[str, StringConstraints(max_length=100_000)] = ""
    external_ref: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] | None = None

    @field_validator("national_id")
    @classmethod
    def _valid_id(cls, value: str) -> str:
        problem = national_id_problem(value)
        if problem:
            raise ValueError(problem)
        return normalise_national_id(value)


class KeywordMatchView(Model):
    term: str
    matched: bool
    via: str | None = None
    field: str | None = None
    position: int | None = None
    snippet: str | None = None
    negated_by: str | None = Field(
        default=None, description="the negator (没有, 无, 未 …) that unmatched the keyword where the resume said it"
    )


class ScreeningResult(Model):
    passed: bool
    score: float
    proposal: Literal["advance", "reject"]
    required: list[KeywordMatchView]
    preferred: list[KeywordMatchView]
    missing_required: list[str]
    explanation: str
    decision: Literal["advance", "reject"] | None = None
    decided_by: str | None = None
    decided_at: str | None = None
    decision_reason: str | None = None


class Application(Model):
    """The stored application (the META item of the application's partition)."""

    model_config = ConfigDict(extra="ignore")

    id: str
    requisition_id: str
    department: str
    stage: Stage
    name: str
    email: Protected
    phone: Protected
    national_id: Protected
    # Masks computed when the values were sealed; None on items written before (computed from the plain value).
    email_masked: str | None = None
    phone_masked: str | None = None
    national_id_masked: str | None = None
    education: str = ""
    experience: str = ""
    experience_years: float | None = None
    resume_text: str = ""
    external_ref: str | None = None
    screening: ScreeningResult | None = None
    resume_file: str | None = None
    resume_file_error: str | None = None
    ai: AiResult | None = None
    interviewers: list[str] = Field(default_factory=list)
    person_id: str | None = None  # the person's archive (keyed hash of the national ID); None once erased
    source: str
    created_at: str
    updated_at: str
    version: int = 1
    # DynamoDB TTL (epoch seconds) once the application's retention started (shared/store/retention.py);
    # written by the repository, never part of a view.
    expires_at: int | None = Field(default=None, exclude=True)

    def next_version(self, now: str, **changes: Any) -> Application:
        """This application with ``changes``, one version on, updated at ``now`` (what every write of
        it is conditional on: the version read)."""
        return self.model_copy(update={**changes, "updated_at": now, "version": self.version + 1})

    def masks(self) -> dict[str, str]:
        """The masked contact details and national ID for views (no decryption)."""

        def pick(stored: str | None, value: Sealed | str, mask: Callable[[str], str]) -> str:
            if stored is not None:
                return stored
            return mask(value) if isinstance(value, str) else "***"

        return {
            "email_masked": pick(self.email_masked, self.email, mask_email),
            "phone_masked": pick(self.phone_masked, self.phone, mask_phone),
            "national_id_masked": pick(self.national_id_masked, self.national_id, mask_national_id),
        }


class ApplicationView(Response):
    """What HR and managers read: contact details and the national ID are masked."""

    id: str
    requisition_id: str
    department: str
    stage: Stage
    name: str
    email_masked: str = Field(json_schema_extra=audited("contact.read"))
    phone_masked: str = Field(json_schema_extra=audited("contact.read"))
    national_id_masked: str = Field(json_schema_extra=audited("contact.read"))
    education: str
    experience: str
    experience_years: float | None
    external_ref: str | None
    screening: ScreeningResult | None
    resume_file: str | None
    resume_file_error: str | None
    ai: AiResult | None
    interviewers: list[str]
    source: str
    created_at: str
    updated_at: str
    version: int
    person_id: str | None = Field(default=None, description="the person's talent archive: GET /people/{person_id}")
    known_person: PersonNote | None = Field(
        default=None, description="on creation: the person was already in the archive (已在库), with what"
    )


class ApplicationSummary(Response):
    id: str
    requisition_id: str
    stage: Stage
    name: str
    screening_score: float | None
    screening_proposal: str | None
    created_at: str
    weighted_score: float | None = None
    """The current AI result's score weighted by the requisition's dimension weights; null before one."""
    external_ref: str | None = None


class ApplicationPage(Page[ApplicationSummary]):
    """A page of a requisition's applications: by ``next_token``, or numbered with the total."""

    total: int | None = Field(default=None, description="applications matching the search (numbered pages only)")
    page: int | None = Field(default=None, description="this page's number (numbered pages only)")


class ResumeUpload(Request):
    filename: Annotated[
        str,
        StringConstraints(
            strip_whitespace=True, min_length=5, max_length=200, pattern=r"(?i)^[^/\\]+\.(txt|pdf|docx)$"
        ),
    ] = Field(description="The resume's file name; must end in .txt, .pdf or .docx")


class ScreeningDecision(Request):
    application_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    decision: Literal["advance", "reject"]
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class ScreeningDecisions(Request):
    decisions: list[ScreeningDecision] = Field(min_length=1, max_length=1000)


class DecisionResult(Response):
    application_id: str
    outcome: Literal["applied", "conflict", "not_found", "forbidden"]
    stage: Stage | None = None
    message: str | None = None


class DecisionsView(Response):
    results: list[DecisionResult]
    counts: dict[str, int]
