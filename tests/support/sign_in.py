"""Signing in as the console does, over HTTP: the authorization code flow with PKCE (S256) against
hosted sign-in pages (the local stack's ``infra/local/hosted_ui.py``), without a browser."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: str

    @property
    def json(self) -> Any:
        return json.loads(self.body)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args: Any, **_kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def request(method: str, url: str, form: dict[str, str] | None = None, headers: dict[str, str] | None = None) -> Answer:
    """One HTTP request, redirects not followed, 4xx/5xx returned as answers."""
    data = urlencode(form).encode() if form is not None else None
    sent = {"Content-Type": "application/x-www-form-urlencoded"} if data is not None else {}
    req = urllib.request.Request(url, data=data, method=method, headers=sent | (headers or {}))
    try:
        with _OPENER.open(req, timeout=30) as response:
            return Answer(response.status, dict(response.headers), response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        return Answer(exc.code, dict(exc.headers), exc.read().decode("utf-8"))


@dataclass
class Pkce:
    verifier: str
    challenge: str
    state: str

    @classmethod
    def new(cls) -> Pkce:
        verifier = secrets.token_urlsafe(48)
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        return cls(verifier, challenge, secrets.token_urlsafe(16))


def authorize_form(client_id: str, redirect_uri: str, pkce: Pkce) -> dict[str, str]:
    return {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "code_challenge": pkce.challenge,
        "code_challenge_method": "S256",
        "state": pkce.state,
        "scope": "openid",
    }


def submit_password(base: str, client_id: str, redirect_uri: str, pkce: Pkce, username: str, password: str) -> Answer:
    """The sign-in page's form posted with a user name and password."""
    form = authorize_form(client_id, redirect_uri, pkce) | {"username": username, "password": password}
    return request("POST", f"{base}/oauth2/authorize", form)


def answer_code(base: str, page: str, totp: str) -> Answer:
    """The authenticator-code page's form posted: its hidden fields (the request and the pending step)
    and ``totp``."""
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page))
    return request(
        "POST", f"{base}/oauth2/authorize", {k: html.unescape(v) for k, v in hidden.items()} | {"totp": totp}
    )


def code_of(answer: Answer, pkce: Pkce) -> str:
    """The code of a 302 back to the console (its ``state`` checked, as the console checks it)."""
    assert answer.status == 302, (answer.status, answer.body)
    query = parse_qs(urlsplit(answer.headers["Location"]).query)
    assert query["state"] == [pkce.state]
    return query["code"][0]


def exchange(base: str, client_id: str, redirect_uri: str, code: str, verifier: str) -> Answer:
    form = {
        "grant_type": "authorization_code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "code": code,
        "code_verifier": verifier,
    }
    return request("POST", f"{base}/oauth2/token", form)


def id_token(base: str, client_id: str, redirect_uri: str, username: str, password: str) -> str:
    """The whole flow: password, code, tokens; the ID token."""
    pkce = Pkce.new()
    code = code_of(submit_password(base, client_id, redirect_uri, pkce, username, password), pkce)
    answer = exchange(base, client_id, redirect_uri, code, pkce.verifier)
    assert answer.status == 200, answer.body
    return str(answer.json["id_token"])
