"""Where a running local stack says where it is: ``<state dir>/state.json`` (API, admin and moto
endpoints, the user pool with its demo users, the stack's Outputs), written by ``infra.local.stack``
once everything is up and read by the token command, the vendor simulator and the tests.

Also the fixed facts of the local AWS environment (region, offline credentials), so that every part
of ``infra/local`` takes them from here rather than from the stack that uses them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parents[2]
DEFAULT_STATE_DIR = PROJECT_DIR / ".local-stack"
STATE_FILE = "state.json"
REGION = "us-east-1"


def aws_environment(host: str, moto_port: int) -> dict[str, str]:
    """The environment that points every boto3 client of a process at the local moto server."""
    return {
        "AWS_ENDPOINT_URL": f"http://{host}:{moto_port}",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
    }


def write_state(state_dir: Path, state: dict[str, Any]) -> Path:
    """Write ``state.json`` atomically (a reader never sees half of it)."""
    state_dir.mkdir(parents=True, exist_ok=True)
    path = state_dir / STATE_FILE
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=2, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
    return path


def load_state(state_dir: Path) -> dict[str, Any]:
    path = state_dir / STATE_FILE
    try:
        state: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SystemExit(f"{path} does not exist: is the local stack running (make run)?") from exc
    return state
