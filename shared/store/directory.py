"""The people directory: the Cognito user pool the API authenticates against.

Onboarding mails the department's managers (group ``manager`` with ``custom:department``) and HR
(group ``hr``). Read through ``ListUsersInGroup`` (paged, 60 a page); disabled users are skipped.
The console signs people in with their user name and password (``USER_PASSWORD_AUTH``).
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_lambda_powertools import Logger
from botocore.exceptions import ClientError

from shared.errors import ServiceUnavailable, Unauthenticated
from shared.settings import get_settings
from shared.store import aws

logger = Logger(child=True)
BAD_CREDENTIALS = {"NotAuthorizedException", "UserNotFoundException", "PasswordResetRequiredException"}
THROTTLED = {"TooManyRequestsException", "LimitExceededException"}


@dataclass(frozen=True)
class SignedIn:
    id_token: str
    expires_in: int


def sign_in(username: str, password: str) -> SignedIn:
    """The ID token of the user, or ``Unauthenticated`` for a wrong name or password (never says
    which); ``ServiceUnavailable`` when Cognito throttles. The password goes to Cognito only."""
    try:
        result = aws.client("cognito-idp").initiate_auth(
            ClientId=get_settings().user_pool_client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": password},
        )
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code")
        if code in BAD_CREDENTIALS:
            raise Unauthenticated("wrong user name or password") from None
        if code in THROTTLED:
            raise ServiceUnavailable("too many sign-in attempts; retry shortly", retry_after=5) from None
        logger.warning("sign-in failed", extra={"cognito_error": code})
        raise
    auth = result.get("AuthenticationResult")
    if not auth:
        raise Unauthenticated(f"the account needs a step the console does not offer ({result.get('ChallengeName')})")
    return SignedIn(auth["IdToken"], int(auth.get("ExpiresIn", 3600)))


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
