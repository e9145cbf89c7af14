from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Generic, Literal, TypeVar
from uuid import uuid4

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from shared import clock

# The vocabulary's enums most models use, importable from here as well (defined in shared/vocabulary.py).
from shared.vocabulary import Dimension as Dimension
from shared.vocabulary import RoleFamily as RoleFamily

T = TypeVar("T")

# Trimmed, non-empty text of bounded length.
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(max_length=100_000)]
Limit = Annotated[int, Field(ge=1, le=200)]


class Model(BaseModel):
    """Base of the product's models. The validator and serializer of a model are built on its first use,
    not when its module is imported: the API function defines every model of every route, and a cold
    start builds only those its first request touches."""

    model_config = ConfigDict(defer_build=True)


class Request(Model):
    """Base of every request body: unknown fields are an error, never silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Response(Model):
    model_config = ConfigDict(extra="ignore")


class CatalogueEntry(Model):
    """What an entry of a catalogue HR maintains records besides its content: a seed entry or HR's,
    active or retired, its version and who changed it last."""

    origin: Literal["seed", "hr"]
    status: Literal["active", "retired"] = "active"
    version: int = 1
    updated_at: str | None = None
    updated_by: str | None = None


class PageQuery(Request):
    """A page of a list: at most ``limit`` items, after the ``next_token`` of the page before."""

    limit: Limit = 50
    next_token: str | None = Field(default=None, max_length=2048)


class Page(Response, Generic[T]):
    items: list[T]
    next_token: str | None = None


# Business time, from the one clock (shared/clock.py; moved forward on the local stack only).
utcnow = clock.now


def iso(ts: datetime) -> str:
    return ts.astimezone(UTC).isoformat().replace("+00:00", "Z")


def new_id() -> str:
    return uuid4().hex


Month = Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
Version = Annotated[int, Field(ge=1, description="the version you read; a stale one is answered 409")]


class Health(Response):
    status: Literal["ok"]
