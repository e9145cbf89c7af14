"""Records every AWS call each Lambda function makes during the test run, and checks it against that
function's role in the packaged template (loaded with ``-p tests.support.iam_record``).

* Which function runs: Chalice's entry points (the API handler ``app.app``, built-in authorizers,
  event-source handlers, ``lambda_function``\\s) set a context variable to the function's Lambda
  handler string, the ``Handler`` of the function in the packaged template. Work a function hands to
  a thread pool (S3 transfers, parallel queries) keeps it: ``ThreadPoolExecutor.submit`` runs the
  task in a copy of the submitter's context.
* What it calls: botocore ``before-call`` events on every client ``shared.store.aws`` creates (the
  product's only client factory), plus the presigned URLs and POSTs those clients sign (no call is
  made, but the upload acts with the signer's rights). Calls made outside a function (test set-up,
  assertions) are not the product's and are only counted.
* The names: ``tests.support.stack`` registers each moto stack it creates, so a call on
  ``talent-TalentTable-X1Y2`` is recorded on ``${TalentTable}`` (``tests.support.iam_policy``).
* Workers (pytest-xdist) hand their records to the controller in ``workeroutput``; at the end of the
  session the controller checks all of them against ``sam.json`` of the package the session built
  (``tests/integration/test_package.py``), writes ``iam-operations.json`` beside it, and fails the run
  naming each function and the permission its role lacks. Without a package built in the session
  (``-m "not package"``) the check is skipped with a note.
"""

from __future__ import annotations

import concurrent.futures
import contextvars
import functools
import json
import threading
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from tests.support.iam_policy import Names, Need, handlers, needs, outside, violations

RUNNING: contextvars.ContextVar[str | None] = contextvars.ContextVar("iam_record_running", default=None)
API_HANDLER = "app.app"
WORKER_KEY = "iam_recorded"


class Recorder:
    def __init__(self) -> None:
        self.names = Names({}, {})
        self.calls: set[tuple[str, Need]] = set()
        self.outside: Counter[str] = Counter()
        self._params = threading.local()
        self._hooked: set[int] = set()
        self._lock = threading.Lock()

    # -- clients ------------------------------------------------------------------------------------

    def hook(self, client: Any) -> Any:
        if id(client) in self._hooked:
            return client
        self._hooked.add(id(client))
        client.meta.events.register("before-parameter-build", self._keep_params, unique_id="iam-record-params")
        client.meta.events.register("before-call", self._before_call, unique_id="iam-record-call")
        if client.meta.service_model.service_name == "s3":
            self._wrap_presign(client)
        return client

    def _keep_params(self, params: Mapping[str, Any], **_: Any) -> None:
        self._params.value = dict(params)

    def _before_call(self, model: Any, **_: Any) -> None:
        params = getattr(self._params, "value", {})
        self.record(model.service_model.signing_name, model.name, params)

    def _wrap_presign(self, client: Any) -> None:
        url, post = client.generate_presigned_url, client.generate_presigned_post

        @functools.wraps(url)
        def presigned_url(ClientMethod: str, Params: Mapping[str, Any] | None = None, **kwargs: Any) -> Any:
            operation = client.meta.method_to_api_mapping.get(ClientMethod, ClientMethod)
            self.record("s3", operation, dict(Params or {}), presigned=True)
            return url(ClientMethod, Params=Params, **kwargs)

        @functools.wraps(post)
        def presigned_post(Bucket: str, Key: str, **kwargs: Any) -> Any:
            self.record("s3", "PutObject", {"Bucket": Bucket, "Key": Key}, presigned=True)
            return post(Bucket, Key, **kwargs)

        client.generate_presigned_url = presigned_url
        client.generate_presigned_post = presigned_post

    def record(self, service: str, operation: str, params: Mapping[str, Any], presigned: bool = False) -> None:
        handler = RUNNING.get()
        if handler is None:
            with self._lock:
                self.outside[f"{service}:{operation}"] += 1
            return
        found = needs(service, operation, params, self.names)
        if presigned:
            found = [Need(n.action, n.resource, f"presigned {operation}") for n in found]
        with self._lock:
            self.calls.update((handler, need) for need in found)

    # -- serialisation --------------------------------------------------------------------------------

    def dump(self) -> list[list[str]]:
        return sorted([handler, n.action, n.resource, n.because] for handler, n in self.calls)

    def load(self, rows: list[list[str]]) -> None:
        self.calls.update((h, Need(a, r, b)) for h, a, r, b in rows)


RECORDER = Recorder()


def register_stack(cfn: Any, stack_name: str, secret_names: Mapping[str, str] | None = None) -> None:
    """Physical ids of ``stack_name`` (moto) -> the template's logical names, for the records."""
    by_physical: dict[str, str] = {}
    for page in cfn.get_paginator("list_stack_resources").paginate(StackName=stack_name):
        for resource in page["StackResourceSummaries"]:
            if resource.get("LogicalResourceId") and resource.get("PhysicalResourceId"):
                by_physical[resource["PhysicalResourceId"]] = resource["LogicalResourceId"]
    stack = cfn.describe_stacks(StackName=stack_name)["Stacks"][0]
    parameters = {p["ParameterValue"]: f"${{{p['ParameterKey']}}}" for p in stack.get("Parameters", [])}
    RECORDER.names = Names(by_physical, parameters, secret_names)


