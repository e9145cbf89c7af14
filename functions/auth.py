"""The built-in Chalice authorizer: verifies the Cognito ID token with our own code.

It runs the same way under ``chalice local``, the Chalice test client and API Gateway. A valid
token yields an Allow policy for every route, with the principal in the authorizer context. An
invalid one yields a Deny policy for every route, with the reason in the context: the gateway
refuses the request before the API function runs and answers its ``ACCESS_DENIED`` gateway response,
401 with the reason in our error body (``infra/package.py`` ``GATEWAY_RESPONSES``). Both policies
name the whole API, so API Gateway caches the answer per token (``CACHE_SECONDS``): a flood of
forged or expired tokens costs one authorizer run per distinct token and no API function at all.
(A request with no Authorization header at all is refused by API Gateway and chalice local before
the authorizer runs: 401.)

A member of a group that must use TOTP (``MfaRequiredGroups``) is looked up in the pool
(``AdminGetUser``): without an authenticator app enabled, the Allow carries ``mfa: missing`` and the
API refuses every route with 403 ``mfa_required`` (functions/http.py) until they enrol and sign in
again; the answer is cached with the policy, so the pool is asked once per token. A person who
signed in through the bank's identity provider (OIDC/SAML) is that provider's to hold to MFA.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from chalice.app import AuthRequest, AuthResponse, Blueprint

bp = Blueprint(__name__)

# How long API Gateway keeps a token's policy (keyed on the Authorization header). A token that
# expires within this window is still let through until its cached Allow ends: the verification
# allows no more than this on top of a token's own lifetime.
CACHE_SECONDS = 300
REASON = "reason"  # the authorizer context key the 401 gateway response reads
_UNSAFE = re.compile(r"[^\w .,:;'()<>/=+-]")  # the reason goes into a JSON string unescaped


def deny_reason(message: str) -> str:
    """The refusal's reason as the gateway response template can embed it: no quote, backslash or
    control character, at most 200 characters."""
    return _UNSAFE.sub(" ", message)[:200]


@bp.authorizer(ttl_seconds=CACHE_SECONDS)
def cognito_id_token(auth_request: AuthRequest) -> dict[str, Any]:
    # Imported on the first token: the API function's ``import app`` registers this authorizer too.
    from shared.errors import Unauthenticated
    from shared.security.tokens import principal_to_context, verify_id_token
    from shared.settings import get_settings

    try:
        principal = verify_id_token(auth_request.token or "")
    except Unauthenticated as exc:
        denial = AuthResponse(routes=["*"], principal_id="anonymous", context={REASON: deny_reason(exc.message)})
        policy = denial.to_dict(auth_request)
        for statement in policy["policyDocument"]["Statement"]:
            statement["Effect"] = "Deny"
        return policy
    if principal.roles & get_settings().mfa_groups and not principal.federated:
        from shared.store.directory import totp_enabled

        principal = replace(principal, mfa_missing=not totp_enabled(principal.username))
    return AuthResponse(routes=["*"], principal_id=principal.sub, context=principal_to_context(principal)).to_dict(
        auth_request
    )
