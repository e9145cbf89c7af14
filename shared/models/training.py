"""The course catalogue (HR-maintained) and a hire's training plan with the manager's reassessments.

A plan covers every interview dimension whose AI score is below the requisition's bar; each gets
courses from the catalogue and a reassessment due one month after the start date.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints

from shared.models.common import CatalogueEntry, Dimension, Model, Request, Response, Version

CourseTitle = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200)]
CourseText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=1_000)]
CourseFormat = Literal["online", "classroom", "workshop"]


class CourseContent(Request):
    title_zh: CourseTitle = Field(description="课程名称")
    title_en: CourseTitle
    description_zh: CourseText
    description_en: CourseText
    hours: float = Field(gt=0, le=200)
    format: CourseFormat


class CourseCreate(CourseContent):
    """A new course for one dimension (hr). The dimension is fixed for the course's life."""

    dimension: Dimension


class CourseUpdate(CourseContent):
    version: Version


class CourseRetire(Request):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=500)]
    version: Version


class Course(CatalogueEntry):
    """A course as the catalogue holds it (a seed entry, or the stored item that overrides it)."""

    model_config = ConfigDict(extra="ignore")

    course_id: str
    dimension: Dimension
    title_zh: str
    title_en: str
    description_zh: str
    description_en: str
    hours: float
    format: CourseFormat
    retired_reason: str | None = None


class CourseView(Course):
    """A course as the API shows it."""


class CourseQuery(Request):
    dimension: Dimension | None = None
    status: Literal["active", "retired", "all"] = "active"


class CourseList(Response):
    """The whole catalogue (optionally one dimension): bounded, not paginated."""

    dimension: Dimension | None
    status: Literal["active", "retired", "all"]
    items: list[CourseView]


class PlannedCourse(Model):
    course_id: str
    title_zh: str
    title_en: str
    hours: float
    format: CourseFormat


class Assessment(Model):
    dimension: Dimension
    score: float
    comment: str
    assessed_by: str
    assessed_at: str


class PlanDimension(Model):
    dimension: Dimension
    score: float = Field(description="the AI interview score")
    weighted_score: float | None = Field(
        default=None, description="the AI score weighed by the check's confidence (planned when below the bar)"
    )
    bar: int = Field(description="the requisition's bar")
    courses: list[PlannedCourse]
    reassess_due: date
    assessments: list[Assessment] = Field(default_factory=list)


class PlanContent(Model):
    """Whose plan it is, its dimensions and why (the stored plan and its view alike)."""

    employee_id: str
    name: str
    department: str
    title: str
    start_date: date
    dimensions: list[PlanDimension]
    basis_zh: str = ""
    basis_en: str = ""


class TrainingPlan(PlanContent):
    """The stored plan (``EMP#<id>`` / ``TRAINING``)."""

    model_config = ConfigDict(extra="ignore")

    reminded_at: str | None = None
    created_at: str
    version: int = 1

    def pending(self) -> list[PlanDimension]:
        """Dimensions not reassessed yet."""
        return [d for d in self.dimensions if not d.assessments]


class TrainingPlanView(Response, PlanContent):
    reminded_at: str | None
    version: int


class AssessmentCreate(Request):
    """The manager's reassessment of one planned dimension after the first month."""

    dimension: Dimension
    score: float = Field(ge=0, le=100)
    comment: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2_000)]
