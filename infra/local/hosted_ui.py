"""The local stack's hosted sign-in pages: what Cognito's managed login is in AWS (moto has none).

The console signs in with the authorization code flow and PKCE against either, with the same requests:

* ``GET /oauth2/authorize?response_type=code&client_id&redirect_uri&code_challenge&code_challenge_method=S256&state``:
  a plain sign-in page (user name, password; then the authenticator code for a user who enrolled
  TOTP). The client id and ``redirect_uri`` must be the app client's (its ``CallbackURLs``), else
  the page says so and never redirects; a missing or non-S256 challenge is refused too.
* ``POST /oauth2/authorize`` (the form): the password is checked against the moto pool
  (``ADMIN_USER_PASSWORD_AUTH``, standing in for managed login's own check: the app client enables
  no password flow, which moto does not hold it to), throttled as ``shared/services/sign_in.py`` throttles (429 with
  ``Retry-After``: per user name and per address); on success a 302 to ``redirect_uri?code&state``.
* ``POST /oauth2/token`` (``grant_type=authorization_code``, ``code``, ``redirect_uri``,
  ``client_id``, ``code_verifier``): the tokens moto issued (the same ID token the local stack
  prints), once: a code is good for one exchange within ``CODE_SECONDS``, for the same
  ``redirect_uri`` and client, and only with the verifier whose S256 hash is the challenge;
  otherwise 400 with the OAuth error JSON (``invalid_grant``, ``invalid_request``, ...).
* ``GET /logout?client_id&logout_uri``: a 302 to ``logout_uri`` when it is one of the client's
  ``LogoutURLs``.

The local stack serves it on the API port + 4 (``--sign-in-port``); the API's ``GET /auth/config``
points the console at it (``SIGN_IN_URL``).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from infra.local.loopback import LoopbackServer, LoopbackService, no_such_path
from shared.clock import wall
from shared.errors import TooManyRequests, Unauthenticated

CODE_SECONDS = 300  # an authorization code is good for one exchange within five minutes (as in Cognito)
CHALLENGE_SECONDS = 180  # the TOTP step must follow the password within three minutes
BAD_CREDENTIALS = {"NotAuthorizedException", "UserNotFoundException", "PasswordResetRequiredException"}
OAUTH_FIELDS = (
    "response_type",
    "client_id",
    "redirect_uri",
    "code_challenge",
    "code_challenge_method",
    "state",
    "scope",
)
# No script; the form posts to this page, whose answer redirects to the console (browsers apply
# form-action to that redirect too, so the callbacks' origins are named).
PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' {callbacks}; frame-ancestors 'none'"


def s256(verifier: str) -> str:
    """The PKCE S256 challenge of ``verifier``: base64url (no padding) of its SHA-256."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class OAuthError(Exception):
    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error = error
        self.description = description


@dataclass(frozen=True)
class Grant:
    tokens: dict[str, Any]
    client_id: str
    redirect_uri: str
    challenge: str
    expires_at: float


@dataclass(frozen=True)
class Pending:
    """A password accepted, the authenticator code still to come."""

    username: str
    session: str
    request: dict[str, str]
    expires_at: float


