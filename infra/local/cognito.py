"""The local Cognito user pool (moto's cognito-idp API) with one demo user per role.

moto signs ID tokens with its own static RSA key; its server publishes the matching JWKS at
``<moto endpoint>/<pool id>/.well-known/jwks.json`` and the tokens' issuer is the real Cognito
issuer ``https://cognito-idp.<region>.amazonaws.com/<pool id>``, so the app verifies them with
exactly the code it runs in AWS (only ``COGNITO_JWKS_URL`` points elsewhere).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from infra.cognito import create_pool, definition
from infra.outputs import TEMPLATE_PATH, load_template

POOL_NAME = "talent-local"
# Local demo credentials only; they exist in nothing but the in-memory moto server.
DEMO_PASSWORD = "Demo-pass-2024!"  # noqa: S105

LOCAL_CONSOLE_URL = "http://127.0.0.1:8000/console/"  # the console of the local stack on its default port
RETAIL_BANKING = "零售金融部"
RISK_MANAGEMENT = "风险管理部"


@dataclass(frozen=True)
class DemoUser:
    key: str  # what ``--role`` selects: hr, manager, manager2, interviewer, it
    username: str
    group: str
    department: str | None
    email: str
    password: str = DEMO_PASSWORD


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("hr", "hr.demo", "hr", None, "hr.demo@example.com"),
    DemoUser("manager", "manager.demo", "manager", RETAIL_BANKING, "manager.demo@example.com"),
    DemoUser("manager2", "manager2.demo", "manager", RISK_MANAGEMENT, "manager2.demo@example.com"),
    DemoUser("interviewer", "interviewer.demo", "interviewer", RETAIL_BANKING, "interviewer.demo@example.com"),
    DemoUser("it", "it.demo", "it", None, "it.demo@example.com"),
)


@dataclass(frozen=True)
class UserPool:
    pool_id: str
    client_id: str
    region: str
    users: tuple[DemoUser, ...]

    @property
    def issuer(self) -> str:
        return f"https://cognito-idp.{self.region}.amazonaws.com/{self.pool_id}"

    def jwks_url(self, endpoint: str) -> str:
        return f"{endpoint.rstrip('/')}/{self.pool_id}/.well-known/jwks.json"

    def to_state(self) -> dict[str, Any]:
        return {
            "pool_id": self.pool_id,
            "client_id": self.client_id,
            "region": self.region,
            "users": [asdict(u) for u in self.users],
        }


def create_demo_pool(
    cognito: Any,
    region: str,
    users: tuple[DemoUser, ...] = DEMO_USERS,
    template: Path = TEMPLATE_PATH,
    console_url: str = LOCAL_CONSOLE_URL,
) -> UserPool:
    """Create the pool, its app client and the role groups as ``infra/template.json`` defines them
    (``infra.cognito``: the same password policy, an app client that cannot write
    ``custom:department`` and signs in with the code flow, ``console_url`` its callback), then the
    demo users, each added to their group."""
    wanted = definition(load_template(template), {"ConsoleUrl": console_url})
    pool_id, client_id = create_pool(cognito, wanted, pool_name=POOL_NAME)
    for user in users:
        attributes = [
            {"Name": "email", "Value": user.email},
            {"Name": "email_verified", "Value": "true"},
        ]
        if user.department:
            attributes.append({"Name": "custom:department", "Value": user.department})
        cognito.admin_create_user(
            UserPoolId=pool_id, Username=user.username, UserAttributes=attributes, MessageAction="SUPPRESS"
        )
        cognito.admin_set_user_password(
            UserPoolId=pool_id, Username=user.username, Password=user.password, Permanent=True
        )
        cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=user.username, GroupName=user.group)
    return UserPool(pool_id=pool_id, client_id=client_id, region=region, users=users)


def id_token(cognito: Any, pool_id: str, client_id: str, username: str, password: str) -> str:
    """A fresh ID token (valid one hour) through ADMIN_USER_PASSWORD_AUTH."""
    result = cognito.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password},
    )
    return str(result["AuthenticationResult"]["IdToken"])
