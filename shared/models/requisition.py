from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints, field_validator, model_validator

from shared.models.common import Dimension, Request, Response, RoleFamily, Text
from shared.models.offer import ApprovalStep

Term = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]


class Keyword(Request):
    """A screening keyword and the other ways a resume may say the same thing."""

    term: Term
    aliases: list[Term] = Field(default_factory=list, max_length=20)


class SalaryBand(Request):
    min: int = Field(ge=0, le=10_000_000)
    max: int = Field(ge=0, le=10_000_000)
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = "CNY"
    period: str = Field(default="year", pattern=r"^(month|year)$")

    @model_validator(mode="after")
    def _ordered(self) -> SalaryBand:
        if self.min > self.max:
            raise ValueError("min must not exceed max")
        return self


class RequisitionStatus(StrEnum):
    """open / on_hold / closed are HR's; filled is derived from the signed offers (shared/domain/headcount.py)."""

    open = "open"
    on_hold = "on_hold"
    filled = "filled"
    closed = "closed"


DEFAULT_WEIGHTS: dict[Dimension, float] = {d: 1 / len(Dimension) for d in Dimension}


class RequisitionCreate(Request):
    title: Text
    department: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    role_family: RoleFamily
    headcount: int = Field(ge=1, le=10_000)
    salary_band: SalaryBand
    required_keywords: list[Keyword] = Field(default_factory=list, max_length=50)
    preferred_keywords: list[Keyword] = Field(default_factory=list, max_length=50)
    competency_bar: dict[Dimension, int] = Field(default_factory=dict)
    dimension_weights: dict[Dimension, float] = Field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    shortlist_ratio: float = Field(default=0.30, gt=0, le=1)
    offer_approval_chain: list[ApprovalStep] = Field(
        default_factory=lambda: [ApprovalStep.department_manager],
        min_length=1,
        max_length=5,
        description="who approves an offer, in order (department_manager, hr_director)",
    )

    @field_validator("offer_approval_chain")
    @classmethod
    def _distinct_steps(cls, chain: list[ApprovalStep]) -> list[ApprovalStep]:
        if len(set(chain)) != len(chain):
            raise ValueError("each approval step may appear once")
        return chain

    @field_validator("competency_bar")
    @classmethod
    def _bar_range(cls, bar: dict[Dimension, int]) -> dict[Dimension, int]:
        bad = [d.value for d, v in bar.items() if not 0 <= v <= 100]
        if bad:
            raise ValueError(f"bar must be between 0 and 100 for: {', '.join(bad)}")
        return bar

    @field_validator("dimension_weights")
    @classmethod
    def _weights_sum_to_one(cls, weights: dict[Dimension, float]) -> dict[Dimension, float]:
        if not weights:
            raise ValueError("at least one dimension weight is required")
        negative = [d.value for d, w in weights.items() if w < 0 or w > 1]
        if negative:
            raise ValueError(f"weights must be between 0 and 1 for: {', '.join(negative)}")
        total = sum(weights.values())
        if abs(total - 1) > 1e-6:
            raise ValueError(f"weights must sum to 1 (got {total:.4f})")
        return weights

    @model_validator(mode="after")
    def _bar_within_dimensions(self) -> RequisitionCreate:
        extra = sorted(set(self.competency_bar) - set(self.dimension_weights))
        if extra:
            raise ValueError(f"competency_bar names dimensions without a weight: {', '.join(extra)}")
        overlap = {k.term for k in self.required_keywords} & {k.term for k in self.preferred_keywords}
        if overlap:
            raise ValueError(f"keywords both required and preferred: {', '.join(sorted(overlap))}")
        return self

    @property
    def dimensions(self) -> list[Dimension]:
        return list(self.dimension_weights)


class Requisition(RequisitionCreate):
    """The stored requisition."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    id: str
    status: RequisitionStatus = RequisitionStatus.open  # as HR set it: open, on_hold or closed
    status_reason: str | None = None
    filled_count: int = Field(default=0, ge=0)  # signed offers (ADDed by the signing transaction)
    offers_made: int = Field(default=0, ge=0)  # claimed by each new offer: one headcount check at a time
    created_at: str
    created_by: str
    version: int = 1


class RequisitionStatusChange(Request):
    """HR puts a requisition on hold, reopens it, or closes it (for good)."""

    status: Literal[RequisitionStatus.open, RequisitionStatus.on_hold, RequisitionStatus.closed]
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
    expected_version: int | None = Field(default=None, ge=1, description="refuse (409) if the requisition changed")


class RequisitionView(Response):
    id: str
    title: str
    department: str
    role_family: RoleFamily
    headcount: int
    salary_band: SalaryBand
    required_keywords: list[Keyword]
    preferred_keywords: list[Keyword]
    competency_bar: dict[Dimension, int]
    dimension_weights: dict[Dimension, float]
    shortlist_ratio: float
    offer_approval_chain: list[ApprovalStep] = Field(default_factory=lambda: [ApprovalStep.department_manager])
    status: RequisitionStatus = Field(
        description="open, on_hold, filled (signed offers reached the headcount) or closed"
    )
    status_reason: str | None = None
    filled_count: int = Field(default=0, description="signed offers")
    version: int = 1
    created_at: str
    created_by: str
    scored_count: int = Field(default=0, description="applications with an AI result so far")
