"""The competency indicator library (能力指标库): per role family and interview dimension, the KPIs a
performance cycle sets targets on, each with its baseline target, how far interview scores move it
and how an actual value scores against it (``shared/domain/performance.py``)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints

from shared.models.common import Dimension, Model, Request, Response, RoleFamily, Version

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=120)]
Unit = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]


Direction = Literal["higher", "lower"]
"""higher is better (satisfaction, clients acquired) or lower is better (complaint rate, turnaround days)"""


class ScoringRule(StrEnum):
    """How an actual value scores against its target (0–100; the target met exactly = 80).

    * ``proportional``: 80 × achievement, capped at 100; achievement = actual / target (higher is
      better) or target / actual (lower is better).
    * ``stepped``: met → 80 plus 5 per full 1 % above target (max 100); missed → 80 minus 10 per
      started 1 % below target (min 0). For rates that sit near 100 % where 1 % matters."""

    proportional = "proportional"
    stepped = "stepped"


class KpiContent(Request):
    name_zh: Name = Field(description="the KPI in Chinese, e.g. 客户满意度评分")
    name_en: Name = Field(description="its English name")
    unit: Unit = Field(description="e.g. score, %, ‰, clients, days")
    direction: Direction
    baseline_target: float = Field(ge=0, le=1_000_000, description="the role baseline target (岗位基准目标)")
    adjust_per_point: float = Field(
        ge=0, le=10_000, description="how far the target moves per interview point away from the cycle's pivot"
    )
    decimals: int = Field(default=0, ge=0, le=3, description="targets are rounded to this many decimals")
    scoring_rule: ScoringRule = ScoringRule.proportional
    weight: float = Field(default=1.0, gt=0, le=100, description="relative weight in the cycle score")


class KpiCreate(KpiContent):
    """A new KPI for one role family and interview dimension (hr); both are fixed for its life."""

    role_family: RoleFamily
    dimension: Dimension


class KpiUpdate(KpiContent):
    """The KPI's new content (hr), with the version read; ``status`` retires or reactivates it."""

    status: Literal["active", "retired"] = "active"
    version: Version


class Kpi(Model):
    model_config = ConfigDict(extra="ignore")

    kpi_id: str
    role_family: RoleFamily
    dimension: Dimension
    name_zh: str
    name_en: str
    unit: str
    direction: Direction
    baseline_target: float
    adjust_per_point: float
    decimals: int = 0
    scoring_rule: ScoringRule = ScoringRule.proportional
    weight: float = 1.0
    origin: Literal["seed", "hr"]
    status: Literal["active", "retired"] = "active"
    version: int = 1
    updated_at: str | None = None
    updated_by: str | None = None


class KpiView(Kpi):
    """A KPI as the API shows it."""


class KpiQuery(Request):
    role_family: RoleFamily
    dimension: Dimension | None = None
    status: Literal["active", "retired", "all"] = "active"


class KpiList(Response):
    role_family: RoleFamily
    dimension: Dimension | None
    status: Literal["active", "retired", "all"]
    items: list[KpiView]
