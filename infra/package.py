"""Build the AWS deployment: ``python -m infra.package [--out dist] [--stage dev]``.

1. Copy ``functions/`` and ``shared/`` into the git-ignored ``vendor/`` (Chalice packages only
   ``app.py``, ``chalicelib/`` and ``vendor/``; vendor contents land at the zip root), with the
   runtime dependencies installed and compiled for the declared Lambda runtime (``infra/build.py``:
   the function zip's part into ``vendor/``, numpy / reportlab / Pillow into the layer zip).
2. Run ``chalice package`` (on a copy of the project without ``requirements.txt``, so that Chalice
   builds no dependency itself) once without a merge template to learn the names Chalice emits
   (functions, their roles, SQS event sources).
3. Generate the merge template from ``infra/template.json`` plus:
   * ``Globals.Function.Environment.Variables``: every stack Output as an environment variable
     (``TableName`` -> ``TABLE_NAME``), valued with the Output's own ``Ref``/``Fn::GetAtt``;
   * for each ``on_sqs_message`` consumer: the event's ``Queue`` pointed at the template's queue
     (``app.event_sources[].queue`` is the queue's logical id) and
     ``FunctionResponseTypes: [ReportBatchItemFailures]`` (Chalice cannot set it itself);
   * for each ``on_dynamodb_record`` consumer: the event's ``Stream`` pointed at the talent table's
     ``StreamArn``, the handler's filter (``functions.consumers.table_stream.STREAM_FILTERS``) as
     ``FilterCriteria``, partial batch failures, bounded retries with bisection and
     ``StreamDeadLetterQueue`` as the on-failure destination;
   * one IAM role and log group per function, least privilege (``infra/iam.py``);
   * API Gateway responses in our error body format (``GATEWAY_RESPONSES``), the stage's throttling,
     the queue consumers' maximum concurrency and the API's reserved concurrency (``infra/edge.py``);
   * alarms to an SNS topic, the operations dashboard and the state machine's log group and logging
     (``infra/monitoring.py``);
   * the declared runtime and architecture on every function, and the libraries layer
     (``infra/build.py``).
4. Run ``chalice package --merge-template`` into ``--out``: ``sam.json`` and ``deployment.zip``
   (to which the bytecode of our code and Chalice's is added), plus ``libraries-layer.zip``; then
   check that every override hit a resource Chalice generated.
"""

from __future__ import annotations

import argparse
import copy
import fcntl
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from infra import build, edge, iam, monitoring
from infra.outputs import env_expressions, inline_definitions, load_template

PROJECT_DIR = Path(__file__).resolve().parents[1]
VENDORED_PACKAGES = ("functions", "shared")
CONSOLE_DIST = Path("console") / "dist"
REPORT_BATCH_ITEM_FAILURES = "ReportBatchItemFailures"
ASYNC_EVENT_TYPES = {"CloudWatchEvent", "Schedule", "EventBridgeRule"}
REST_API = "RestAPI"  # logical id Chalice gives the API Gateway REST API

