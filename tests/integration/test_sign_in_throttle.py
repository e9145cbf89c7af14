"""Sign-in is throttled at the hosted sign-in pages (the local stack's ``infra/local/hosted_ui.py``
with ``shared/services/sign_in.py``): failed attempts per user name and per source address in a
fixed window, then 429 with ``Retry-After`` without checking the password."""

from __future__ import annotations

import pytest

from infra.local.cognito import DEMO_PASSWORD, LOCAL_CONSOLE_URL
from infra.local.hosted_ui import HostedSignIn
from shared.settings import get_settings, reset_settings
from shared.store import aws
from tests.support.sign_in import Answer, Pkce, submit_password


def attempt(pages: HostedSignIn, username: str, password: str) -> Answer:
    return submit_password(pages.url, pages.client_id, LOCAL_CONSOLE_URL, Pkce.new(), username, password)


@pytest.fixture
def cognito_calls(hosted_sign_in: HostedSignIn) -> list[str]:
    calls: list[str] = []
    hosted_sign_in.cognito.meta.events.register(
        "before-call.cognito-idp.AdminInitiateAuth", lambda model, **_: calls.append(model.name)
    )
    return calls


def test_repeated_wrong_passwords_are_429_with_retry_after_and_cognito_is_not_asked(
    hosted_sign_in: HostedSignIn, cognito_calls: list[str]
) -> None:
    # Given five wrong passwords for one user (30 in 0.4 s all reached Cognito before, all 401)
    answers = [attempt(hosted_sign_in, "manager.demo", f"wrong-Pass-{n}") for n in range(5)]
    assert [a.status for a in answers] == [401] * 5
    asked = len(cognito_calls)
    # When the user tries again, even with the right password
    locked = [
        attempt(hosted_sign_in, "manager.demo", "wrong-Pass-9"),
        attempt(hosted_sign_in, "MANAGER.demo", DEMO_PASSWORD),
    ]
    # Then each is 429 with Retry-After (until the window ends) and says why, and Cognito is not asked
    for answer in locked:
        assert answer.status == 429
        assert 1 <= int(answer.headers["Retry-After"]) <= 900
        assert "too many failed sign-in attempts" in answer.body
        assert "Location" not in answer.headers
    assert len(cognito_calls) == asked
    # And another user signs in as before (a redirect back to the console with a code)
    assert attempt(hosted_sign_in, "hr.demo", DEMO_PASSWORD).status == 302


def test_a_success_clears_the_users_count_and_an_address_is_limited_across_names(
    hosted_sign_in: HostedSignIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given four failures, then the right password: the user's count starts again
    for n in range(4):
        assert attempt(hosted_sign_in, "it.demo", f"wrong-Pass-{n}").status == 401
    assert attempt(hosted_sign_in, "it.demo", DEMO_PASSWORD).status == 302
    assert [attempt(hosted_sign_in, "it.demo", f"wrong-Pass-{n}").status for n in range(5)] == [401] * 5
    # When one address tries many names (the per-address limit, lowered for the test)
    monkeypatch.setenv("SIGN_IN_FAILURES_PER_ADDRESS", "12")
    reset_settings()
    answers = [attempt(hosted_sign_in, f"nobody{n}", "wrong-Pass-1").status for n in range(4)]
    # Then past its limit (9 failures counted above + 3) every name from it is 429, the right one too
    assert answers == [401, 401, 401, 429]
    assert attempt(hosted_sign_in, "hr.demo", DEMO_PASSWORD).status == 429


def test_the_table_holds_only_hashes_of_who_failed(hosted_sign_in: HostedSignIn) -> None:
    # Given a failed sign-in
    assert attempt(hosted_sign_in, "hr.demo", "wrong-Pass-1").status == 401
    # When the table is read
    items = aws.client("dynamodb").scan(TableName=get_settings().table_name)["Items"]
    counted = [i for i in items if i["pk"]["S"].startswith("SIGNIN#")]
    # Then the name and the address are counted under hashes only, each expiring with its window
    assert len(counted) == 2
    assert all(int(i["failures"]["N"]) == 1 and int(i["expires_at"]["N"]) > 0 for i in counted)
    assert "hr.demo" not in repr(counted) and "127.0.0.1" not in repr(counted)
