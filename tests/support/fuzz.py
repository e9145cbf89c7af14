"""Fuzzing the API from its OpenAPI document with schemathesis: every operation, positive and negative
(schema-violating) examples, one role's bearer token on every request.

Two checks on every response: ``not_a_server_error`` (schemathesis' own: no 5xx) and
``error_body_conforms`` (ours: every 4xx carries design.md §5's ``{"error": {"code", "message",
"details"}}`` as JSON). The same runner drives the app in-process (``ChaliceWSGI`` over the Chalice
test client, ``tests/integration/test_fuzz.py``) and the running local stack over HTTP
(``python -m tests.fuzz``, ``make fuzz``).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import hypothesis.errors
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup

FUZZ_ROLES = ("hr", "manager", "interviewer", "it")


@schemathesis.check
def error_body_conforms(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case
) -> bool | None:
    """Every 4xx is JSON ``{"error": {"code": str, "message": str, "details": list}}`` and nothing else."""
    problem = error_body_problem(response.status_code, response.content)
    if problem:
        raise AssertionError(problem)
    return None


def error_body_problem(status: int, content: bytes) -> str | None:
    """Why a 4xx body is not design.md §5's error body (``None`` if it is, or if ``status`` is no 4xx)."""
    if not 400 <= status < 500:
        return None
    try:
        data = json.loads(content)
    except ValueError:
        return f"{status} with a body that is not JSON: {content[:120]!r}"
    error = data.get("error") if isinstance(data, dict) else None
    if not isinstance(data, dict) or set(data) != {"error"} or not isinstance(error, dict):
        return f"{status} without the error body: {content[:200]!r}"
    if not isinstance(error.get("code"), str) or not isinstance(error.get("message"), str):
        return f"{status}: error.code and error.message must be text: {content[:200]!r}"
    if not isinstance(error.get("details"), list):
        return f"{status}: error.details must be a list: {content[:200]!r}"
    return None


CHECKS: list[schemathesis.CheckFunction] = [not_a_server_error, error_body_conforms]


class ChaliceWSGI:
    """A WSGI application in front of ``chalice.test.Client``: schemathesis' WSGI transport sends each
    case through the same local API Gateway emulation (authorizer, routing) as the integration tests."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO") or "/"
        if environ.get("QUERY_STRING"):
            path += "?" + environ["QUERY_STRING"]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        headers = {k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")}
        if environ.get("CONTENT_TYPE"):
            headers["content-type"] = environ["CONTENT_TYPE"]
        # PATH_INFO is bytes-as-latin-1 (PEP 3333); the gateway gets the UTF-8 text a server would decode
        path = path.encode("latin-1").decode("utf-8", "replace")
        response = self.client.http.request(environ["REQUEST_METHOD"], path, headers=headers, body=body)
        payload = response.body if isinstance(response.body, bytes) else (response.body or "").encode()
        start_response(f"{response.status_code} -", [(k, str(v)) for k, v in response.headers.items()])
        return [payload]


@dataclass
class Finding:
    operation: str
    message: str


@dataclass
class Tally:
    """What one run did: operations fuzzed, requests sent, statuses seen, findings (5xx / bad 4xx)."""

    operations: set[str] = field(default_factory=set)
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    findings: list[Finding] = field(default_factory=list)

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)

    def summary(self) -> str:
        statuses = ", ".join(f"{s}: {n}" for s, n in sorted(self.statuses.items()))
        return (
            f"{len(self.operations)} operations, {self.requests} requests ({statuses}); "
            f"{self.server_errors} 5xx; {len(self.findings)} findings"
        )


Send = Callable[[schemathesis.Case, str], schemathesis.Response]  # the case, sent as a role


def load_schema(document: dict[str, Any]) -> Any:
    """The served OpenAPI document for schemathesis, without its security requirements: the runner
    sends a valid token of each role on every request itself (schemathesis would otherwise spend most
    negative examples on leaving the token out, which the access matrix already covers)."""
    document = json.loads(json.dumps(document))
    document.pop("security", None)
    for methods in document.get("paths", {}).values():
        for operation in methods.values():
            if isinstance(operation, dict):
                operation.pop("security", None)
    return schemathesis.openapi.from_dict(document)


def operations(schema: Any) -> Iterator[Any]:
    for result in schema.get_all_operations():
        yield result.ok()


def fuzz_operation(
    operation: Any,
    senders: dict[str, Send],
    tally: Tally,
    *,
    examples: int,
    known_ids: dict[str, str] | None = None,
    random_ids: bool = True,
    shrink: bool = False,
) -> None:
    """``examples`` positive and ``examples`` negative cases of one operation, each sent once per role
    in ``senders`` (the case is generated once: generation costs more than a call). Path parameters
    are random text, or, where ``known_ids`` names them, ids of objects that exist (so bodies reach
    the rules behind the lookup; only those unless ``random_ids``). A failing check is shrunk (if
    asked) and recorded as a ``Finding``."""
    tally.operations.add(operation.label)
    names = {p.name for p in operation.path_parameters}
    real = {name: value for name, value in (known_ids or {}).items() if name in names}
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        if real and not random_ids:
            strategy = operation.as_strategy(generation_mode=mode, path_parameters=real)
        elif real:
            strategy = st.one_of(
                operation.as_strategy(generation_mode=mode, path_parameters=real),
                operation.as_strategy(generation_mode=mode),
            )
        else:
            strategy = operation.as_strategy(generation_mode=mode)
        phases = [Phase.explicit, Phase.generate] + ([Phase.shrink] if shrink else [])

        @settings(
            max_examples=examples,
            derandomize=True,
            database=None,
            deadline=None,
            phases=phases,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def run(case: schemathesis.Case) -> None:
            failures: list[str] = []
            for role, send in senders.items():
                response = send(case, role)
                tally.requests += 1
                tally.statuses[response.status_code] += 1
                try:
                    case.validate_response(response, checks=CHECKS)
                except FailureGroup as exc:
                    failures.append(f"as {role}: {exc}")
            if failures:
                raise AssertionError("\n".join(failures))

        try:
            run()
        except hypothesis.errors.Unsatisfiable:
            continue  # nothing in this operation can be made invalid (no parameters, no body)
        except Exception as exc:  # a failing check: what, where and the curl to reproduce it
            tally.findings.append(Finding(operation.label, f"[{mode.value}] {exc}"))
