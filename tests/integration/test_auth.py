"""Authentication: the built-in authorizer verifies Cognito ID tokens with our own code."""

from __future__ import annotations

import time

import pytest

from tests.support.api import Api


def test_valid_token_of_each_role_is_accepted_or_refused_by_policy(api: Api) -> None:
    # Given demo users of every role, When each lists requisitions
    statuses = {role: api.call("GET", "/requisitions", role=role).status_code for role in api.stack.tokens}
    # Then hr and managers may, interviewer and it are authenticated but forbidden
    assert statuses == {"hr": 200, "manager": 200, "manager2": 200, "interviewer": 403, "it": 403}


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200}, "expired"),
        ({"iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other"}, "issuer"),
        ({"aud": "some-other-client"}, "audience"),
        ({"token_use": "access"}, "token_use"),
        ({"token_use": None}, "token_use"),
    ],
)
def test_bad_claims_get_401_naming_the_problem(api: Api, overrides: dict, reason: str) -> None:
    # Given a token signed by the pool's key but with a bad claim
    token = api.stack.forge(**overrides)
    # When it is used
    response = api.call("GET", "/requisitions", role=None, headers={"Authorization": f"Bearer {token}"})
    # Then 401 with our error body saying why
    assert response.status_code == 401
    assert response.data["error"]["code"] == "unauthenticated"
    assert reason in response.data["error"]["message"]


def test_tampered_token_is_rejected(api: Api) -> None:
    # Given a genuine HR token whose payload is swapped for another (signature no longer matches)
    header, _, signature = api.stack.tokens["hr"].split(".")
    other_payload = api.stack.forge(**{"cognito:groups": ["hr", "it"]}).split(".")[1]
    tampered = f"{header}.{other_payload}.{signature}"
    # When used, Then 401 for the signature
    response = api.call("GET", "/requisitions", role=None, headers={"Authorization": f"Bearer {tampered}"})
    assert response.status_code == 401
    assert "signature" in response.data["error"]["message"]


def test_unsigned_token_is_rejected(api: Api) -> None:
    # Given an "alg: none" token
    import jwt

    unsigned = jwt.encode({"sub": "x", "cognito:groups": ["hr"]}, key="", algorithm="none")
    response = api.call("GET", "/requisitions", role=None, headers={"Authorization": f"Bearer {unsigned}"})
    # Then it is refused
    assert response.status_code == 401


def test_token_signed_by_another_key_is_rejected(api: Api) -> None:
    # Given a token signed by a key that is not in the pool's JWKS
    import jwt
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode({"sub": "x", "token_use": "id"}, key, algorithm="RS256", headers={"kid": "attacker"})
    response = api.call("GET", "/requisitions", role=None, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert "key" in response.data["error"]["message"]


def test_missing_or_malformed_authorization_is_401(api: Api) -> None:
    # When no header is sent at all, the gateway refuses before our code runs
    assert api.call("GET", "/requisitions", role=None).status_code == 401
    # When the scheme is wrong, our authorizer explains it
    response = api.call("GET", "/requisitions", role=None, headers={"Authorization": "Basic abc"})
    assert response.status_code == 401
    assert "Bearer" in response.data["error"]["message"]


def test_health_is_public(api: Api) -> None:
    assert api.call("GET", "/health", role=None).data == {"status": "ok"}
