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


class ConditionalQuery(CycleAnalyticsQuery):
    dimension: Dimension
    dimension_threshold: float = Field(default=80, ge=0, le=100)
    performance_threshold: float = Field(default=90, ge=0, le=100)


class ReweightQuery(Request):
    cycle_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    format: ExportFormat = "json"


class WeightsApproval(Request):
    """HR approves the current proposal for a family: it applies to requisitions created from now on
    that do not name their own weights; existing requisitions keep theirs."""

    cycle_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    reason: Reason


class CohortQuery(Request):
    since: Month | None = None
    until: Month | None = None
    format: ChartFormat = "json"


class AnalyticsResult(Response):
    """One analytics result: its parameters, a table (``items``, the rows CSV / XLSX export), and
    any figures that belong to the result as a whole (``summary``)."""

    kind: str
    parameters: dict[str, Any]
    summary: dict[str, Any] = Field(default_factory=dict)
    items: list[dict[str, Any]]


class ApprovedWeights(Response):
    role_family: RoleFamily
    weights: dict[str, float]
    cycle_id: str
    expected_gain: float | None = None
    reason: str
    approved_by: str
    approved_at: str
    version: int
