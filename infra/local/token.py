"""``python -m infra.local.token --role hr``: print a fresh ID token of a demo user, nothing else.

Reads ``.local-stack/state.json`` (written by the running local stack) and asks the running moto
server for a token (ADMIN_USER_PASSWORD_AUTH), so the token is signed exactly like the ones the
stack printed at start.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from infra.local.cognito import id_token
from infra.local.state import DEFAULT_STATE_DIR, aws_environment, load_state


def pick_user(state: dict[str, Any], role: str | None, username: str | None) -> dict[str, Any]:
    users: list[dict[str, Any]] = state["users"]
    for user in users:
        if (username and user["username"] == username) or (not username and user["key"] == role):
            return user
    known = ", ".join(f"{u['key']} ({u['username']})" for u in users)
    raise SystemExit(f"no demo user for {username or role!r}; known: {known}")


def fresh_token(state_dir: Path = DEFAULT_STATE_DIR, role: str | None = "hr", username: str | None = None) -> str:
    """A fresh ID token of a demo user of the running local stack (``SystemExit`` if there is none)."""
    state = load_state(state_dir)
    user = pick_user(state, role, username)

    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    env = aws_environment("127.0.0.1", int(state["moto_port"]))
    client = boto3.session.Session(
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        aws_session_token=env["AWS_SESSION_TOKEN"],
        region_name=state["region"],
    ).client("cognito-idp", endpoint_url=state["moto_endpoint"])
    try:
        return id_token(client, state["pool_id"], state["client_id"], user["username"], user["password"])
    except (BotoCoreError, ClientError) as exc:
        raise SystemExit(f"could not get a token from {state['moto_endpoint']}: {exc}") from exc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.local.token", description=__doc__.splitlines()[0])
    parser.add_argument("--role", default="hr", help="hr, manager, manager2, interviewer or it (default hr)")
    parser.add_argument("--user", default=None, help="a demo user name instead of a role, e.g. manager2.demo")
    parser.add_argument("--state-dir", type=Path, default=DEFAULT_STATE_DIR)
    args = parser.parse_args(argv)
    print(fresh_token(args.state_dir, args.role, args.user))
    return 0


if __name__ == "__main__":
    sys.exit(main())