class HostedSignIn(LoopbackService):
    def __init__(
        self,
        cognito: Any,
        pool_id: str,
        client_id: str,
        host: str = "127.0.0.1",
        port: int = 0,
        throttle: Callable[[str, str | None, Callable[[], Any]], Any] | None = None,
        clock: Callable[[], float] = wall,
    ) -> None:
        self.cognito = cognito
        self.pool_id = pool_id
        self.client_id = client_id
        client = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)["UserPoolClient"]
        self.callbacks = set(client.get("CallbackURLs") or [])
        self.logouts = set(client.get("LogoutURLs") or [])
        self.throttle = throttle or _no_throttle
        self.clock = clock
        self.codes: dict[str, Grant] = {}
        self.pending: dict[str, Pending] = {}
        self.lock = threading.Lock()
        self._loopback = LoopbackServer(host, port, self._handler(), "hosted-sign-in", daemon_threads=True)

    # -- the flow ---------------------------------------------------------------------------------

    def check_request(self, request: dict[str, str]) -> None:
        """The authorize request's own faults (``OAuthError``); never redirected to an unknown URI."""
        if request.get("client_id") != self.client_id:
            raise OAuthError("invalid_client", "unknown client_id")
        if request.get("redirect_uri") not in self.callbacks:
            raise OAuthError("redirect_mismatch", "redirect_uri is not a callback URL of the app client")
        if request.get("response_type") != "code":
            raise OAuthError("unsupported_response_type", "response_type must be code")
        if request.get("code_challenge_method") != "S256" or not request.get("code_challenge"):
            raise OAuthError("invalid_request", "a PKCE code_challenge with code_challenge_method S256 is required")

    def sign_in(self, form: dict[str, str], address: str | None) -> tuple[str, str | None]:
        """The form posted: ``("redirect", url)`` on success, ``("mfa", pending id)`` when the TOTP code
        is needed. Raises ``Unauthenticated`` / ``TooManyRequests`` (the page shows them)."""
        request = {k: form.get(k, "") for k in OAUTH_FIELDS}
        self.check_request(request)
        if form.get("mfa"):
            return "redirect", self._second_step(form, request, address)
        username = form.get("username", "").strip()
        password = form.get("password", "")
        if not username or not password:
            raise Unauthenticated("enter your user name and password")
        result = self.throttle(username, address, lambda: self._password(username, password))
        if result.get("ChallengeName") == "SOFTWARE_TOKEN_MFA":
            pending_id = secrets.token_urlsafe(24)
            with self.lock:
                self.pending[pending_id] = Pending(
                    username, result["Session"], request, self.clock() + CHALLENGE_SECONDS
                )
            return "mfa", pending_id
        return "redirect", self._issue(result, request)

    def _second_step(self, form: dict[str, str], request: dict[str, str], address: str | None) -> str:
        with self.lock:
            pending = self.pending.pop(form["mfa"], None)
        if pending is None or pending.expires_at < self.clock() or pending.request != request:
            raise Unauthenticated("the sign-in expired; start again")
        code = form.get("totp", "").strip()

        def answer() -> dict[str, Any]:
            try:
                return dict(
                    self.cognito.admin_respond_to_auth_challenge(
                        UserPoolId=self.pool_id,
                        ClientId=self.client_id,
                        ChallengeName="SOFTWARE_TOKEN_MFA",
                        Session=pending.session,
                        ChallengeResponses={"USERNAME": pending.username, "SOFTWARE_TOKEN_MFA_CODE": code},
                    )
                )
            except self.cognito.exceptions.ClientError as exc:
                if exc.response.get("Error", {}).get("Code") in BAD_CREDENTIALS | {"CodeMismatchException"}:
                    raise Unauthenticated("验证码错误 · wrong authenticator code") from None
                raise

        return self._issue(self.throttle(pending.username, address, answer), request)

    def _password(self, username: str, password: str) -> dict[str, Any]:
        try:
            return dict(
                self.cognito.admin_initiate_auth(
                    UserPoolId=self.pool_id,
                    ClientId=self.client_id,
                    AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                    AuthParameters={"USERNAME": username, "PASSWORD": password},
                )
            )
        except self.cognito.exceptions.ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in BAD_CREDENTIALS:
                raise Unauthenticated("用户名或密码错误 · wrong user name or password") from None
            raise

    def _issue(self, result: dict[str, Any], request: dict[str, str]) -> str:
        auth = result.get("AuthenticationResult")
        if not auth:
            raise Unauthenticated(f"the account needs a step these pages do not offer ({result.get('ChallengeName')})")
        code = secrets.token_urlsafe(32)
        tokens = {
            "id_token": auth["IdToken"],
            "access_token": auth["AccessToken"],
            "expires_in": int(auth.get("ExpiresIn", 3600)),
            "token_type": "Bearer",
        }
        with self.lock:
            self.codes[code] = Grant(
                tokens,
                request["client_id"],
                request["redirect_uri"],
                request["code_challenge"],
                self.clock() + CODE_SECONDS,
            )
        query = {"code": code} | ({"state": request["state"]} if request.get("state") else {})
        return f"{request['redirect_uri']}?{urlencode(query)}"

    def exchange(self, form: dict[str, str]) -> dict[str, Any]:
        """``POST /oauth2/token``: the tokens for a valid code, once (``OAuthError`` otherwise)."""
        if form.get("grant_type") != "authorization_code":
            raise OAuthError("unsupported_grant_type", "grant_type must be authorization_code")
        missing = [f for f in ("code", "redirect_uri", "client_id", "code_verifier") if not form.get(f)]
        if missing:
            raise OAuthError("invalid_request", f"missing {', '.join(missing)}")
        if form["client_id"] != self.client_id:
            raise OAuthError("invalid_client", "unknown client_id")
        with self.lock:
            grant = self.codes.pop(form["code"], None)  # one exchange, whatever its outcome
        if grant is None or grant.expires_at < self.clock():
            raise OAuthError("invalid_grant", "the code is unknown, used or expired")
        if grant.client_id != form["client_id"] or grant.redirect_uri != form["redirect_uri"]:
            raise OAuthError("invalid_grant", "redirect_uri does not match the authorize request")
        if not secrets.compare_digest(s256(form["code_verifier"]), grant.challenge):
            raise OAuthError("invalid_grant", "code_verifier does not match the code_challenge")
        return grant.tokens

    def logout(self, query: dict[str, str]) -> str:
        if query.get("client_id") != self.client_id:
            raise OAuthError("invalid_client", "unknown client_id")
        if query.get("logout_uri") not in self.logouts:
            raise OAuthError("invalid_request", "logout_uri is not a sign-out URL of the app client")
        return query["logout_uri"]

    # -- HTTP -------------------------------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        ui = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def _query(self) -> dict[str, str]:
                return _single(parse_qs(urlsplit(self.path).query))

            def _form(self) -> dict[str, str]:
                length = int(self.headers.get("Content-Length") or 0)
                return _single(parse_qs(self.rfile.read(length).decode("utf-8")))

            def _page(self, status: int, body: str, headers: dict[str, str] | None = None) -> None:
                data = body.encode("utf-8")
                self.send_response(status)
                for name, value in {
                    "Content-Type": "text/html; charset=utf-8",
                    "Content-Length": str(len(data)),
                    "Content-Security-Policy": PAGE_CSP.format(
                        callbacks=" ".join(sorted({_origin(u) for u in ui.callbacks}))
                    ),
                    "Cache-Control": "no-store",
                    "X-Content-Type-Options": "nosniff",
                    **(headers or {}),
                }.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def _redirect(self, location: str) -> None:
                self.send_response(302)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.send_header("Cache-Control", "no-store")
                self.end_headers()

            def _cors(self) -> dict[str, str]:
                origin = self.headers.get("Origin") or ""
                allowed = {_origin(u) for u in ui.callbacks}
                return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"} if origin in allowed else {}

            def do_GET(self) -> None:
                path, query = urlsplit(self.path).path, self._query()
                try:
                    if path == "/oauth2/authorize":
                        request = {k: query.get(k, "") for k in OAUTH_FIELDS}
                        ui.check_request(request)
                        self._page(200, _sign_in_page(request))
                    elif path == "/logout":
                        self._redirect(ui.logout(query))
                    else:
                        no_such_path(self)
                except OAuthError as exc:
                    self._page(400, _error_page(exc.description))

            def do_POST(self) -> None:
                path = urlsplit(self.path).path
                if path == "/oauth2/token":
                    cors = self._cors()
                    try:
                        tokens = ui.exchange(self._form())
                    except OAuthError as exc:
                        self._json(400, {"error": exc.error, "error_description": exc.description}, cors)
                        return
                    self._json(200, tokens, cors)
                    return
                if path != "/oauth2/authorize":
                    no_such_path(self)
                    return
                form = self._form()
                request = {k: form.get(k, "") for k in OAUTH_FIELDS}
                try:
                    outcome, value = ui.sign_in(form, self.client_address[0])
                except OAuthError as exc:
                    self._page(400, _error_page(exc.description))
                    return
                except TooManyRequests as exc:
                    page = _sign_in_page(request, str(exc))
                    self._page(429, page, {"Retry-After": str(exc.retry_after)})
                    return
                except Unauthenticated as exc:
                    self._page(401, _sign_in_page(request, str(exc)))
                    return
                if outcome == "mfa":
                    self._page(200, _sign_in_page(request, mfa=value))
                else:
                    assert value is not None
                    self._redirect(value)

            def _json(self, status: int, body: Any, headers: dict[str, str]) -> None:
                data = json.dumps(body).encode("utf-8")
                self.send_response(status)
                for name, value in {
                    "Content-Type": "application/json",
                    "Content-Length": str(len(data)),
                    "Cache-Control": "no-store",
                    **headers,
                }.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

        return Handler


