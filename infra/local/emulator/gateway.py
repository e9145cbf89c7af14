"""chalice local: answer the gateway's own refusals the way the deployed API Gateway does.

Deployed, API Gateway's gateway responses (``infra/package.py`` ``GATEWAY_RESPONSES``) shape the
errors it produces before any Lambda runs — no token, a policy that denies, a route that does not
exist — into design.md §5's error body. ``chalice local`` (the local stack and the Chalice test
client) answers them with API Gateway's *default* bodies (``{"message": "Unauthorized"}``,
``{"Message": "User is not authorized ..."}``). This patch makes it answer with the configured ones,
so a client sees the same error body locally and in AWS.

It also makes the authorizer policy's ``*`` match any character, as API Gateway's does: chalice's
ARN matcher used a regex without DOTALL, so a path parameter holding a newline (``%0A``) was refused
403 although the policy allows every route.
"""

from __future__ import annotations

import json
import re
from typing import Any

_ORIGINAL: dict[str, Any] = {}

# API Gateway's response type for each refusal chalice local raises (by its x-amzn-ErrorType)
RESPONSE_TYPES = {
    "UnauthorizedException": "MISSING_AUTHENTICATION_TOKEN",  # no such route
    "AccessDeniedException": "ACCESS_DENIED",
}


def gateway_refusal(response_type: str) -> tuple[int, bytes]:
    """Status and body of a configured gateway response (``UNAUTHORIZED`` if ``response_type`` has none)."""
    from infra.package import GATEWAY_RESPONSES

    status, code, message = GATEWAY_RESPONSES.get(response_type) or GATEWAY_RESPONSES["UNAUTHORIZED"]
    body = {"error": {"code": code, "message": message, "details": []}}
    return int(status), json.dumps(body, separators=(",", ":")).encode()


def apply() -> None:
    """Patch ``LocalGateway.handle_request`` and ``ARNMatcher._resource_match`` (idempotent)."""
    if _ORIGINAL:
        return
    from chalice import local

    _ORIGINAL["handle_request"] = local.LocalGateway.handle_request
    _ORIGINAL["resource_match"] = local.ARNMatcher._resource_match

    def handle_request(self: Any, method: str, path: str, headers: Any, body: Any) -> Any:
        try:
            return _ORIGINAL["handle_request"](self, method, path, headers, body)
        except local.LocalGatewayException as exc:
            error_type = (exc.headers or {}).get("x-amzn-ErrorType", "")
            kind = "UNAUTHORIZED" if exc.CODE == 401 else RESPONSE_TYPES.get(error_type, "ACCESS_DENIED")
            status, payload = gateway_refusal(kind)
            refusal = type(f"Gateway{status}", (local.LocalGatewayException,), {"CODE": status})
            raise refusal({**(exc.headers or {}), "Content-Type": "application/json"}, payload) from exc

    def resource_match(self: Any, resource: str) -> bool:
        pattern = re.escape(resource).replace(r"\?", ".").replace(r"\*", ".*?")
        return re.match(f"^{pattern}$", self._arn, re.DOTALL) is not None

    local.LocalGateway.handle_request = handle_request  # type: ignore[method-assign]
    local.ARNMatcher._resource_match = resource_match  # type: ignore[method-assign]


def revert() -> None:
    if not _ORIGINAL:
        return
    from chalice import local

    local.LocalGateway.handle_request = _ORIGINAL.pop("handle_request")  # type: ignore[method-assign]
    local.ARNMatcher._resource_match = _ORIGINAL.pop("resource_match")  # type: ignore[method-assign]
