"""The local stack's hosted sign-in pages (``infra/local/hosted_ui.py``) keep the rules of the
authorization code flow with PKCE that Cognito's managed login keeps in AWS: the console's callback
only, S256 challenges only, one-time codes that expire, the verifier checked against the challenge."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

import boto3
import pyotp
import pytest

from infra.local.cognito import DEMO_PASSWORD, LOCAL_CONSOLE_URL
from infra.local.hosted_ui import CODE_SECONDS, HostedSignIn
from tests.support.sign_in import Pkce, answer_code, authorize_form, code_of, exchange, request, submit_password
from tests.support.stack import Stack

CONSOLE = LOCAL_CONSOLE_URL


def signed_code(pages: HostedSignIn, pkce: Pkce, username: str = "hr.demo") -> str:
    return code_of(submit_password(pages.url, pages.client_id, CONSOLE, pkce, username, DEMO_PASSWORD), pkce)


def test_a_code_is_exchanged_once_and_only_with_its_verifier_and_redirect(hosted_sign_in: HostedSignIn) -> None:
    pages, client = hosted_sign_in, hosted_sign_in.client_id
    # Given a code issued for a challenge, and an attacker who has the code but not the verifier
    pkce = Pkce.new()
    code = signed_code(pages, pkce)
    stolen = exchange(pages.url, client, CONSOLE, code, Pkce.new().verifier)
    # Then the wrong verifier is invalid_grant, and the code is spent with it (one exchange, whatever the outcome)
    assert stolen.status == 400 and stolen.json["error"] == "invalid_grant"
    assert exchange(pages.url, client, CONSOLE, code, pkce.verifier).json["error"] == "invalid_grant"
    # Given a fresh code, when it is exchanged for another redirect_uri: invalid_grant
    pkce = Pkce.new()
    code = signed_code(pages, pkce)
    other = exchange(pages.url, client, "http://127.0.0.1:8000/elsewhere/", code, pkce.verifier)
    assert other.status == 400 and other.json["error"] == "invalid_grant"
    # When a code is exchanged with its verifier and redirect_uri: the tokens, once
    pkce = Pkce.new()
    code = signed_code(pages, pkce)
    tokens = exchange(pages.url, client, CONSOLE, code, pkce.verifier)
    assert tokens.status == 200 and tokens.json["token_type"] == "Bearer"
    assert tokens.json["id_token"].count(".") == 2 and tokens.headers["Cache-Control"] == "no-store"
    again = exchange(pages.url, client, CONSOLE, code, pkce.verifier)
    assert again.status == 400 and again.json["error"] == "invalid_grant"


def test_bad_token_requests_get_the_oauth_error_and_no_tokens(hosted_sign_in: HostedSignIn) -> None:
    pages = hosted_sign_in
    token_url = f"{pages.url}/oauth2/token"
    cases = {
        "unsupported_grant_type": {"grant_type": "password", "username": "hr.demo", "password": DEMO_PASSWORD},
        "invalid_request": {"grant_type": "authorization_code", "client_id": pages.client_id, "code": "x"},
        "invalid_client": {
            "grant_type": "authorization_code",
            "client_id": "someone-else",
            "code": "x",
            "redirect_uri": CONSOLE,
            "code_verifier": "v" * 43,
        },
        "invalid_grant": {
            "grant_type": "authorization_code",
            "client_id": pages.client_id,
            "code": "made-up",
            "redirect_uri": CONSOLE,
            "code_verifier": "v" * 43,
        },
    }
    for error, form in cases.items():
        answer = request("POST", token_url, form)
        assert answer.status == 400, error
        assert answer.json["error"] == error and answer.json["error_description"]
        assert "id_token" not in answer.body


def test_the_sign_in_page_refuses_foreign_clients_redirects_and_plain_challenges(
    hosted_sign_in: HostedSignIn,
) -> None:
    pages, pkce = hosted_sign_in, Pkce.new()
    good = authorize_form(pages.client_id, CONSOLE, pkce)
    # Given the console's own request: the page, with no script, posting to itself
    page = request("GET", f"{pages.url}/oauth2/authorize?{urlencode(good)}")
    assert page.status == 200 and 'name="password"' in page.body and "<script" not in page.body
    assert "form-action 'self'" in page.headers["Content-Security-Policy"]
    # When the request names another redirect, client, response type or a plain challenge
    bad = [
        good | {"redirect_uri": "https://attacker.example/console/"},
        good | {"client_id": "someone-else"},
        good | {"response_type": "token"},
        good | {"code_challenge_method": "plain"},
        {k: v for k, v in good.items() if k != "code_challenge"},
    ]
    for query in bad:
        # Then the page says why and never redirects, and a posted password is not checked either
        shown = request("GET", f"{pages.url}/oauth2/authorize?{urlencode(query)}")
        assert shown.status == 400 and "Location" not in shown.headers
        posted = request(
            "POST", f"{pages.url}/oauth2/authorize", query | {"username": "hr.demo", "password": DEMO_PASSWORD}
        )
        assert posted.status == 400 and "Location" not in posted.headers


def test_sign_out_returns_only_to_the_consoles_address(hosted_sign_in: HostedSignIn) -> None:
    pages = hosted_sign_in
    back = request("GET", f"{pages.url}/logout?{urlencode({'client_id': pages.client_id, 'logout_uri': CONSOLE})}")
    assert back.status == 302 and back.headers["Location"] == CONSOLE
    away = {"client_id": pages.client_id, "logout_uri": "https://attacker.example/"}
    refused = request("GET", f"{pages.url}/logout?{urlencode(away)}")
    assert refused.status == 400 and "Location" not in refused.headers


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clocked(stack: Stack) -> Iterator[tuple[HostedSignIn, Clock]]:
    clock = Clock()
    pages = HostedSignIn(
        boto3.client("cognito-idp", region_name="us-east-1"), stack.pool_id, stack.client_id, clock=clock
    ).start()
    yield pages, clock
    pages.stop()


def test_a_code_expires(clocked: tuple[HostedSignIn, Clock]) -> None:
    pages, clock = clocked
    # Given a code, when it is exchanged after its lifetime
    pkce = Pkce.new()
    code = signed_code(pages, pkce)
    clock.now += CODE_SECONDS + 1
    late = exchange(pages.url, pages.client_id, CONSOLE, code, pkce.verifier)
    # Then it is invalid_grant
    assert late.status == 400 and late.json["error"] == "invalid_grant"


def test_an_enrolled_user_is_asked_for_the_authenticator_code(
    hosted_sign_in: HostedSignIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages, idp = hosted_sign_in, hosted_sign_in.cognito
    # Given a pool with optional TOTP MFA whose codes are checked (moto's TOTP mode, as Cognito checks
    # them) and a manager who enrolled an authenticator app with their own access token
    monkeypatch.setenv("MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP", "true")
    idp.set_user_pool_mfa_config(
        UserPoolId=pages.pool_id, SoftwareTokenMfaConfiguration={"Enabled": True}, MfaConfiguration="OPTIONAL"
    )
    access = idp.admin_initiate_auth(
        UserPoolId=pages.pool_id,
        ClientId=pages.client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "manager.demo", "PASSWORD": DEMO_PASSWORD},
    )["AuthenticationResult"]["AccessToken"]
    app = pyotp.TOTP(idp.associate_software_token(AccessToken=access)["SecretCode"])
    idp.verify_software_token(AccessToken=access, UserCode=app.now())
    idp.set_user_mfa_preference(AccessToken=access, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})

    # When the manager gives the right password: the page asks for the code, nothing is issued yet
    pkce = Pkce.new()
    asked = submit_password(pages.url, pages.client_id, CONSOLE, pkce, "manager.demo", DEMO_PASSWORD)
    assert asked.status == 200 and 'name="totp"' in asked.body and "Location" not in asked.headers
    # And a wrong code is refused (401) and spends the step: the password must be given again
    wrong = answer_code(pages.url, asked.body, "000000" if app.now() != "000000" else "111111")
    assert wrong.status == 401 and "验证码错误" in wrong.body and "Location" not in wrong.headers
    assert answer_code(pages.url, asked.body, app.now()).status == 401
    # Then with the password again and the app's current code: back to the console with a code
    asked = submit_password(pages.url, pages.client_id, CONSOLE, pkce, "manager.demo", DEMO_PASSWORD)
    code = code_of(answer_code(pages.url, asked.body, app.now()), pkce)
    tokens = exchange(pages.url, pages.client_id, CONSOLE, code, pkce.verifier)
    assert tokens.status == 200 and tokens.json["id_token"]
    # And a user who did not enrol signs in with the password alone, as before
    assert submit_password(pages.url, pages.client_id, CONSOLE, Pkce.new(), "hr.demo", DEMO_PASSWORD).status == 302