def _no_throttle(_username: str, _address: str | None, authenticate: Callable[[], Any]) -> Any:
    return authenticate()


def _single(parsed: dict[str, list[str]]) -> dict[str, str]:
    return {k: v[0] for k, v in parsed.items() if v}


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _sign_in_page(request: dict[str, str], error: str = "", mfa: str | None = None) -> str:
    hidden = "".join(f'<input type="hidden" name="{k}" value="{html.escape(v)}">' for k, v in request.items() if v)
    if mfa:
        fields = (
            f'<input type="hidden" name="mfa" value="{html.escape(mfa)}">'
            '<label>验证码 Authenticator code <input name="totp" inputmode="numeric" autocomplete="one-time-code"'
            ' pattern="[0-9]{6}" required autofocus></label>'
        )
    else:
        fields = (
            '<label>用户名 User name <input name="username" autocomplete="username" required autofocus></label>'
            '<label>密码 Password <input name="password" type="password" autocomplete="current-password"'
            " required></label>"
        )
    alert = f'<p class="error" role="alert">{html.escape(error)}</p>' if error else ""
    return _document(
        "登录 Sign in",
        f'<form method="post" action="/oauth2/authorize">{hidden}{fields}'
        f'<button type="submit">登录 Sign in</button>{alert}</form>',
    )


def _error_page(message: str) -> str:
    return _document("登录 Sign in", f'<p class="error" role="alert">{html.escape(message)}</p>')


def _document(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>body{{font:16px sans-serif;max-width:24rem;margin:4rem auto}}"
        "label{display:block;margin:1rem 0}input{display:block;width:100%;padding:.4rem}"
        ".error{color:#b00020}</style></head>"
        f"<body><main><h1>{title}</h1>{body}</main></body></html>"
    )
