"""Checking a local fix of moto against moto itself: the same scenario on a fresh backend, once as
moto is and once with the fix applied."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import pytest

from tests.support.stack import REGION


class Fix(Protocol):
    def apply(self) -> None: ...

    def revert(self) -> None: ...


def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Credentials and a region for moto's in-process mock, and no endpoint that would send boto3
    elsewhere."""
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)


def plain_and_fixed(fix: Fix, scenario: Callable[[], Any]) -> tuple[Any, Any]:
    """``scenario()`` (which opens its own mock) on moto as it is, then with ``fix`` applied."""
    plain = scenario()
    fix.apply()
    try:
        return plain, scenario()
    finally:
        fix.revert()
