"""Typed domain exceptions: each has a stable ``code``, a message and details, and no HTTP status.
The HTTP edge maps them to a status and the error body in exactly one place
(``functions.http.STATUS`` and ``error_response``)."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


class DomainError(Exception):
    """A refusal the caller can act on: a stable ``code``, a message and ``details`` (which field, why).
    A subclass names its code in its header: ``class NotFound(DomainError, code="not_found")``."""

    code = "bad_request"

    def __init_subclass__(cls, code: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if code:
            cls.code = code

    def __init__(self, message: str, details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []


class ValidationFailed(DomainError, code="validation_error"):
    """The input is not valid; ``details`` names every bad field and why."""


class Unauthenticated(DomainError, code="unauthenticated"):
    """The caller is not signed in: no bearer token, or one that is not valid; or a sign-in that failed
    (a wrong name or password)."""


class Forbidden(DomainError, code="forbidden"):
    """The caller's role, department or assignment does not allow the action (audited as ``access.denied``)."""


class MfaRequired(Forbidden, code="mfa_required"):
    """A member of a group that must use TOTP (``MfaRequiredGroups``) who has not enrolled an authenticator app."""


class NotFound(DomainError, code="not_found"):
    """The object named does not exist."""


class Conflict(DomainError, code="conflict"):
    """The object's state does not allow the change: a stale version, a stage the action does not
    start from, a duplicate; ``details`` says what stands in the way."""


class PayloadTooLarge(DomainError, code="payload_too_large"):
    """The body is larger than the limit (``max_body_bytes``)."""


class UnsupportedMediaType(DomainError, code="unsupported_media_type"):
    """The body is not of the media type the route reads (``application/json``)."""


class TooManyRequests(DomainError, code="too_many_requests"):
    """Too many attempts from one caller (sign-in): retry after ``retry_after`` seconds."""

    def __init__(self, message: str, retry_after: int, details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message, details)
        self.retry_after = retry_after


class ServiceUnavailable(DomainError, code="service_unavailable"):
    """A dependency is busy or failing after its retries: try again after ``retry_after`` seconds."""

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
