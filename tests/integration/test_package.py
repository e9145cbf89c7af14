"""The AWS package (``python -m infra.package``): the generated SAM template and the deployment zip.

The package is built once per session (Chalice vendors the Lambda wheels; slow-ish), under the
``package`` marker: ``pytest -m 'not package'`` skips these.
"""

from __future__ import annotations

import fcntl
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from infra.outputs import env_expressions, load_template

pytestmark = pytest.mark.package

PROJECT_DIR = Path(__file__).resolve().parents[2]
PUBLIC_PATHS = {"/health", "/openapi.json"}
PUBLIC_PATHS |= {"/console", "/console/{asset}", "/auth/session"}  # the web console and its sign-in
WEBHOOK_PREFIX = "/webhooks/"
# What the Lambda Python runtime provides besides the standard library.
LAMBDA_RUNTIME_PACKAGES = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "six", "urllib3")
CMK_ARN = {"Fn::GetAtt": ["DataKey", "Arn"]}


@dataclass(frozen=True)
class Package:
    out: Path
    sam: dict[str, Any]

    @property
    def resources(self) -> dict[str, Any]:
        return self.sam["Resources"]

    def of_type(self, resource_type: str) -> dict[str, dict[str, Any]]:
        return {name: r for name, r in self.resources.items() if r["Type"] == resource_type}

    @property
    def swagger(self) -> dict[str, Any]:
        body: dict[str, Any] = self.resources["RestAPI"]["Properties"]["DefinitionBody"]
        return body