# Error bodies API Gateway itself returns (before our code runs), in the format of shared/errors.py:
# response type -> (status, code, message). The only Deny policy in this API is the authorizer's for a
# token that fails verification (functions/auth.py; roles are checked by the function, which answers
# 403 itself), so ACCESS_DENIED is the 401 of a bad token, with the authorizer's reason as message.
# 403 stays for what API Gateway refuses on its own (an API key or WAF rule, should one be added).
AUTHORIZER_REASON = "$context.authorizer.reason"
GATEWAY_RESPONSES: dict[str, tuple[str, str, str]] = {
    "UNAUTHORIZED": ("401", "unauthenticated", "Missing or invalid credentials."),
    "ACCESS_DENIED": ("401", "unauthenticated", AUTHORIZER_REASON),
    "INVALID_API_KEY": ("403", "forbidden", "Not allowed."),
    "WAF_FILTERED": ("403", "forbidden", "Not allowed."),
    "MISSING_AUTHENTICATION_TOKEN": ("404", "not_found", "No such route."),
    "REQUEST_TOO_LARGE": ("413", "payload_too_large", "The request is too large."),
    "UNSUPPORTED_MEDIA_TYPE": ("415", "unsupported_media_type", "This media type is not accepted."),
    "THROTTLED": ("429", "too_many_requests", "Too many requests; retry after Retry-After seconds."),
    "QUOTA_EXCEEDED": ("429", "too_many_requests", "Too many requests; retry after Retry-After seconds."),
    # the authorizer failed (e.g. the user pool did not answer whether a person enrolled TOTP): not cached
    "AUTHORIZER_FAILURE": ("503", "service_unavailable", "The sign-in check is unavailable; try again shortly."),
}
RETRY_AFTER_SECONDS = 1  # on a 429: the stage's token bucket refills every second


def gateway_body(response_type: str, authorizer: dict[str, str] | None = None) -> str:
    """The JSON body of a gateway response; with ``authorizer`` (a context), rendered as API Gateway
    renders ``$context.authorizer.<key>`` (the authorizer keeps its values JSON-safe)."""
    _, code, message = GATEWAY_RESPONSES[response_type]
    if authorizer is not None:
        message = message.replace(AUTHORIZER_REASON, authorizer.get("reason", ""))
    return json.dumps({"error": {"code": code, "message": message, "details": []}}, separators=(",", ":"))


class PackagingError(RuntimeError):
    pass


# --------------------------------------------------------------------------- vendor/


def build_vendor(project_dir: Path = PROJECT_DIR, packages: Iterable[str] = VENDORED_PACKAGES) -> Path:
    """Recreate ``vendor/`` with copies of our packages (no bytecode caches)."""
    vendor = project_dir / "vendor"
    if vendor.exists():
        shutil.rmtree(vendor)
    vendor.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo")
    for name in packages:
        shutil.copytree(project_dir / name, vendor / name, ignore=ignore)
    console = project_dir / CONSOLE_DIST
    if console.is_dir():  # the built web console (make console), served by functions/console.py
        shutil.copytree(console, vendor / CONSOLE_DIST)
    return vendor


# --------------------------------------------------------------------------- chalice


def chalice_executable() -> str:
    """The ``chalice`` script of the running interpreter's environment (chalice has no ``__main__``)."""
    candidate = Path(sys.executable).parent / "chalice"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("chalice")
    if not found:
        raise PackagingError("cannot find the chalice command next to the Python interpreter or on PATH")
    return found


