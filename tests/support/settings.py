"""Settings for tests that run without a stack: a value for every required setting."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from shared.settings import Settings, env_name, required_settings, reset_settings


def complete_environment() -> dict[str, str]:
    """A value for every required setting (what the stack's Outputs give)."""
    return {env_name(name): "42" if name.endswith("_days") else f"value-of-{name}" for name in required_settings()}


def use_complete_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every required setting set to a placeholder, tunables at their defaults; the cache forgotten
    before and after. Yield from it in a fixture."""
    for name in Settings.model_fields:
        monkeypatch.delenv(env_name(name), raising=False)
    for key, value in complete_environment().items():
        monkeypatch.setenv(key, value)
    reset_settings()
    yield
    reset_settings()