@pytest.fixture(scope="session")
def package(tmp_path_factory: pytest.TempPathFactory) -> Package:
    """Built once per test session; with pytest-xdist the workers share one build."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # this session's directory, shared by its workers
    out = base / "package-dist"
    with (base / "package-dist.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (out / "sam.json").exists():
            result = subprocess.run(
                [sys.executable, "-m", "infra.package", "--out", str(out)],
                cwd=PROJECT_DIR,
                capture_output=True,
                text=True,
                check=False,
                timeout=600,
            )
            assert result.returncode == 0, result.stdout + result.stderr
    return Package(out=out, sam=json.loads((out / "sam.json").read_text(encoding="utf-8")))


def _target(reference: Any) -> str | None:
    """Logical id a Ref / Fn::GetAtt / Fn::Sub "${X.Arn}" points at."""
    if not isinstance(reference, dict) or len(reference) != 1:
        return None
    if "Ref" in reference:
        return str(reference["Ref"])
    if "Fn::GetAtt" in reference:
        attr = reference["Fn::GetAtt"]
        return str(attr[0] if isinstance(attr, list) else attr.split(".")[0])
    sub = reference.get("Fn::Sub")
    if isinstance(sub, str) and (match := re.fullmatch(r"\$\{([A-Za-z0-9]+)\.Arn\}", sub)):
        return match.group(1)
    return None


def _is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(WEBHOOK_PREFIX)


def _sqs_events(package: Package) -> list[tuple[str, str, dict[str, Any]]]:
    """(function logical id, event name, event properties) for every SQS event source."""
    return [
        (function_id, event_name, event["Properties"])
        for function_id, function in package.of_type("AWS::Serverless::Function").items()
        for event_name, event in function["Properties"].get("Events", {}).items()
        if event["Type"] == "SQS"
    ]


def _source_routes() -> set[tuple[str, str]]:
    from app import app

    return {(path, method) for path, entries in app.routes.items() for method in entries}


def test_private_routes_use_the_builtin_authorizer_and_public_ones_do_not(package: Package) -> None:
    # Given the API definition in the generated template
    swagger = package.swagger
    definitions = swagger.get("securityDefinitions", {})
    methods = [
        (path, method.upper(), spec)
        for path, entries in swagger["paths"].items()
        for method, spec in entries.items()
        if method != "options"  # CORS preflight is answered by API Gateway itself
    ]

    # Then it describes exactly the app's routes
    assert {(path, method) for path, method, _ in methods} == _source_routes()
    private = [(path, method, spec) for path, method, spec in methods if not _is_public(path)]
    assert private, "no private routes found: nothing was checked"
    # and each private method requires a Chalice built-in (custom, Lambda) authorizer of this template
    for path, method, spec in private:
        security = spec.get("security")
        assert security, f"{method} {path} has no authorizer"
        for requirement in security:
            for name in requirement:
                definition = definitions[name]
                assert definition["x-amazon-apigateway-authtype"] == "custom", name
                uri = definition["x-amazon-apigateway-authorizer"]["authorizerUri"]["Fn::Sub"]
                function = re.search(r"\$\{([A-Za-z0-9]+)\.Arn\}", uri)
                assert function, uri
                assert package.resources[function.group(1)]["Type"] == "AWS::Serverless::Function"
    # and public ones (health, OpenAPI document, signed vendor webhooks) carry no token authorizer
    for path, method, spec in methods:
        if _is_public(path):
            assert not spec.get("security"), f"{method} {path} is public but requires a token"


def test_gateway_errors_use_the_api_error_body(package: Package) -> None:
    # Given the API Gateway responses produced before our code runs
    responses = package.swagger["x-amazon-apigateway-gateway-responses"]

    # Then 401 and 403 have our JSON error format
    for response_type, status, code in (
        ("UNAUTHORIZED", "401", "unauthenticated"),
        ("ACCESS_DENIED", "403", "forbidden"),
    ):
        response = responses[response_type]
        assert response["statusCode"] == status
        body = json.loads(response["responseTemplates"]["application/json"])
        assert body["error"]["code"] == code
        assert body["error"]["message"]


def test_sqs_consumers_report_batch_item_failures_from_the_template_queues(package: Package) -> None:
    # Given every SQS event source in the generated template
    events = _sqs_events(package)
    from chalice.app import SQSEventConfig

    from app import app

    sqs_sources = [s for s in app.event_sources if isinstance(s, SQSEventConfig)]

    # Then there is one per on_sqs_message handler, each on a queue of the template,
    # with partial batch failures reported (otherwise AWS deletes failed messages)
    assert len(events) == len(sqs_sources) > 0
    for function_id, event_name, properties in events:
        assert properties.get("FunctionResponseTypes") == ["ReportBatchItemFailures"], f"{function_id}.{event_name}"
        queue = _target(properties["Queue"])
        assert queue in package.of_type("AWS::SQS::Queue"), f"{function_id}.{event_name} -> {properties['Queue']}"
    assert {_target(p["Queue"]) for _, _, p in events} == {s.queue for s in sqs_sources}


def test_stream_consumers_read_the_table_stream_filtered_with_a_dead_letter_destination(package: Package) -> None:
    # Given every DynamoDB stream event source in the generated template
    from functions.webhooks import STREAM_FILTERS

    events = [
        (name, e["Properties"])
        for name, f in package.of_type("AWS::Serverless::Function").items()
        for e in f["Properties"].get("Events", {}).values()
        if e.get("Type") == "DynamoDB"
    ]
    # Then there is one per on_dynamodb_record handler, on the talent table's stream, filtered to the
    # records the handler applies, reporting partial failures, with bounded retries and a DLQ
    assert len(events) == len(STREAM_FILTERS) == 1
    for function_id, properties in events:
        assert properties["Stream"] == {"Fn::GetAtt": ["TalentTable", "StreamArn"]}, function_id
        assert [json.loads(f["Pattern"]) for f in properties["FilterCriteria"]["Filters"]] == [
            STREAM_FILTERS["project_results"]
        ]
        assert properties["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        assert properties["BisectBatchOnFunctionError"] is True and 1 <= properties["MaximumRetryAttempts"] <= 10
        destination = _target(properties["DestinationConfig"]["OnFailure"]["Destination"])
        assert destination in package.of_type("AWS::SQS::Queue")
    assert package.resources["TalentTable"]["Properties"]["StreamSpecification"]["StreamViewType"] == "NEW_IMAGE"


def test_every_queue_has_a_dlq_and_outlives_its_consumer(package: Package) -> None:
    # Given the queues and their consumers
    queues = package.of_type("AWS::SQS::Queue")
    dead_letter = (
        {
            _target(q["Properties"]["RedrivePolicy"]["deadLetterTargetArn"])
            for q in queues.values()
            if "RedrivePolicy" in q["Properties"]
        }
        | {
            _target(f["Properties"]["EventInvokeConfig"]["DestinationConfig"]["OnFailure"]["Destination"])
            for f in package.of_type("AWS::Serverless::Function").values()
            if "EventInvokeConfig" in f["Properties"]
        }
        | {
            _target(e["Properties"]["DestinationConfig"]["OnFailure"]["Destination"])
            for f in package.of_type("AWS::Serverless::Function").values()
            for e in f["Properties"].get("Events", {}).values()
            if e.get("Type") == "DynamoDB"
        }
    )
    default_timeout = package.sam.get("Globals", {}).get("Function", {}).get("Timeout", 3)

    # Then every work queue redrives to a dead-letter queue of the template, which keeps messages 14 days
    work = {name: q for name, q in queues.items() if name not in dead_letter}
    assert work
    for name, work_queue in work.items():
        redrive = work_queue["Properties"].get("RedrivePolicy")
        assert redrive, f"{name} has no dead-letter queue"
        assert 1 <= int(redrive["maxReceiveCount"]) <= 10
        assert _target(redrive["deadLetterTargetArn"]) in queues
    for dlq in dead_letter:
        assert dlq is not None and queues[dlq]["Properties"]["MessageRetentionPeriod"] == 14 * 24 * 3600, dlq
    # and each consumed queue's visibility timeout is at least 6x its consumer's Lambda timeout
    for function_id, _, properties in _sqs_events(package):
        queue = queues[str(_target(properties["Queue"]))]["Properties"]
        timeout = package.resources[function_id]["Properties"].get("Timeout", default_timeout)
        assert queue.get("VisibilityTimeout", 30) >= 6 * timeout, function_id


def test_data_is_encrypted_with_the_customer_managed_key(package: Package) -> None:
    # Given the data stores in the generated template
    keys = package.of_type("AWS::KMS::Key")

    # Then the key is customer-managed and rotates
    assert keys and all(k["Properties"]["EnableKeyRotation"] is True for k in keys.values())
    # and tables, bucket and queues all use it
    tables = package.of_type("AWS::DynamoDB::Table")
    assert tables
    for name, table in tables.items():
        sse = table["Properties"]["SSESpecification"]
        assert sse["SSEEnabled"] is True and sse["SSEType"] == "KMS", name
        assert _target(sse["KMSMasterKeyId"]) in keys, name
    buckets = package.of_type("AWS::S3::Bucket")
    assert buckets
    for name, bucket in buckets.items():
        for rule in bucket["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"]:
            default = rule["ServerSideEncryptionByDefault"]
            assert default["SSEAlgorithm"] == "aws:kms", name
            assert _target(default["KMSMasterKeyID"]) in keys, name
    for name, queue in package.of_type("AWS::SQS::Queue").items():
        assert _target(queue["Properties"].get("KmsMasterKeyId")) in keys, name


def test_buckets_block_public_access_and_require_tls(package: Package) -> None:
    # Given the buckets and bucket policies
    buckets = package.of_type("AWS::S3::Bucket")
    policies = package.of_type("AWS::S3::BucketPolicy").values()

    # Then public access is blocked four ways and non-TLS requests are denied
    for name, bucket in buckets.items():
        block = bucket["Properties"]["PublicAccessBlockConfiguration"]
        assert block == {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        }, name
        denies = [
            statement
            for policy in policies
            if _target(policy["Properties"]["Bucket"]) == name
            for statement in policy["Properties"]["PolicyDocument"]["Statement"]
            if statement["Effect"] == "Deny"
        ]
        assert any(s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}} for s in denies), name


def test_tables_have_point_in_time_recovery(package: Package) -> None:
    # Given the tables / Then each has PITR on
    tables = package.of_type("AWS::DynamoDB::Table")
    assert tables
    for name, table in tables.items():
        assert table["Properties"]["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}, name


def test_functions_get_settings_from_the_template_outputs(package: Package) -> None:
    # Given the Lambda globals / Then every Output is an environment variable with the Output's value
    variables = package.sam["Globals"]["Function"]["Environment"]["Variables"]
    assert variables == env_expressions(load_template())
    for name, value in variables.items():
        assert _target(value) in package.resources or _target(value) in package.sam["Parameters"], name


def test_function_roles_get_least_privilege_data_access(package: Package) -> None:
    # Given the functions' roles and the data-access policy
    roles = {_target(f["Properties"]["Role"]) for f in package.of_type("AWS::Serverless::Function").values()}
    policies = package.of_type("AWS::IAM::Policy")
    attached = {_target(role) for p in policies.values() for role in p["Properties"]["Roles"]}
    statements = [s for p in policies.values() for s in p["Properties"]["PolicyDocument"]["Statement"]]

    # Then every function role has it, it names resources (no wildcard resource), and never Scan
    assert roles and roles <= attached
    actions = {a for s in statements for a in s["Action"]}
    assert {
        "dynamodb:Query",
        "dynamodb:PutItem",
        "s3:PutObject",
        "sqs:SendMessage",
        "kms:Decrypt",
        "ssm:GetParameter",
    } <= actions
    assert "dynamodb:Scan" not in actions
    assert not [s for s in statements if s["Resource"] == "*" or "*" in s["Resource"]]


def test_cfn_lint_finds_no_errors_in_the_generated_template(package: Package) -> None:
    # Given the generated SAM template / When cfn-lint checks it (it runs the SAM transform itself)
    cfn_lint = Path(sys.executable).parent / "cfn-lint"
    result = subprocess.run([str(cfn_lint), str(package.out / "sam.json")], capture_output=True, text=True, check=False)

    # Then there are no errors (bit 2) and no fatal failure (bit 1); warnings (4) / info (8) are allowed
    assert result.returncode & 3 == 0, result.stdout + result.stderr


def _lambda_runtime(target: Path) -> Path:
    """A directory with only what the Lambda runtime adds to the standard library."""
    target.mkdir()
    for name in LAMBDA_RUNTIME_PACKAGES:
        spec = importlib.util.find_spec(name)
        assert spec and spec.origin, name
        if spec.submodule_search_locations:
            source = Path(next(iter(spec.submodule_search_locations)))
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(spec.origin, target / Path(spec.origin).name)
    return target


IMPORT_CHECK = r"""
import importlib, importlib.util, json, sys
code_dir, runtime_dir = sys.argv[1], sys.argv[2]
sys.path[:0] = [code_dir, runtime_dir]
leaked = [m for m in ("moto", "pytest", "cfnlint", "infra", "tests") if importlib.util.find_spec(m)]
handlers = json.loads(sys.argv[3])
for handler in handlers:
    module, attribute = handler.rsplit(".", 1)
    getattr(importlib.import_module(module), attribute)
