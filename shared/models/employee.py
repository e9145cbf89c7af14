"""A hire: the record onboarding creates from a signed offer and probation and performance build on.

Stored as ``EMP#<id>`` / ``META`` in the talent table; the id is the application's id (one hire per
application), so every section of a person's history stays addressable by one id. Sections
(onboarding tasks, training plan, probation goals and progress, departure) are further items of
the ``EMP#<id>`` partition, each owned by its feature.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import ConfigDict, Field

from shared.models.common import Dimension, Model, RoleFamily


class Employee(Model):
    model_config = ConfigDict(extra="ignore")

    id: str = Field(description="the application id of the hire")
    offer_id: str
    application_id: str
    requisition_id: str
    name: str
    email: str
    department: str
    role_family: RoleFamily
    title: str
    grade: str
    start_date: date
    status: Literal["onboarding", "active", "departed"] = "onboarding"
    dimension_scores: dict[Dimension, float] = Field(
        default_factory=dict, description="the latest AI interview scores per dimension"
    )
    competency_bar: dict[Dimension, int] = Field(default_factory=dict, description="the requisition's bar")
    dimension_weights: dict[Dimension, float] = Field(
        default_factory=dict, description="the requisition's interview weights: how this hire was scored"
    )
    person_id: str | None = Field(default=None, description="the person's talent archive (GET /people/{id})")
    created_at: str
    version: int = 1


def employee_key(employee_id: str) -> dict[str, str]:
    return {"pk": f"EMP#{employee_id}", "sk": "META"}
