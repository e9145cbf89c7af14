"""The AWS package (``python -m infra.package``): the generated SAM template and the deployment zip.

The package is built once per session (the Lambda wheels come from a cache after the first build), under
the ``package`` marker: ``pytest -m 'not package'`` skips these. The zip's own checks run with the
declared runtime's interpreter (``infra.build.target_python``: pyenv's 3.13).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from infra import build
from infra.outputs import env_expressions, load_template
from tests.support.package import Package

pytestmark = pytest.mark.package

PROJECT_DIR = Path(__file__).resolve().parents[2]
PUBLIC_PATHS = {"/health", "/openapi.json"}
PUBLIC_PATHS |= {"/console", "/console/{asset}", "/auth/config", "/vocabulary"}  # the console, where to sign in, labels
WEBHOOK_PREFIX = "/webhooks/"


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

    # Then no token and a token the authorizer denies are 401, the gateway's own refusals 403, 413,
    # 415 and 429, each in our JSON error format
    for response_type, status, code in (
        ("UNAUTHORIZED", "401", "unauthenticated"),
        ("ACCESS_DENIED", "401", "unauthenticated"),
        ("WAF_FILTERED", "403", "forbidden"),
        ("REQUEST_TOO_LARGE", "413", "payload_too_large"),
        ("UNSUPPORTED_MEDIA_TYPE", "415", "unsupported_media_type"),
        ("THROTTLED", "429", "too_many_requests"),
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
    from functions.consumers.table_stream import STREAM_FILTERS

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
    known = set(package.resources) | set(package.sam["Parameters"])
    for name, value in variables.items():
        if "Fn::If" in value and all("Fn::Sub" in branch for branch in value["Fn::If"][1:]):
            # the hosted sign-in pages' address: from parameters and the stack's name, no resource
            names = {n for branch in value["Fn::If"][1:] for n in re.findall(r"\$\{([^}]+)\}", branch["Fn::Sub"])}
            assert {n for n in names if not n.startswith("AWS::")} <= set(package.sam["Parameters"]), name
        elif "Fn::If" in value:  # the stack's own user pool, or the one it was given
            assert {_target(branch) for branch in value["Fn::If"][1:]} <= known, name
        elif "Fn::Sub" in value:  # names derived from the stack's name (the secrets)
            assert value["Fn::Sub"].startswith("${AWS::StackName}/"), name
        else:
            assert _target(value) in known, name


def test_cfn_lint_finds_no_errors_in_the_generated_template(package: Package) -> None:
    # Given the generated SAM template / When cfn-lint checks it (it runs the SAM transform itself)
    cfn_lint = Path(sys.executable).parent / "cfn-lint"
    result = subprocess.run([str(cfn_lint), str(package.out / "sam.json")], capture_output=True, text=True, check=False)

    # Then there are no errors (bit 2) and no fatal failure (bit 1); warnings (4) / info (8) are allowed
    assert result.returncode & 3 == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def unpacked(package: Package, tmp_path_factory: pytest.TempPathFactory) -> build.Unpacked:
    """The function zip and the layer unpacked as Lambda lays them out, beside a stand-in for the
    runtime's own packages (the SDK)."""
    return build.unpack(package.out, tmp_path_factory.mktemp("lambda"))


@pytest.fixture(scope="module")
def target_python() -> str:
    """The declared runtime's interpreter (pyenv's 3.13 on every machine here)."""
    return build.target_python()