def run_chalice_package(
    out: Path, stage: str, merge_template: Path | None = None, project_dir: Path = PROJECT_DIR
) -> dict[str, Any]:
    cmd = [chalice_executable(), "--project-dir", str(project_dir), "package", "--stage", stage]
    if merge_template is not None:
        cmd += ["--merge-template", str(merge_template)]
    cmd.append(str(out))
    env = dict(os.environ)
    # `chalice package` builds a boto3 session; packaging needs no account, only a region name.
    env.setdefault("AWS_DEFAULT_REGION", env.get("AWS_REGION", "us-east-1"))
    completed = subprocess.run(cmd, cwd=project_dir, env=env, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise PackagingError(
            f"{' '.join(cmd)} failed ({completed.returncode}):\n{completed.stdout}\n{completed.stderr}"
        )
    with (out / "sam.json").open(encoding="utf-8") as handle:
        generated: dict[str, Any] = json.load(handle)
    return generated


# --------------------------------------------------------------------------- the Chalice app


def sqs_consumers(project_dir: Path = PROJECT_DIR) -> dict[str, str]:
    """Lambda handler string -> queue (logical id in the template) for every ``on_sqs_message``."""
    from chalice.app import SQSEventConfig

    if str(project_dir) not in sys.path:
        sys.path.insert(0, str(project_dir))
    app = importlib.import_module("app").app
    consumers: dict[str, str] = {}
    for source in app.event_sources:
        if isinstance(source, SQSEventConfig):
            if not source.queue:
                raise PackagingError(
                    f"{source.name}: subscribe by queue logical id (queue=...), not queue_arn, "
                    "so the template owns the queue"
                )
            consumers[source.handler_string] = source.queue
    return consumers


def stream_consumers(project_dir: Path = PROJECT_DIR) -> dict[str, dict[str, Any]]:
    """Lambda handler string -> event filter pattern for every ``on_dynamodb_record``."""
    from chalice.app import DynamoDBEventConfig

    if str(project_dir) not in sys.path:
        sys.path.insert(0, str(project_dir))
    app = importlib.import_module("app").app
    filters: dict[str, dict[str, Any]] = importlib.import_module("functions.consumers.table_stream").STREAM_FILTERS
    return {
        source.handler_string: filters[source.name]
        for source in app.event_sources
        if isinstance(source, DynamoDBEventConfig)
    }


# --------------------------------------------------------------------------- merge template


def _functions(generated: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        logical_id: resource
        for logical_id, resource in generated["Resources"].items()
        if resource.get("Type") == "AWS::Serverless::Function"
    }


def _function_for_handler(generated: Mapping[str, Any], handler: str) -> str:
    matches = [
        logical_id
        for logical_id, resource in _functions(generated).items()
        if resource["Properties"].get("Handler") == handler
    ]
    if len(matches) != 1:
        raise PackagingError(f"expected one function with handler {handler} in chalice's output, got {matches}")
    return matches[0]


def _override_event(
    resources: dict[str, Any],
    generated: Mapping[str, Any],
    handler: str,
    event_name: Callable[[Mapping[str, Any], str], str],
    properties: dict[str, Any],
) -> None:
    """The template's additions to the event source Chalice generated for ``handler`` (merged deeply)."""
    function_id = _function_for_handler(generated, handler)
    event = event_name(generated["Resources"][function_id], function_id)
    if function_id in resources:
        raise PackagingError(f"infra/template.json already defines {function_id}")
    resources[function_id] = {"Properties": {"Events": {event: {"Properties": properties}}}}


def _sqs_event_name(function: Mapping[str, Any], function_id: str) -> str:
    events = [name for name, event in function["Properties"].get("Events", {}).items() if event.get("Type") == "SQS"]
    if len(events) != 1:
        raise PackagingError(f"expected one SQS event on {function_id} in chalice's output, got {events}")
    return events[0]


def _stream_event_name(function: Mapping[str, Any], function_id: str) -> str:
    events = [n for n, e in function["Properties"].get("Events", {}).items() if e.get("Type") == "DynamoDB"]
    if len(events) != 1:
        raise PackagingError(f"expected one DynamoDB event on {function_id} in chalice's output, got {events}")
    return events[0]


STREAM_TABLE = "TalentTable"
STREAM_DLQ = "StreamDeadLetterQueue"
STREAM_MAX_RETRIES = 10


def gateway_responses() -> dict[str, Any]:
    """``x-amazon-apigateway-gateway-responses`` for the API definition.

    In the definition body (not as ``AWS::ApiGateway::GatewayResponse`` resources) so they are part
    of the deployment SAM creates from the body; separate resources only take effect after a later
    redeployment of the stage."""
    responses: dict[str, Any] = {}
    for response_type, (status, _code, _message) in GATEWAY_RESPONSES.items():
        headers = {"gatewayresponse.header.Content-Type": "'application/json'"}
        if status == "429":
            headers["gatewayresponse.header.Retry-After"] = f"'{RETRY_AFTER_SECONDS}'"
        responses[response_type] = {
            "statusCode": status,
            "responseParameters": headers,
            "responseTemplates": {"application/json": gateway_body(response_type)},
        }
    return responses


def merge_template(
    template: Mapping[str, Any],
    generated: Mapping[str, Any],
    consumers: Mapping[str, str],
    streams: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """``infra/template.json`` plus the overrides of Chalice's output described in the module doc."""
    merged: dict[str, Any] = copy.deepcopy(dict(template))
    resources: dict[str, Any] = merged["Resources"]

    merged["Globals"] = {"Function": {"Environment": {"Variables": env_expressions(template)}}}

    for handler, queue in sorted(consumers.items()):
        if resources.get(queue, {}).get("Type") != "AWS::SQS::Queue":
            raise PackagingError(
                f"{handler} consumes {queue!r}, which is not an AWS::SQS::Queue in infra/template.json"
            )
        # Chalice emits Queue as {"Fn::Sub": "arn:...:<queue>"} and the merge is a deep dict merge,
        # so a {"Fn::GetAtt": ...} here would end up next to the Fn::Sub in one object. Replacing
        # the Fn::Sub string with the queue's ARN keeps one intrinsic: same value as Fn::GetAtt.
        _override_event(
            resources,
            generated,
            handler,
            _sqs_event_name,
            {
                "Queue": {"Fn::Sub": f"${{{queue}.Arn}}"},
                "FunctionResponseTypes": [REPORT_BATCH_ITEM_FAILURES],
                **edge.scaling_config(queue),
            },
        )
    edge.check(template, set(consumers.values()))

    for handler, pattern in sorted((streams or {}).items()):
        if STREAM_DLQ not in resources or "StreamSpecification" not in resources[STREAM_TABLE]["Properties"]:
            raise PackagingError(
                f"{handler} reads {STREAM_TABLE}'s stream: the template needs its stream and {STREAM_DLQ}"
            )
        _override_event(
            resources,
            generated,
            handler,
            _stream_event_name,
            {
                "Stream": {"Fn::GetAtt": [STREAM_TABLE, "StreamArn"]},
                "StartingPosition": "TRIM_HORIZON",
                "FilterCriteria": {"Filters": [{"Pattern": json.dumps(pattern, separators=(",", ":"))}]},
                "FunctionResponseTypes": [REPORT_BATCH_ITEM_FAILURES],
                "BisectBatchOnFunctionError": True,
                "MaximumRetryAttempts": STREAM_MAX_RETRIES,
                "DestinationConfig": {"OnFailure": {"Type": "SQS", "Destination": {"Fn::GetAtt": [STREAM_DLQ, "Arn"]}}},
            },
        )

    # Functions invoked asynchronously (EventBridge rules, schedules): after two retries the event
    # goes to a dead-letter queue instead of being dropped.
    if "EventDeadLetterQueue" in resources:
        for function_id, function in sorted(_functions(generated).items()):
            kinds = {e.get("Type") for e in function["Properties"].get("Events", {}).values()}
            if kinds & ASYNC_EVENT_TYPES:
                resources.setdefault(function_id, {}).setdefault("Properties", {})["EventInvokeConfig"] = {
                    "MaximumRetryAttempts": 2,
                    "DestinationConfig": {
                        "OnFailure": {"Type": "SQS", "Destination": {"Fn::GetAtt": ["EventDeadLetterQueue", "Arn"]}}
                    },
                }

    # The declared runtime and architecture on every function, and the layer of large libraries (infra/build.py).
    for function_id, properties in build.function_properties(_functions(generated)).items():
        resources.setdefault(function_id, {}).setdefault("Properties", {}).update(properties)
    resources.update(build.layer_resources())
    merged["Globals"]["Function"].update(build.function_globals())

    # One role and log group per function (infra/iam.py), with the permissions of its event sources above.
    functions = _functions(generated)
    roles = iam.function_roles(template, functions, resources)
    for function_id, properties in iam.function_overrides(functions).items():
        resources.setdefault(function_id, {}).setdefault("Properties", {}).update(properties)
    resources.update(roles)

    # Load held at the edge (infra/edge.py): the stage's budgets and the API function's reserved concurrency.
    if REST_API in generated["Resources"]:
        paths = generated["Resources"][REST_API]["Properties"]["DefinitionBody"]["paths"]
        resources[REST_API] = {
            "Properties": {
                "DefinitionBody": {"x-amazon-apigateway-gateway-responses": gateway_responses()},
                "MethodSettings": edge.method_settings(paths),
            }
        }
    if edge.API_FUNCTION in functions:
        resources[edge.API_FUNCTION]["Properties"].update(edge.api_function_properties())

    # Alarms to the alarm topic and the dashboard (infra/monitoring.py).
    if REST_API in generated["Resources"]:
        api = generated["Resources"][REST_API]["Properties"]
        stream_functions = [_function_for_handler(generated, handler) for handler in sorted(streams or {})]
        api_name = (api["DefinitionBody"]["info"]["title"], api["StageName"])
        resources.update(monitoring.resources(template, functions, stream_functions, api_name))
    monitoring.log_state_machine(resources)
    return merged


def check_merged(sam: Mapping[str, Any], merge: Mapping[str, Any]) -> None:
    """Every resource the merge template touched must be complete (had a Type from either side)."""
    missing = [name for name in merge["Resources"] if "Type" not in sam["Resources"].get(name, {})]
    if missing:
        raise PackagingError(f"merge template overrides resources chalice did not generate: {missing}")


# --------------------------------------------------------------------------- entry point


@contextmanager
def _exclusive(project_dir: Path) -> Iterator[None]:
    """One packaging run at a time per checkout (vendor/ and Chalice's zip cache are shared),
    e.g. test workers running in parallel."""
    lock_dir = project_dir / ".chalice" / "deployments"  # git-ignored; Chalice's own cache lives here
    lock_dir.mkdir(parents=True, exist_ok=True)
    with (lock_dir / "package.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def package(out: Path, stage: str = "dev", project_dir: Path = PROJECT_DIR) -> dict[str, Any]:
    out = out.resolve()
    # Chalice runs on a copy of the project without requirements.txt: the dependencies come from infra/build.py.
    with _exclusive(project_dir), build.chalice_project(project_dir) as chalice_dir:
        vendor = build_vendor(project_dir)
        dependencies = build.install_dependencies(project_dir)  # wheels for the declared runtime, compiled
        build.add_to_vendor(vendor, dependencies)
        template = inline_definitions(load_template())  # state machine ASL files inlined
        with tempfile.TemporaryDirectory(prefix="chalice-names-") as scratch:
            generated = run_chalice_package(Path(scratch) / "out", stage, project_dir=chalice_dir)
        merge = merge_template(template, generated, sqs_consumers(project_dir), stream_consumers(project_dir))
        out.mkdir(parents=True, exist_ok=True)
        merge_path = out / "merge-template.json"
        merge_path.write_text(json.dumps(merge, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        sam = run_chalice_package(out, stage, merge_template=merge_path, project_dir=chalice_dir)
        build.finish_function_zip(out / "deployment.zip")  # bytecode for our sources and Chalice's
        build.write_layer_zip(dependencies, out)
    check_merged(sam, merge)
    return sam


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.package", description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="dist", type=Path, help="output directory (default: dist)")
    parser.add_argument("--stage", default="dev", help="Chalice stage (default: dev)")
    args = parser.parse_args(argv)
    try:
        package(args.out, args.stage)
    except (PackagingError, build.BuildError) as exc:
        print(f"packaging failed: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {args.out / 'sam.json'}, {args.out / 'deployment.zip'} and {args.out / build.LAYER_ZIP}")
    for name in ("deployment.zip", build.LAYER_ZIP):
        print(f"  {build.describe(args.out / name)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
