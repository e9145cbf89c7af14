"""Typed domain exceptions: each has a stable ``code``, a message and details, and no HTTP status.
The HTTP edge maps them to a status and the error body in exactly one place
(``functions.http.STATUS`` and ``error_response``)."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


class DomainError(Exception):
    code = "bad_request"

    def __init__(self, message: str, details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []


class ValidationFailed(DomainError):
    code = "validation_error"


class Unauthenticated(DomainError):
    code = "unauthenticated"


class Forbidden(DomainError):
    code = "forbidden"


class NotFound(DomainError):
    code = "not_found"


class Conflict(DomainError):
    code = "conflict"


class PayloadTooLarge(DomainError):
    code = "payload_too_large"


class UnsupportedMediaType(DomainError):
    code = "unsupported_media_type"


class TooManyRequests(DomainError):
    """Too many attempts from one caller (sign-in): retry after ``retry_after`` seconds."""

    code = "too_many_requests"

    def __init__(self, message: str, retry_after: int, details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message, details)
        self.retry_after = retry_after


class ServiceUnavailable(DomainError):
    code = "service_unavailable"

    def __init__(self, message: str, retry_after: int = 1) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def validation_details(exc: ValidationError) -> list[dict[str, Any]]:
    """pydantic's errors as our ``details``: which field (dotted path; ``body`` for the whole) and why."""
    details = []
    for err in exc.errors(include_url=False, include_input=False):
        field = ".".join(str(p) for p in err["loc"]) or "body"
        details.append({"field": field, "message": err["msg"].removeprefix("Value error, "), "type": err["type"]})
    return details


def validated(model: type[M], payload: Any, what: str) -> M:
    """``model`` from ``payload``, or 400 "<what> is not valid" naming every bad field."""
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        raise ValidationFailed(f"{what} is not valid", validation_details(exc)) from exc


def found(value: T | None, what: str) -> T:
    """``value``, or ``NotFound`` "<what> does not exist" when there is none."""
    if value is None:
        raise NotFound(f"{what} does not exist")
    return value
