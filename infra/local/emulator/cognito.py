"""moto 5.2.5: a user can write only the attributes their app client's ``WriteAttributes`` names.

Cognito refuses ``UpdateUserAttributes`` (the user's own access token) for an attribute the client
may not write ("A client attempted to write unauthorized attribute"); moto writes any attribute.
Without this, a local user could set their own ``custom:department`` and read another department's
candidates, which the template's app client forbids in AWS.
"""

from __future__ import annotations

from typing import Any

_ORIGINAL: dict[str, Any] = {}


def apply() -> None:
    from moto.cognitoidp.exceptions import NotAuthorizedError
    from moto.cognitoidp.models import CognitoIdpBackend

    if _ORIGINAL:
        return
    original = _ORIGINAL["update"] = vars(CognitoIdpBackend)["update_user_attributes"]

    def update_user_attributes(self: Any, access_token: str, attributes: list[dict[str, str]]) -> None:
        for pool in self.user_pools.values():
            if access_token in pool.access_tokens:
                client_id, _ = pool.access_tokens[access_token]
                client = pool.clients.get(client_id)
                writable = client.extended_config.get("WriteAttributes") if client else None
                if writable is not None and any(a["Name"] not in writable for a in attributes):
                    raise NotAuthorizedError("A client attempted to write unauthorized attribute")
        original(self, access_token, attributes)

    CognitoIdpBackend.update_user_attributes = update_user_attributes  # type: ignore[method-assign]


def revert() -> None:
    from moto.cognitoidp.models import CognitoIdpBackend

    if _ORIGINAL:
        CognitoIdpBackend.update_user_attributes = _ORIGINAL.pop("update")  # type: ignore[method-assign]
