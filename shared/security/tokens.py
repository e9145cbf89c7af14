"""Verification of Cognito ID tokens by our own code (the same locally and in AWS).

Checks the RS256 signature against the user pool's JWKS (fetched once and cached by PyJWT's
``PyJWKClient``), the issuer, the audience (the app client id), expiry and ``token_use == "id"``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from shared.errors import Unauthenticated
from shared.settings import get_settings
from shared.vocabulary import Role

if TYPE_CHECKING:
    import jwt

# PyJWT (with cryptography's X.509 and RSA) is imported where a token is verified: only the
# authorizer does that, so the API function and the consumers never load it.

LEEWAY_SECONDS = 30
MFA_MISSING = "missing"  # the authorizer context's "mfa" for a member who must enrol TOTP and has not
ROLES = tuple(r.value for r in Role)


@dataclass(frozen=True)
class Principal:
    sub: str
    username: str
    roles: frozenset[str]
    department: str | None = None
    email: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    # Signed in through the bank's identity provider (OIDC/SAML): its MFA is that provider's to enforce.
    federated: bool = False
    # A member of a group that must use TOTP who has not enrolled it (set by the authorizer).
    mfa_missing: bool = False

    @property
    def primary_role(self) -> str:
        for role in ROLES:
            if role in self.roles:
                return role
        return "none"


@lru_cache(maxsize=4)
def _jwks_client(url: str) -> jwt.PyJWKClient:
    import jwt

    return jwt.PyJWKClient(url, cache_keys=True, lifespan=3600, timeout=5)


@lru_cache(maxsize=4)
def _inline_jwks(document: str) -> jwt.PyJWKSet:
    import jwt

    return jwt.PyJWKSet.from_json(document)


def _signing_key(token: str) -> jwt.PyJWK:
    import jwt

    settings = get_settings()
    if not settings.cognito_jwks:
        return _jwks_client(settings.jwks_url).get_signing_key_from_jwt(token)
    kid = jwt.get_unverified_header(token).get("kid")
    for key in _inline_jwks(settings.cognito_jwks).keys:
        if key.key_id == kid:
            return key
    raise jwt.PyJWKClientError(f"no key with kid {kid!r}")


def reset_jwks_cache() -> None:
    _jwks_client.cache_clear()
    _inline_jwks.cache_clear()


# Why a token is refused, by the name of PyJWT's error (PyJWT is imported only where a token is
# verified): the first that the error is, or inherits from; the last, any other invalid token.
REFUSALS: tuple[tuple[str, str], ...] = (
    ("ExpiredSignatureError", "token has expired"),
    ("InvalidAudienceError", "token audience is not this application's client id"),
    ("InvalidIssuerError", "token issuer is not this user pool"),
    ("InvalidSignatureError", "token signature is invalid"),
    ("MissingRequiredClaimError", "token lacks the required claim '{claim}'"),
    ("PyJWKClientConnectionError", "signing keys of the user pool could not be fetched"),
    ("PyJWKClientError", "token is not signed by a key of this user pool"),
    ("InvalidTokenError", "token is malformed"),
)


def refusal(exc: Exception) -> str:
    kinds = {kind.__name__ for kind in type(exc).__mro__}
    message = next(text for name, text in REFUSALS if name in kinds)
    return message.format(claim=getattr(exc, "claim", ""))


def verify_id_token(authorization: str) -> Principal:
    """Return the principal of a valid ``Bearer`` ID token or raise ``Unauthenticated`` saying why."""
    import jwt

    settings = get_settings()
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("Authorization header must be 'Bearer <Cognito ID token>'")
    token = token.strip()
    try:
        signing_key = _signing_key(token)
        claims: dict[str, Any] = jwt.decode(
            token,
            signing_key.key,
            algorithms=["RS256"],
            audience=settings.user_pool_client_id,
            issuer=settings.issuer,
            leeway=LEEWAY_SECONDS,
            options={"require": ["exp", "iat", "iss", "sub", "aud", "token_use"]},
        )
    except (jwt.InvalidTokenError, jwt.PyJWKClientError) as exc:
        raise Unauthenticated(refusal(exc)) from exc
    if claims.get("token_use") != "id":
        raise Unauthenticated("an ID token is required (token_use must be 'id')")
    groups = claims.get("cognito:groups") or []
    if isinstance(groups, str):
        groups = [groups]
    return Principal(
        sub=str(claims["sub"]),
        username=str(claims.get("cognito:username") or claims["sub"]),
        roles=frozenset(g for g in groups if g in ROLES),
        department=claims.get("custom:department") or None,
        email=claims.get("email"),
        federated=bool(claims.get("identities")),
    )


def principal_to_context(principal: Principal) -> dict[str, str]:
    """Flatten a principal into an API Gateway authorizer context (string values only)."""
    return {
        "sub": principal.sub,
        "username": principal.username,
        "roles": ",".join(sorted(principal.roles)),
        "department": principal.department or "",
        "email": principal.email or "",
        "mfa": MFA_MISSING if principal.mfa_missing else "",
    }


def principal_from_context(context: dict[str, Any]) -> Principal:
    roles = frozenset(r for r in str(context.get("roles", "")).split(",") if r)
    return Principal(
        sub=str(context.get("sub", "")),
        username=str(context.get("username", "")),
        roles=roles,
        department=str(context.get("department") or "") or None,
        email=str(context.get("email") or "") or None,
        mfa_missing=context.get("mfa") == MFA_MISSING,
    )
