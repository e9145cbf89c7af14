"""The web console, served by the API itself: static assets, where to sign in and the stage model.

The console's files are built into ``console/dist/`` (``make console``: ``npm ci`` + copy; ECharts
comes from the npm registry at build time) and packaged with the functions, so the browser loads
everything from this API and nothing from the internet. Every asset is public; every datum behind
it needs a Cognito ID token. The console gets one from the hosted sign-in pages (Cognito managed
login; the local stack's own) with the authorization code flow and PKCE, so a password never passes
through this API; ``GET /auth/config`` tells it where those pages are.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from chalice.app import Blueprint
from chalice.app import Response as ChaliceResponse

from functions.http import Call, api_route, ok
from shared.domain.stages import TERMINAL, TRANSITIONS, Stage
from shared.errors import NotFound
from shared.models.console import SignInConfig, StageModel, StageTransitionView
from shared.settings import get_settings
from shared.store import objects

bp = Blueprint(__name__)

CONSOLE_DIR = Path(__file__).resolve().parents[1] / "console" / "dist"
ASSET = re.compile(r"^[a-z0-9][a-z0-9_-]*(\.[a-z0-9]+)*\.(js|css|svg|json)$")
CONTENT_TYPES = {
    "js": "text/javascript; charset=utf-8",
    "css": "text/css; charset=utf-8",
    "svg": "image/svg+xml; charset=utf-8",
    "json": "application/json; charset=utf-8",
}
# Only our own origin; videos play from presigned object-store URLs; files are uploaded to the object
# store's presigned POST (its origin only); the sign-in code is exchanged at the hosted sign-in pages'
# token endpoint (their origin only), an authenticator app is enrolled at the Cognito user pools API
# (its origin only); ECharts sets inline styles.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "media-src 'self' blob: http: https:; connect-src 'self' {uploads} {sign_in} {idp}; frame-src 'self' blob:; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
# What the console asks for: the ID token's claims, and an access token that may enrol an authenticator
# app (the app client's WriteAttributes leave custom:department out, so it cannot change that).
SCOPE = "openid email profile aws.cognito.signin.user.admin"
STATIC_HEADERS: dict[str, str | list[str]] = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


def _headers(content_type: str) -> dict[str, str | list[str]]:
    settings = get_settings()
    policy = CSP.format(
        uploads=objects.upload_origin(), sign_in=_origin(settings.sign_in_url), idp=_origin(settings.idp_url)
    )
    return {**STATIC_HEADERS, "Content-Security-Policy": policy, "Content-Type": content_type}


def _origin(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"


def _read(name: str) -> str:
    path = CONSOLE_DIR / name
    if not CONSOLE_DIR.is_dir():
        raise NotFound("the console is not built: run `make console`")
    if not path.is_file():
        raise NotFound(f"no console asset {name}")
    return path.read_text(encoding="utf-8")


def _prefix(call: Call) -> str:
    """The path before ``/console`` as the browser sees it (API Gateway adds the stage, e.g. ``/api``)."""
    context = call.request.context or {}
    path, resource = str(context.get("path") or ""), str(context.get("resourcePath") or "")
    if resource and path.rstrip("/").endswith(resource):
        return path.rstrip("/")[: -len(resource)]
    return ""


@api_route(bp, "/console", methods=["GET"], public=True, media_type="text/html")
def console_index(call: Call) -> Any:
    """The console's page (Chinese first, English switch); its scripts and styles load from this API."""
    html = _read("index.html").replace("__BASE__", f"{_prefix(call)}/console/")
    headers = _headers("text/html; charset=utf-8")
    return ChaliceResponse(body=html, status_code=200, headers=headers)


@api_route(bp, "/console/{asset}", methods=["GET"], public=True, media_type="text/javascript")
def console_asset(call: Call, asset: str) -> Any:
    """One of the console's files (scripts, styles, the chart library)."""
    match = ASSET.match(asset)
    if not match:
        raise NotFound(f"no console asset {asset}")
    headers = _headers(CONTENT_TYPES[match.group(2)])
    return ChaliceResponse(body=_read(asset), status_code=200, headers=headers)


@api_route(bp, "/auth/config", methods=["GET"], public=True, response=SignInConfig)
def sign_in_config(call: Call) -> Any:
    """Where the console signs people in: the hosted sign-in pages' authorize, token and logout
    endpoints and the app client id (a public client: no secret). The console sends the browser to
    the authorize endpoint with a PKCE challenge (S256) and exchanges the code it gets back for the
    ID token at the token endpoint; the password is typed into those pages only. With the access
    token (scope ``aws.cognito.signin.user.admin``) it enrols the person's authenticator app at the
    Cognito user pools API (``idp_url``): a token that cannot change the person's department."""
    settings = get_settings()
    base = settings.sign_in_url.rstrip("/")
    return ok(
        SignInConfig(
            client_id=settings.user_pool_client_id,
            authorize_url=f"{base}/oauth2/authorize",
            token_url=f"{base}/oauth2/token",
            logout_url=f"{base}/logout",
            scope=SCOPE,
            idp_url=settings.idp_url,
        )
    )


@api_route(bp, "/stages", methods=["GET"], response=StageModel)
def stage_model(call: Call) -> Any:
    """The stage model: every stage and each allowed transition with the roles that may trigger it
    (the console shows only the buttons the signed-in role may use; the API still checks)."""
    transitions = [
        StageTransitionView(from_stage=frm, to_stage=to, roles=sorted(roles))
        for (frm, to), roles in TRANSITIONS.items()
    ]
    return ok(StageModel(stages=list(Stage), terminal=sorted(TERMINAL), transitions=transitions))
