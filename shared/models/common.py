from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Generic, Literal, TypeVar
from uuid import uuid4

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

T = TypeVar("T")

# Trimmed, non-empty text of bounded length.
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(max_length=100_000)]


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


class RoleFamily(StrEnum):
    customer_manager = "customer_manager"  # 客户经理
    risk_manager = "risk_manager"  # 风险经理
    teller_operations = "teller_operations"  # 柜员 / 运营
    it_data = "it_data"  # 信息科技 / 数据


class Dimension(StrEnum):
    logic = "logic"
    expression = "expression"
    customer_orientation = "customer_orientation"
    risk_awareness = "risk_awareness"
    innovation = "innovation"
    teamwork = "teamwork"
    stress_tolerance = "stress_tolerance"
    data_analysis = "data_analysis"


class Page(Response, Generic[T]):
    items: list[T]
    next_token: str | None = None


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(ts: datetime) -> str:
    return ts.astimezone(UTC).isoformat().replace("+00:00", "Z")


def new_id() -> str:
    return uuid4().hex


Limit = Annotated[int, Field(ge=1, le=200)]


class Health(Response):
    status: Literal["ok"]
