"""The built-in Chalice authorizer: verifies the Cognito ID token with our own code.

It runs the same way under ``chalice local``, the Chalice test client and API Gateway. A valid
token yields the principal in the authorizer context. An invalid one yields an ``auth_error``
context that the HTTP middleware turns into 401 with the reason, so every environment gives the
same clear error instead of API Gateway's bare "Unauthorized". (A request with no Authorization
header at all is refused by API Gateway and chalice local before the authorizer runs: 401.)
"""

from __future__ import annotations

from chalice.app import AuthRequest, AuthResponse, Blueprint

bp = Blueprint(__name__)


@bp.authorizer(ttl_seconds=0)
def cognito_id_token(auth_request: AuthRequest) -> AuthResponse:
    # Imported on the first token: the API function's ``import app`` registers this authorizer too.
    from shared.errors import Unauthenticated
    from shared.security.tokens import principal_to_context, verify_id_token

    try:
        principal = verify_id_token(auth_request.token or "")
    except Unauthenticated as exc:
        return AuthResponse(routes=["*"], principal_id="anonymous", context={"auth_error": exc.message})
    return AuthResponse(routes=["*"], principal_id=principal.sub, context=principal_to_context(principal))
