"""Bad input, generated: schemathesis fuzzes every operation of the served ``/openapi.json`` with a
valid token of each role, in-process through the Chalice app over moto. A bounded, reproducible run
(``derandomize``: the same examples every time); ``make fuzz`` runs many more against the running
local stack. Every response: no 5xx, and every 4xx carries design.md §5's error body.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from chalice.test import Client

from tests.support.access import Caller, World
from tests.support.api import Api
from tests.support.fuzz import (
    FUZZ_ROLES,
    ChaliceWSGI,
    Tally,
    error_body_problem,
    fuzz_operation,
    load_schema,
    operations,
)
from tests.support.stack import Stack, moto_stack

PROJECT_DIR = Path(__file__).resolve().parents[2]
# examples per operation and generation mode (positive, negative): HR may reach every rule, so more
# per operation and generation mode (positive, negative), each sent as every role: ~800 requests
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "1"))


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[Stack, Client, dict[str, str]]]:
    """One stack for the module: a requisition, applications, an AI result, an interviewer, a hire."""
    with moto_stack() as stack:
        from app import app

        with Client(app, project_dir=str(PROJECT_DIR)) as client:
            world = World(Api(client, stack))
            hr = Caller("hr", "hr", "hr")
            ids = {name: world.path("{" + name + "}", hr) for name in ("application_id", "requisition_id")}
            ids["candidate_id"] = ids["application_id"]
            ids["employee_id"] = world.employee
            yield stack, client, ids


def served_schema(client: Client) -> Any:
    response = client.http.get("/openapi.json")
    assert response.status_code == 200
    return load_schema(json.loads(response.body))


def test_fuzzing_every_operation_as_every_role_finds_no_5xx_and_only_error_bodies(
    served: tuple[Stack, Client, dict[str, str]],
) -> None:
    # Given the served OpenAPI document and a valid token of each role
    stack, client, ids = served
    schema = served_schema(client)
    app = ChaliceWSGI(client)

    def send(case: schemathesis.Case, role: str) -> schemathesis.Response:
        case.headers["Authorization"] = stack.auth(role)["Authorization"]
        return case.call(app=app)

    # When every operation gets positive and negative examples, each sent as hr, manager, interviewer, it
    tally = Tally()
    for operation in operations(schema):
        fuzz_operation(
            operation, dict.fromkeys(FUZZ_ROLES, send), tally, examples=EXAMPLES, known_ids=ids, random_ids=False
        )

    # Then every operation was tried, none answered 5xx, and every 4xx was the error body
    assert not tally.findings, "\n\n".join(f"{f.operation} {f.message}" for f in tally.findings)
    declared = sum(len(methods) for methods in schema.raw_schema["paths"].values())
    assert len(tally.operations) == declared and tally.requests >= declared * len(FUZZ_ROLES)
    assert tally.server_errors == 0, tally.summary()
    print(tally.summary())


def test_the_error_body_check_refuses_what_design_md_does_not_allow() -> None:
    # Given / When / Then: the check itself (it must not pass everything)
    good = b'{"error": {"code": "not_found", "message": "no such application", "details": []}}'
    assert error_body_problem(404, good) is None
    assert error_body_problem(200, b"anything") is None
    assert error_body_problem(403, b'{"Message": "User is not authorized to access this resource"}')
    assert error_body_problem(401, b'{"message": "Unauthorized"}')
    assert error_body_problem(400, b"<html>bad request</html>")
    assert error_body_problem(400, b'{"error": {"code": "x", "message": "y"}}')
    assert error_body_problem(409, b'{"error": {"code": "x", "message": "y", "details": []}, "trace": "..."}')
