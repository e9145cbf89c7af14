"""Interviewers' availability for second interviews (``INTERVIEWER#<username>`` / ``AVAILABILITY``):
the slots HR enters for each interviewer; a slot given to an invitation is booked by its application."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field, field_validator

from shared.models.common import Model, Request, Response


class SlotInput(Request):
    starts_at: datetime = Field(description="the slot's start, with its time zone")
    minutes: int = Field(default=60, ge=15, le=240, description="the slot's length")

    @field_validator("starts_at")
    @classmethod
    def _zoned(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("needs a time zone, e.g. 2027-01-11T09:00:00+08:00")
        return value


class AvailabilityUpdate(Request):
    """The interviewer's free slots (replacing the free ones entered before; booked slots stay)."""

    slots: list[SlotInput] = Field(max_length=200)
    version: int | None = Field(default=None, ge=1, description="the version you read (409 when stale)")


class Slot(Model):
    starts_at: str  # ISO-8601, UTC
    minutes: int
    booked_by: str | None = None  # the application invited to it


class Availability(Response):
    username: str
    slots: list[Slot]
    version: int = 0
    updated_at: str | None = None
    updated_by: str | None = None
