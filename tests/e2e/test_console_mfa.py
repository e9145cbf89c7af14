"""Two-step sign-in in the browser, on a local stack whose interviewers must use TOTP
(``--mfa-required-groups interviewer``): refused by the API, the console opens its 账户安全 page,
the person enrols an authenticator app there (the console calls the local pool with their access
token), signs in again with the app's code at the hosted page, and works."""

from __future__ import annotations

from typing import Any

import pyotp

from infra.local.cognito import DEMO_PASSWORD
from tests.support.browser import PHONE, USERS, horizontal_overflow, raw_enums, shot
from tests.support.running import RunningStack

STACK_OPTIONS = ["--mfa-required-groups", "interviewer"]


def test_an_interviewer_who_must_use_totp_enrols_on_the_console_and_signs_in_with_the_code(
    signed_in: Any, stack: RunningStack
) -> None:
    # Given an interviewer, a group that must use TOTP, signed in with the password alone
    page = signed_in("interviewer")
    sent: list[Any] = []
    page.on("request", lambda request: sent.append(request))

    # Then the API refuses their first page and the console opens the two-step sign-in page
    page.wait_for_url("**/console/#/security")
    page.locator("[data-testid=mfa-disabled]").wait_for()

    # When they set up an authenticator app with the key the page shows and its current code
    page.click("[data-testid=mfa-start]")
    app = pyotp.TOTP(page.locator("[data-testid=mfa-secret]").inner_text().strip())
    shot(page, "security-enrol")
    uri = page.locator("[data-testid=mfa-uri]").inner_text()
    assert uri.startswith("otpauth://totp/") and f"secret={app.secret}" in uri
    page.fill("[data-testid=mfa-code]", app.now())
    page.click("[data-testid=mfa-verify]")
    page.locator("[data-testid=mfa-enabled]").wait_for()
    # Then the enrolment went to the pool's API (with the access token), never to ours
    targets = [r.headers.get("x-amz-target", "") for r in sent if r.url.startswith(stack.url("moto"))]
    assert [t.rsplit(".", 1)[-1] for t in targets if t] == [
        "GetUser",
        "AssociateSoftwareToken",
        "VerifySoftwareToken",
        "SetUserMFAPreference",
    ]
    assert not [r for r in sent if r.url.startswith(stack.api_url) and "AccessToken" in (r.post_data or "")]

    # When they sign out and in again: the hosted page asks for the app's code after the password
    page.click("[data-testid=mfa-sign-in-again]")
    page.locator("[data-testid=signin]").wait_for()
    page.click("[data-testid=signin] button[type=submit]")
    page.fill("input[name=username]", USERS["interviewer"])
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.fill("input[name=totp]", app.now())
    shot(page, "sign-in-code")
    page.click("button[type=submit]")

    # Then the console answers them: their assignments, and the two-step page says it is on
    page.locator("[data-testid=application-id]").wait_for()
    page.goto(f"{stack.api_url}/console/#/security")
    page.locator("[data-testid=mfa-enabled]").wait_for()
    # And on a 390 px phone the page fits, in Chinese, with no raw value
    page.set_viewport_size(PHONE)
    assert horizontal_overflow(page) == 0
    assert raw_enums(page) == []
    shot(page, "security-phone")
