"""Settings fail fast: every setting an Output provides is required, and a function without one fails
its cold start naming the variable; tunables keep their defaults."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from infra.outputs import OUTPUT_TO_ENV
from shared.settings import (
    MissingSettings,
    Settings,
    check_at_cold_start,
    env_name,
    get_settings,
    required_settings,
    reset_settings,
)
from tests.support.settings import complete_environment

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def bare_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """No setting in the environment, the cache forgotten before and after."""
    for name in Settings.model_fields:
        monkeypatch.delenv(env_name(name), raising=False)
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME", raising=False)
    reset_settings()
    yield monkeypatch
    reset_settings()


def test_the_required_settings_are_exactly_those_the_templates_outputs_provide() -> None:
    # Given the settings the template's Outputs set on every function
    from_outputs = {env.lower() for env in OUTPUT_TO_ENV.values()} & set(Settings.model_fields)
    # Then each of them is required (no default hides a missing one) and nothing else is
    assert set(required_settings()) == from_outputs
    assert {"table_name", "bucket_name", "user_pool_id", "field_key_arn"} <= from_outputs


def test_a_missing_setting_is_refused_naming_each_variable(bare_env: pytest.MonkeyPatch) -> None:
    # Given every required setting but two
    env = complete_environment()
    del env["TABLE_NAME"], env["ESIGN_QUEUE_URL"]
    for key, value in env.items():
        bare_env.setenv(key, value)
    # When the settings are read / Then the error names both variables
    with pytest.raises(MissingSettings, match="TABLE_NAME, ESIGN_QUEUE_URL"):
        get_settings()


def test_complete_settings_read_with_the_tunables_defaults(bare_env: pytest.MonkeyPatch) -> None:
    # Given every required setting
    for key, value in complete_environment().items():
        bare_env.setenv(key, value)
    # When they are read / Then the values are those of the environment, the tunables their defaults
    settings = get_settings()
    assert settings.table_name == "value-of-table_name" and settings.audit_retention_days == 42
    assert settings.max_body_bytes == 1_048_576 and settings.video_fetch_allow_private is False


def test_mfa_required_groups_are_read_as_a_set(bare_env: pytest.MonkeyPatch) -> None:
    # Given every required setting, the groups that must use TOTP among them
    for key, value in complete_environment().items():
        bare_env.setenv(key, value)
    bare_env.setenv("MFA_REQUIRED_GROUPS", " hr,it ")
    # Then they are read as a set of groups
    assert get_settings().mfa_groups == {"hr", "it"}
    # And empty (the parameter's "nobody") is no group at all
    bare_env.setenv("MFA_REQUIRED_GROUPS", "")
    reset_settings()
    assert get_settings().mfa_groups == frozenset()


def test_the_cold_start_check_runs_in_lambda_only(bare_env: pytest.MonkeyPatch) -> None:
    # Given no settings at all: outside Lambda (tests, packaging, the OpenAPI tool) nothing is read
    check_at_cold_start()
    # When the same happens in a Lambda function / Then it fails there and then
    bare_env.setenv("AWS_LAMBDA_FUNCTION_NAME", "talent-lifecycle-dev")
    with pytest.raises(MissingSettings, match="TABLE_NAME"):
        check_at_cold_start()


def test_a_function_without_a_setting_fails_its_cold_start_naming_it() -> None:
    # Given a Lambda environment with every setting but the table's
    env = {k: v for k, v in os.environ.items() if k.lower() not in Settings.model_fields}
    env |= complete_environment() | {"AWS_LAMBDA_FUNCTION_NAME": "talent-lifecycle-dev", "AWS_REGION": "us-east-1"}
    del env["TABLE_NAME"]
    # When the function's code is loaded (what Lambda does on a cold start)
    run = subprocess.run([sys.executable, "-c", "import app"], cwd=ROOT, env=env, capture_output=True, text=True)
    # Then loading fails, and the error names the missing variable
    assert run.returncode != 0
    assert "MissingSettings" in run.stderr and "TABLE_NAME" in run.stderr
    # And with it set, the same function starts
    env["TABLE_NAME"] = "talent"
    ok = subprocess.run([sys.executable, "-c", "import app"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
