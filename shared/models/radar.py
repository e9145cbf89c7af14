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


class RadarView(Response):
    application_id: str
    requisition_id: str
    dimensions: list[RadarAxisView]
    strengths: list[str]
    weak: list[str]
    rule: str
    overall_score: float
    weighted_score: float
    model_version: str
    completed_at: str