def _run_in_runtime(python: str, unpacked: build.Unpacked, snippet: str, *args: str) -> Any:
    """``snippet`` in a fresh, isolated interpreter of the target version without site-packages
    (-I -S; -I ignores PYTHONPATH, so the snippet puts the package's folders on sys.path itself);
    its last output line is JSON."""
    result = subprocess.run(
        [python, "-I", "-S", "-c", snippet, json.dumps(unpacked.sys_path), *args],
        cwd=unpacked.task,
        capture_output=True,
        text=True,
        check=False,
        env={"AWS_DEFAULT_REGION": "us-east-1", "PATH": "/usr/bin:/bin"},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


HEAVY_LIBRARIES = ("numpy", "reportlab", "PIL", "openpyxl", "pypdf", "jwt", "aws_xray_sdk")
IMPORT_CHECK = r"""
import importlib, importlib.util, json, sys
sys.path[:0] = json.loads(sys.argv[1])
leaked = [m for m in ("moto", "pytest", "cfnlint", "infra", "tests") if importlib.util.find_spec(m)]
handlers, heavy = json.loads(sys.argv[2]), json.loads(sys.argv[3])
for handler in handlers:
    module, attribute = handler.rsplit(".", 1)
    getattr(importlib.import_module(module), attribute)
from app import app
loaded_heavy = sorted(m for m in heavy if m in sys.modules)
import chalice, pydantic, pydantic_core, boto3, botocore
print(json.dumps({
    "version": list(sys.version_info[:2]), "leaked": leaked, "heavy": loaded_heavy,
    "routes": sorted([p, m] for p, entries in app.routes.items() for m in entries),
    "chalice": chalice.__file__, "pydantic": pydantic.__file__, "pydantic_core": pydantic_core.__file__,
    "boto3": boto3.__file__, "botocore": botocore.__file__,
}))
"""


def test_deployment_zip_imports_with_the_runtime_interpreter_and_nothing_heavy(
    package: Package, unpacked: build.Unpacked, target_python: str
) -> None:
    # Given the unpacked function zip and layer, only the runtime's own packages beside them, and every handler
    handlers = sorted({f["Properties"]["Handler"] for f in package.of_type("AWS::Serverless::Function").values()})

    # When a fresh interpreter of the declared runtime's version imports every handler and the app
    report = _run_in_runtime(target_python, unpacked, IMPORT_CHECK, json.dumps(handlers), json.dumps(HEAVY_LIBRARIES))

    # Then the import succeeds from the package alone, with every route of the source app
    assert report["version"] == list(build.PYTHON_VERSION)
    assert report["leaked"] == []
    assert {tuple(route) for route in report["routes"]} == _source_routes()
    # with the package's compiled dependencies (pydantic-core built for this version) ...
    for name in ("chalice", "pydantic", "pydantic_core"):
        assert report[name].startswith(str(unpacked.task)), (name, report[name])
    # ... and the SDK of the runtime, which the zip does not carry
    for name in ("boto3", "botocore"):
        assert report[name].startswith(str(unpacked.runtime)), (name, report[name])
    # and no handler module, the app included, loads a heavy library when it is imported
    assert report["heavy"] == []


PATHS_CHECK = r"""
import json, sys
sys.path[:0] = json.loads(sys.argv[1])
from shared.domain.analytics import pearson
from shared.domain.documents import extract_text
from shared.domain.exports import to_xlsx
from shared.domain.offers import Letter, render_pdf
from shared.domain.screening import KeywordSpec, screen
from shared.domain.spreadsheet import read_spreadsheet
letter = Letter(
    title=("录用通知书", "Offer of Employment"), greeting=("尊敬的 王小明：", "Dear Wang Xiaoming,"),
    body=[("欢迎加入。", "Welcome.")], terms=[("岗位", "Position", "客户经理")], documents=[], benefits=[],
    closing=("此致", "Regards"), note=None,
)
row = {"name": "王小明", "email": "wang@example.com", "phone": "13800000000", "national_id": "110101199003074258"}
sheet = read_spreadsheet("rows.xlsx", to_xlsx([row], "rows"))
bank = [KeywordSpec("银行工作经历")]
import numpy, reportlab, PIL, openpyxl, pypdf, opencc
print(json.dumps({
    "screening": [screen({"r": text}, bank, []).passed for text in ("五年銀行工作經歷", "本人沒有銀行工作經歷")],
    "pearson": pearson([1, 2, 3, 4], [2, 4, 6, 8]),
    "pdf_text": extract_text(".pdf", render_pdf(letter)),
    "xlsx_names": [r["name"] for _, r in sheet.rows],
    "origins": {m.__name__: m.__file__ for m in (numpy, reportlab, PIL, openpyxl, pypdf, opencc)},
}))
"""


def test_the_heavy_paths_run_with_the_layer(unpacked: build.Unpacked, target_python: str) -> None:
    # Given the unpacked package and layer
    # When the target interpreter runs the paths that need the large libraries: statistics (numpy),
    # the offer letter as PDF (reportlab, Pillow) read back (pypdf), a spreadsheet written and read (openpyxl),
    # resume screening across scripts (OpenCC's compiled converter and its dictionaries)
    report = _run_in_runtime(target_python, unpacked, PATHS_CHECK)

    # Then each works, numpy with its bundled OpenBLAS and the PDF with its Chinese text
    assert report["pearson"] == pytest.approx(1.0)
    assert "录用通知书" in report["pdf_text"] and "王小明" in report["pdf_text"]
    assert report["xlsx_names"] == ["王小明"]
    assert report["screening"] == [True, False]
    # and the layer's libraries come from the layer, the others from the zip
    for name, origin in report["origins"].items():
        expected = unpacked.layer if name in {"numpy", "reportlab", "PIL"} else unpacked.task
        assert origin.startswith(str(expected)), (name, origin)


def test_wheels_and_shared_objects_fit_the_runtime(unpacked: build.Unpacked) -> None:
    # Given the function zip and the layer, unpacked
    for root in (unpacked.task, unpacked.layer):
        # When every *.dist-info/WHEEL and every shared object is inspected
        report = build.inspect_tree(root)
        # Then every wheel has a tag of the runtime (never a plain linux_x86_64) and every shared object
        # needs no newer GLIBC / GLIBCXX / CXXABI than Amazon Linux 2023 and links only what is there
        assert report.problems == [], "\n".join(report.problems)
        assert report.wheels > 0 and report.shared_objects > 0, root
        assert report.highest["GLIBC"] <= build.RUNTIME_SYMBOL_VERSIONS["GLIBC"]


PYC_CHECK = r"""
import importlib.util, json, os, sys
problems, checked = [], 0
for root in json.loads(sys.argv[1])[:2]:
    for folder, _, files in os.walk(root):
        for name in files:
            if not name.endswith(".py"):
                continue
            source = os.path.join(folder, name)
            relative = os.path.relpath(source, root)
            pyc = importlib.util.cache_from_source(source)
            if not os.path.exists(pyc):
                problems.append(f"{relative}: no {os.path.basename(pyc)}")
                continue
            with open(pyc, "rb") as handle:
                header = handle.read(16)
            with open(source, "rb") as handle:
                digest = importlib.util.source_hash(handle.read())
            if header[:4] != importlib.util.MAGIC_NUMBER:
                problems.append(f"{relative}: bytecode of another Python version")
            elif int.from_bytes(header[4:8], "little") != 0b01 or header[8:16] != digest:
                problems.append(f"{relative}: not an unchecked-hash pyc of this source")
            checked += 1
print(json.dumps({"problems": problems, "checked": checked}))
"""


def test_every_source_ships_with_bytecode_for_the_runtime(unpacked: build.Unpacked, target_python: str) -> None:
    # Given the unpacked zip and layer (Lambda's code directory is read-only: nothing can be compiled there)
    # When the target interpreter checks the pyc beside every source
    report = _run_in_runtime(target_python, unpacked, PYC_CHECK)

    # Then each exists in __pycache__ under the interpreter's own tag, as an unchecked-hash pyc of that source
    assert report["problems"] == [], "\n".join(report["problems"][:20])
    assert report["checked"] > 1000


def test_functions_run_the_declared_runtime_with_the_layer(package: Package) -> None:
    # Given the functions and the layer in the generated template
    functions = package.of_type("AWS::Serverless::Function")
    layers = package.of_type("AWS::Serverless::LayerVersion")

    # Then every function runs the declared runtime on x86_64 (not the builder's Python) with the layer
    assert functions
    for name, function in functions.items():
        assert function["Properties"]["Runtime"] == build.RUNTIME, name
        assert function["Properties"]["Architectures"] == [build.ARCHITECTURE], name
    assert package.sam["Globals"]["Function"]["Layers"] == [{"Ref": build.LAYER_RESOURCE}]
    # and the layer's content is the layer zip written beside the template, for the same runtime
    layer = layers[build.LAYER_RESOURCE]["Properties"]
    assert (package.out / layer["ContentUri"]).is_file()
    assert layer["CompatibleRuntimes"] == [build.RUNTIME]
    assert layer["CompatibleArchitectures"] == [build.ARCHITECTURE]


def test_the_zips_stay_small_and_carry_no_sdk(package: Package) -> None:
    # Given the function zip and the layer zip
    function_zip, layer_zip = package.out / "deployment.zip", package.out / build.LAYER_ZIP
    with zipfile.ZipFile(function_zip) as archive:
        names = archive.namelist()
        function_unzipped = sum(i.file_size for i in archive.infolist())
    with zipfile.ZipFile(layer_zip) as archive:
        layer_unzipped = sum(i.file_size for i in archive.infolist())

    # Then the function zip is within its 25 MB budget, and both stay below Lambda's limits (50 MB
    # zipped for a direct upload, 250 MB unzipped for a function and its layers together)
    assert function_zip.stat().st_size <= 25 * 10**6
    assert layer_zip.stat().st_size <= 50 * 10**6
    assert function_unzipped + layer_unzipped <= 250 * 10**6
    # and the zip carries neither the SDK the runtime provides nor the layer's libraries
    assert not build.shipped_projects(names) & (build.RUNTIME_PROVIDED | build.LAYER_PROJECTS)
    # and our packages sit at the zip root
    assert {"app.py", "functions/__init__.py", "shared/__init__.py"} <= set(names)


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