from app import app
import chalice, pydantic, boto3, botocore
print(json.dumps({
    "leaked": leaked,
    "routes": sorted([p, m] for p, entries in app.routes.items() for m in entries),
    "chalice": chalice.__file__, "pydantic": pydantic.__file__, "boto3": boto3.__file__,
    "botocore": botocore.__file__,
}))
"""


def test_deployment_zip_imports_in_a_lambda_like_runtime(package: Package, tmp_path: Path) -> None:
    # Given the deployment zip unpacked into an empty folder, and only the Lambda runtime's packages
    code = tmp_path / "task"
    with zipfile.ZipFile(package.out / "deployment.zip") as archive:
        names = archive.namelist()
        archive.extractall(code)
    runtime = _lambda_runtime(tmp_path / "runtime")
    handlers = sorted({f["Properties"]["Handler"] for f in package.of_type("AWS::Serverless::Function").values()})

    # When a fresh, isolated interpreter without site-packages (-I -S) imports every handler and the app
    # (-I ignores PYTHONPATH, so the two folders are put on sys.path by the snippet itself)
    result = subprocess.run(
        [sys.executable, "-I", "-S", "-c", IMPORT_CHECK, str(code), str(runtime), json.dumps(handlers)],
        cwd=code,
        capture_output=True,
        text=True,
        check=False,
        env={"AWS_DEFAULT_REGION": "us-east-1", "PATH": "/usr/bin:/bin"},
        timeout=120,
    )

    # Then the import succeeds from the zip alone, with every route of the source app
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["leaked"] == []
    assert report["chalice"].startswith(str(code)) and report["pydantic"].startswith(str(code))
    # boto3 ships in the zip with the botocore that aws-xray-sdk brings, so the two always match
    assert report["boto3"].startswith(str(code)) and report["botocore"].startswith(str(code))
    assert {tuple(route) for route in report["routes"]} == _source_routes()
    # and our packages sit at the zip root, without bytecode caches
    assert {"app.py", "functions/__init__.py", "shared/__init__.py"} <= set(names)
    assert not [n for n in names if "__pycache__" in n and n.startswith(("functions/", "shared/"))]


def test_asynchronously_invoked_functions_send_failures_to_a_dead_letter_queue(package: Package) -> None:
    # Given the functions EventBridge invokes (S3 object events, schedules)
    functions = package.of_type("AWS::Serverless::Function")
    asynchronous = {
        name: f
        for name, f in functions.items()
        if {e.get("Type") for e in f["Properties"].get("Events", {}).values()} & {"CloudWatchEvent", "Schedule"}
    }
    assert {"ObjectCreated", "ReconcileParkedResults"} <= set(asynchronous)
    # Then each retries twice, then sends the event to the template's event dead-letter queue
    for name, function in asynchronous.items():
        config = function["Properties"].get("EventInvokeConfig")
        assert config, f"{name} drops events after its retries"
        assert config["MaximumRetryAttempts"] == 2
        destination = config["DestinationConfig"]["OnFailure"]
        assert destination["Type"] == "SQS" and _target(destination["Destination"]) == "EventDeadLetterQueue"


def test_the_built_console_travels_in_the_deployment_zip(package: Package) -> None:
    # Given the console was built (make console; make test and make package build it first)
    if not (PROJECT_DIR / "console" / "dist" / "index.html").is_file():
        pytest.skip("the console is not built: run make console")
    # Then the zip holds its page and the chart library, where functions/console.py looks for them
    with zipfile.ZipFile(package.out / "deployment.zip") as archive:
        names = set(archive.namelist())
    assert {"console/dist/index.html", "console/dist/app.js", "console/dist/echarts.min.js"} <= names
