"""chalice local: answer the gateway's own refusals the way the deployed API Gateway does.

Deployed, API Gateway's gateway responses (``infra/package.py`` ``GATEWAY_RESPONSES``) shape the
errors it produces before any Lambda runs — no token, a policy that denies, a route that does not
exist — into design.md §5's error body. ``chalice local`` (the local stack and the Chalice test
client) answers them with API Gateway's *default* bodies (``{"message": "Unauthorized"}``,
``{"Message": "User is not authorized ..."}``). This patch makes it answer with the configured ones,
so a client sees the same error body locally and in AWS.

A Deny policy from the authorizer (a token that fails verification, ``functions/auth.py``) is answered
as API Gateway answers it: the ``ACCESS_DENIED`` gateway response rendered with the authorizer's
context (401, the reason as message), and the API function never runs.

It also makes the authorizer policy's ``*`` match any character, as API Gateway's does: chalice's
ARN matcher used a regex without DOTALL, so a path parameter holding a newline (``%0A``) was refused
403 although the policy allows every route.
"""

from __future__ import annotations

import re
from typing import Any

_ORIGINAL: dict[str, Any] = {}

# API Gateway's response type for each refusal chalice local raises (by its x-amzn-ErrorType)
RESPONSE_TYPES = {
    "UnauthorizedException": "MISSING_AUTHENTICATION_TOKEN",  # no such route
    "AccessDeniedException": "ACCESS_DENIED",
}


def gateway_refusal(response_type: str, authorizer: dict[str, str] | None = None) -> tuple[int, bytes]:
    """Status and body of a configured gateway response (``UNAUTHORIZED`` if ``response_type`` has
    none), rendered with the authorizer's context as API Gateway renders it."""
    from infra.package import GATEWAY_RESPONSES, gateway_body

    kind = response_type if response_type in GATEWAY_RESPONSES else "UNAUTHORIZED"
    return int(GATEWAY_RESPONSES[kind][0]), gateway_body(kind, authorizer or {}).encode()


def _denies(auth_result: dict[str, Any]) -> bool:
    statements = (auth_result.get("policyDocument") or {}).get("Statement") or []
    return any(s.get("Effect") == "Deny" for s in statements)


def apply() -> None:
    """Patch ``LocalGateway.handle_request``, ``LocalGatewayAuthorizer._check_can_invoke_view_function``
    and ``ARNMatcher._resource_match`` (idempotent)."""
    if _ORIGINAL:
        return
    from chalice import local

    class Refusal(local.LocalGatewayException):
        """A refusal already shaped as the gateway response (passed through unchanged)."""

    def refusal(status: int, headers: dict[str, str], payload: bytes) -> Refusal:
        shaped = type(f"Gateway{status}", (Refusal,), {"CODE": status})
        return shaped({**headers, "Content-Type": "application/json"}, payload)

    _ORIGINAL["handle_request"] = local.LocalGateway.handle_request
    _ORIGINAL["resource_match"] = local.ARNMatcher._resource_match
    _ORIGINAL["check_can_invoke"] = local.LocalGatewayAuthorizer._check_can_invoke_view_function

    def handle_request(self: Any, method: str, path: str, headers: Any, body: Any) -> Any:
        try:
            return _ORIGINAL["handle_request"](self, method, path, headers, body)
        except Refusal:
            raise
        except local.LocalGatewayException as exc:
            error_type = (exc.headers or {}).get("x-amzn-ErrorType", "")
            kind = "UNAUTHORIZED" if exc.CODE == 401 else RESPONSE_TYPES.get(error_type, "ACCESS_DENIED")
            status, payload = gateway_refusal(kind)
            raise refusal(status, exc.headers or {}, payload) from exc

    def check_can_invoke(self: Any, arn: str, auth_result: dict[str, Any]) -> bool:
        if _denies(auth_result):  # an explicit Deny wins over any Allow, as in API Gateway
            status, payload = gateway_refusal("ACCESS_DENIED", auth_result.get("context") or {})
            raise refusal(status, {"x-amzn-ErrorType": "AccessDeniedException"}, payload)
        allowed: bool = _ORIGINAL["check_can_invoke"](self, arn, auth_result)
        return allowed

    def resource_match(self: Any, resource: str) -> bool:
        pattern = re.escape(resource).replace(r"\?", ".").replace(r"\*", ".*?")
        return re.match(f"^{pattern}$", self._arn, re.DOTALL) is not None

    local.LocalGateway.handle_request = handle_request  # type: ignore[method-assign]
    local.LocalGatewayAuthorizer._check_can_invoke_view_function = check_can_invoke  # type: ignore[method-assign]
    local.ARNMatcher._resource_match = resource_match  # type: ignore[method-assign]


def revert() -> None:
    if not _ORIGINAL:
        return
    from chalice import local

    local.LocalGateway.handle_request = _ORIGINAL.pop("handle_request")  # type: ignore[method-assign]
    local.ARNMatcher._resource_match = _ORIGINAL.pop("resource_match")  # type: ignore[method-assign]
    local.LocalGatewayAuthorizer._check_can_invoke_view_function = _ORIGINAL.pop("check_can_invoke")  # type: ignore[method-assign]