def add_physical(physical: str, logical: str) -> None:
    """A resource created beside the stack (one moto's CloudFormation skips), under its logical id."""
    RECORDER.names.by_physical[physical] = logical


# --------------------------------------------------------------------------- entry points


def _run_as(handler: str, call: Callable[[], Any]) -> Any:
    token = RUNNING.set(handler)
    try:
        return call()
    finally:
        RUNNING.reset(token)


def _install() -> None:
    from chalice import app as chalice_app

    from shared.store import aws

    def entry(cls: Any, name: Callable[[Any], str]) -> None:
        original = cls.__call__

        def __call__(self: Any, *args: Any, **kwargs: Any) -> Any:
            return _run_as(name(self), lambda: original(self, *args, **kwargs))

        cls.__call__ = __call__

    entry(chalice_app.Chalice, lambda _: API_HANDLER)
    entry(chalice_app.ChaliceAuthorizer, lambda self: f"{self.func.__module__}.{self.func.__name__}")
    entry(chalice_app.EventSourceHandler, lambda self: f"{self.func.__module__}.{self.func.__name__}")
    entry(chalice_app.LambdaFunction, lambda self: self.handler_string)

    submit = concurrent.futures.ThreadPoolExecutor.submit

    def submit_in_context(self: Any, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        return submit(self, contextvars.copy_context().run, fn, *args, **kwargs)

    concurrent.futures.ThreadPoolExecutor.submit = submit_in_context  # type: ignore[method-assign]

    client = aws.client.__wrapped__

    @functools.cache
    def recorded_client(service: str) -> Any:
        return RECORDER.hook(client(service))

    aws.client = recorded_client
    reset = aws.reset_clients

    def reset_clients() -> None:
        reset()
        recorded_client.cache_clear()

    aws.reset_clients = reset_clients


# --------------------------------------------------------------------------- pytest hooks


def pytest_configure(config: pytest.Config) -> None:
    _install()
    config.stash[_COLLECTED] = []


_COLLECTED = pytest.StashKey[list[list[str]]]()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    rows = getattr(node, "workeroutput", {}).get(WORKER_KEY)
    if rows:
        node.config.stash[_COLLECTED].extend(json.loads(rows))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    if hasattr(config, "workeroutput"):  # a pytest-xdist worker: hand the records to the controller
        config.workeroutput[WORKER_KEY] = json.dumps(RECORDER.dump())
        return
    RECORDER.load(config.stash[_COLLECTED])
    if not RECORDER.calls:
        return
    report = _check(config)
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_sep("-", "AWS calls of each function against its IAM role")
        reporter.write_line(report.text)
    if report.failed:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


class _Report:
    def __init__(self, text: str, failed: bool) -> None:
        self.text, self.failed = text, failed


def _check(config: pytest.Config) -> _Report:
    base = config._tmp_path_factory.getbasetemp()  # type: ignore[attr-defined]  # the package fixture's dir
    sam_path = Path(base) / "package-dist" / "sam.json"
    recorded = sorted(RECORDER.calls)
    per_function = Counter(handler for handler, _ in recorded)
    lines = [f"{len(recorded)} distinct permissions used by {len(per_function)} functions"]
    if not sam_path.is_file():
        lines.append("IAM check skipped: this session built no package (run the package tests too)")
        return _Report("\n".join(lines), failed=False)
    template = json.loads(sam_path.read_text(encoding="utf-8"))
    missing = violations(template, recorded)
    functions = handlers(template)
    (sam_path.parent / "iam-operations.json").write_text(
        json.dumps({"recorded": RECORDER.dump(), "missing": [[h, *n.__dict__.values()] for h, n in missing]}, indent=1),
        encoding="utf-8",
    )
    lines += [f"  {functions.get(h, h):<28} {n:>3} permissions" for h, n in sorted(per_function.items())]
    injected = outside(recorded)
    if injected:
        lines.append(f"{len(injected)} calls on resources outside the template (faults tests inject), not checked:")
        lines += [f"  {functions.get(h, h)}: {n.action} on {n.resource}" for h, n in injected]
    unexercised = sorted(set(functions) - set(per_function))
    if unexercised:
        lines.append("functions that made no AWS call: " + ", ".join(functions[h] for h in unexercised))
    if missing:
        lines.append(f"FAILED: {len(missing)} permissions the functions use are not in their roles:")
        lines += [
            f"  {functions.get(h, h)}: {n.action} on {n.resource}" + (f"  ({n.because})" if n.because else "")
            for h, n in missing
        ]
    else:
        lines.append("every recorded call is allowed by its function's role")
    return _Report("\n".join(lines), failed=bool(missing))
