"""The competency radar of an application: AI scores against the requisition's bar."""

from __future__ import annotations

from typing import Literal

from shared.models.common import Request, Response


class RadarQuery(Request):
    format: Literal["json", "svg"] = "json"


class RadarAxisView(Response):
    dimension: str
    label: str
    weight: float
    score: float | None
    bar: float | None
    strength: bool
    weak: bool


class RadarSummary(Response):
    """The radar of an AI result: its axes, the flags and the rule that sets them, the scores."""

    dimensions: list[RadarAxisView]
    strengths: list[str]
    weak: list[str]
    rule: str
    overall_score: float
    weighted_score: float


class RadarView(RadarSummary):
    application_id: str
    requisition_id: str
    model_version: str
    completed_at: str
