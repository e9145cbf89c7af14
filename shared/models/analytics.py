"""Analytics over performance cycles: predictive validity of the interview dimensions, conditional
probabilities, re-weighting proposals and their approval, cohorts; and the result every analytics
route answers with (a table that exports as CSV / XLSX)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from shared.models.common import Dimension, Month, Request, Response, RoleFamily
from shared.models.performance import Reason

ExportFormat = Literal["json", "csv", "xlsx"]
ChartFormat = Literal["json", "csv", "xlsx", "svg"]


class CycleAnalyticsQuery(Request):
    cycle_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    role_family: RoleFamily | None = None
    format: ChartFormat = Field(default="json", description="json, csv, xlsx, or svg where a chart exists")


class ValidityQuery(CycleAnalyticsQuery):
    min_n: int = Field(default=10, ge=4, le=100_000, description="groups with fewer pairs are left out")
    range_correction: bool = Field(
        default=False,
        description="add Thorndike case II estimates for all applicants (reads the applicants' interview scores)",
    )


class ConditionalQuery(CycleAnalyticsQuery):
    dimension: Dimension
    dimension_threshold: float = Field(default=80, ge=0, le=100)
    performance_threshold: float = Field(default=90, ge=0, le=100)


class ReweightQuery(Request):
    cycle_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    format: ExportFormat = "json"


class WeightsApproval(Request):
    """HR approves the current proposal for a family, with a reason: it applies to requisitions created
    from now on that do not name their own weights; existing requisitions keep theirs. Refused (409)
    below the minimum of rated hires or without a proposal."""

    cycle_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    reason: Reason


class CohortQuery(Request):
    since: Month | None = None
    until: Month | None = None
    format: ChartFormat = "json"


class LeftOut(Response):
    reason: str = Field(description="no_results, partial, no_interview_scores, no_hiring_weights or not_mature")
    count: int
    description: str


class Population(Response):
    """What a result was computed on: n of the records read, and how many were left out, and why."""

    records: int = Field(description="records (or hires) read")
    n: int = Field(description="those the result is computed on")
    left_out: list[LeftOut]


class AnalyticsResult(Response):
    """One analytics result: its parameters, a table (``items``, the rows CSV / XLSX export), any
    figures that belong to the result as a whole (``summary``; a figure withheld for too small a
    population says "not enough data (n = …, needed …)"), and the population it was computed on."""

    kind: str
    parameters: dict[str, Any]
    summary: dict[str, Any] = Field(default_factory=dict)
    items: list[dict[str, Any]]
    population: Population | None = None


class ApprovedWeights(Response):
    role_family: RoleFamily
    weights: dict[str, float]
    previous_weights: dict[str, float] | None = Field(default=None, description="what new requisitions got before")
    baseline_weights: dict[str, float] | None = Field(
        default=None, description="the weights the rated hires were selected with, averaged"
    )
    cycle_id: str
    n: int | None = Field(default=None, description="rated hires the proposal rests on")
    minimum_n: int | None = None
    expected_gain: float | None = Field(default=None, description="out of sample (k-fold cross-validation)")
    gain_low: float | None = None
    gain_high: float | None = None
    reason: str
    approved_by: str
    approved_at: str
    version: int
