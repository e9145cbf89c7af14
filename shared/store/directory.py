"""The people directory: the Cognito user pool the API authenticates against.

The authorizer asks whether a person has enrolled an authenticator app (``AdminGetUser``).
Onboarding mails the department's managers (group ``manager`` with ``custom:department``) and HR
(group ``hr``). Read through ``ListUsersInGroup`` (paged, 60 a page); disabled users are skipped.
"""

from __future__ import annotations

from shared.settings import get_settings
from shared.store import aws


def emails(group: str, department: str | None = None) -> list[str]:
    """E-mail addresses of the enabled members of ``group`` (of ``department`` when given)."""
    idp = aws.client("cognito-idp")
    found: list[str] = []
    token: str | None = None
    while True:
        kwargs = {"UserPoolId": get_settings().user_pool_id, "GroupName": group, "Limit": 60}
        if token:
            kwargs["NextToken"] = token
        out = idp.list_users_in_group(**kwargs)
        for user in out.get("Users", []):
            attributes = {a["Name"]: a["Value"] for a in user.get("Attributes", [])}
            if not user.get("Enabled", True) or not attributes.get("email"):
                continue
            if department is not None and attributes.get("custom:department") != department:
                continue
            found.append(attributes["email"])
        token = out.get("NextToken")
        if not token:
            return sorted(set(found))


def totp_enabled(username: str) -> bool:
    """Whether ``username`` has TOTP enabled (an authenticator app verified and switched on: Cognito
    then asks for its code at every sign-in of a pool whose MFA is OPTIONAL). A person no longer in the
    pool (a valid token outliving the account) has not."""
    idp = aws.client("cognito-idp")
    try:
        user = idp.admin_get_user(UserPoolId=get_settings().user_pool_id, Username=username)
    except idp.exceptions.UserNotFoundException:
        return False
    return "SOFTWARE_TOKEN_MFA" in (user.get("UserMFASettingList") or [])
