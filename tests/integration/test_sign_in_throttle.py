"""Password sign-in is throttled (``shared/services/sign_in.py``): failed attempts per user name and
per source address in a fixed window, then 429 with ``Retry-After`` without asking Cognito."""

from __future__ import annotations

from typing import Any

import pytest

from infra.local.cognito import DEMO_PASSWORD
from shared.settings import reset_settings
from shared.store import aws
from tests.support.api import Api
from tests.support.fuzz import error_body_problem

SESSION = "/auth/session"


def attempt(api: Api, username: str, password: str) -> Any:
    return api.call("POST", SESSION, role=None, body={"username": username, "password": password})


@pytest.fixture
def cognito_calls() -> list[str]:
    calls: list[str] = []
    aws.client("cognito-idp").meta.events.register(
        "before-call.cognito-idp.InitiateAuth", lambda model, **_: calls.append(model.name)
    )
    return calls


def test_repeated_wrong_passwords_are_429_with_retry_after_and_cognito_is_not_asked(
    api: Api, cognito_calls: list[str]
) -> None:
    # Given five wrong passwords for one user (30 in 0.4 s all reached Cognito before, all 401)
    answers = [attempt(api, "manager.demo", f"wrong-Pass-{n}") for n in range(5)]
    assert [a.status_code for a in answers] == [401] * 5
    asked = len(cognito_calls)
    # When the user tries again, even with the right password
    locked = [attempt(api, "manager.demo", "wrong-Pass-9"), attempt(api, "MANAGER.demo", DEMO_PASSWORD)]
    # Then each is 429 with Retry-After (until the window ends) and the error body, and Cognito is not asked
    for answer in locked:
        assert answer.status_code == 429
        assert 1 <= int(answer.headers["Retry-After"]) <= 900
        assert error_body_problem(429, answer.body) is None
        assert answer.data["error"]["code"] == "too_many_requests"
    assert len(cognito_calls) == asked
    # And another user signs in as before
    assert attempt(api, "hr.demo", DEMO_PASSWORD).status_code == 201


def test_a_success_clears_the_users_count_and_an_address_is_limited_across_names(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given four failures, then the right password: the user's count starts again
    for n in range(4):
        assert attempt(api, "it.demo", f"wrong-Pass-{n}").status_code == 401
    assert attempt(api, "it.demo", DEMO_PASSWORD).status_code == 201
    assert [attempt(api, "it.demo", f"wrong-Pass-{n}").status_code for n in range(5)] == [401] * 5
    # When one address tries many names (the per-address limit, lowered for the test)
    monkeypatch.setenv("SIGN_IN_FAILURES_PER_ADDRESS", "12")
    reset_settings()
    answers = [attempt(api, f"nobody{n}", "wrong-Pass-1").status_code for n in range(4)]
    # Then past its limit (9 failures counted above + 3) every name from it is 429, the right one too
    assert answers == [401, 401, 401, 429]
    assert attempt(api, "hr.demo", DEMO_PASSWORD).status_code == 429
