"""``python -m tests.fuzz [--url http://127.0.0.1:8000] [--examples 25]`` (``make fuzz``): schemathesis
against the RUNNING local stack's ``/openapi.json``, every operation, positive and negative examples,
each sent with a fresh token of hr, manager, interviewer and it (``infra.local.token``).

If nothing answers at ``--url``, the local stack is started for the run (``python -m infra.local`` on
that port, state in a temporary directory) and stopped afterwards. Loopback only. Checks on every
response: no 5xx, every 4xx carries design.md §5's error body. Findings are shrunk to a minimal
example and printed with a curl command; the exit status is 1 if there is any.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import schemathesis

from infra.local.token import fresh_token
from tests.support import running
from tests.support.fuzz import FUZZ_ROLES, Tally, fuzz_operation, load_schema, operations

ROOT = Path(__file__).resolve().parents[2]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def get_json(url: str, token: str | None = None, body: Any = None) -> Any:
    headers = {"Content-Type": "application/json"} | ({"Authorization": f"Bearer {token}"} if token else {})
    data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers=headers, method="POST" if data else "GET")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def answering(url: str) -> bool:
    try:
        get_json(url + "/health")
        return True
    except (urllib.error.URLError, OSError, ValueError):
        return False


@contextmanager
def local_stack(url: str, state_dir: Path | None) -> Iterator[Path]:
    """The state directory of the stack at ``url``: the running one's, or one started for this run."""
    if answering(url):
        yield state_dir or ROOT / ".local-stack"
        return
    port = urlsplit(url).port or 8000
    tmp = Path(tempfile.mkdtemp(prefix="fuzz-stack-"))
    print(f"nothing answers at {url}: starting the local stack on port {port} (log: {tmp})", file=sys.stderr)
    try:
        with running.local_stack(tmp, port=port) as stack:
            yield stack.state_dir
    except running.StackDidNotStart as exc:
        raise SystemExit(f"the local stack did not start: {exc}") from exc


def seed(url: str, token: str) -> dict[str, str]:
    """A requisition and an application, so that examples reach the rules behind the id lookups."""
    from tests.support.ids import person

    sample = json.loads((ROOT / "events/requisition-customer-manager.json").read_text(encoding="utf-8"))
    req = get_json(url + "/requisitions", token, sample)["id"]
    app = get_json(url + f"/requisitions/{req}/applications", token, person(int(time.time()) % 90_000))["id"]
    return {"requisition_id": req, "application_id": app, "candidate_id": app}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz", description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="the local stack's API (loopback only)")
    parser.add_argument("--examples", type=int, default=25, help="per operation and mode (positive, negative)")
    parser.add_argument("--state-dir", type=Path, default=None, help="the running stack's state directory")
    parser.add_argument("--operation", default=None, help="only operations whose label contains this text")
    args = parser.parse_args(argv)
    url = args.url.rstrip("/")
    if urlsplit(url).hostname not in LOOPBACK:
        parser.error("the fuzzer only runs against a local stack on the loopback interface")
    started = time.monotonic()
    with local_stack(url, args.state_dir) as state_dir:
        tokens = {role: fresh_token(state_dir, role) for role in FUZZ_ROLES}
        schema = load_schema(get_json(url + "/openapi.json"))
        ids = seed(url, tokens["hr"])

        def send(case: schemathesis.Case, role: str) -> schemathesis.Response:
            case.headers["Authorization"] = f"Bearer {tokens[role]}"
            return case.call(base_url=url, timeout=30)

        tally = Tally()
        for operation in operations(schema):
            if args.operation and args.operation not in operation.label:
                continue
            fuzz_operation(
                operation, dict.fromkeys(FUZZ_ROLES, send), tally, examples=args.examples, known_ids=ids, shrink=True
            )
            print(f"{operation.label}: {tally.requests} requests so far", file=sys.stderr)
    for finding in tally.findings:
        print(f"\n=== {finding.operation} {finding.message}")
    print(f"\n{tally.summary()} in {time.monotonic() - started:.0f} s")
    return 1 if tally.findings else 0


if __name__ == "__main__":
    sys.exit(main())
