"""``make deploy-rehearsal``: the deployment, rehearsed offline in moto's CloudFormation.

The packaged SAM template is translated exactly as ``make deploy`` translates it (``infra.translate``),
the deployment zip is uploaded to a deploy bucket, and the stack is created in moto. Then:

* every resource of a type moto's CloudFormation implements must be created; the others (listed in
  ``SKIPPED``, checked by template assertions in ``tests/integration/test_rehearsal.py`` instead) are
  reported;
* every Output must resolve, except those that name a skipped resource;
* every function exists with its own role, and its event sources exist (SQS and stream mappings,
  EventBridge rules);
* the API: moto's ``AWS::ApiGateway::RestApi`` ignores ``Body`` (an API created from it has no
  methods, so its ``Deployment`` fails) and its ``PutRestApi`` imports OpenAPI 3 only (Chalice writes
  Swagger 2), so the stack gets the RestApi without its body, Deployment and Stage, and the test
  checks the body, the Deployment and the Stage by template assertions.

``python -m infra.rehearsal [--dist dist] [--stage sso]`` prints what was created, what was skipped and
the time; ``--stage`` rehearses with a stage file's template parameters (``infra/stages/<name>.json``,
e.g. ``sso``: the bank's single sign-on on).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from infra.build import LAYER_ZIP
from infra.translate import translate

REGION = "us-east-1"
STACK = "talent-rehearsal"
DEPLOY_BUCKET = "talent-rehearsal-deploy"
API_TYPES = ("AWS::ApiGateway::Deployment", "AWS::ApiGateway::Stage")  # created from the body only


@dataclass
class Rehearsal:
    template: dict[str, Any]  # the translated template (what make deploy would deploy)
    seconds: float = 0.0
    status: str = ""
    created: dict[str, str] = field(default_factory=dict)  # logical id -> physical id
    skipped: dict[str, str] = field(default_factory=dict)  # logical id -> type moto does not create
    missing: dict[str, str] = field(default_factory=dict)  # supported type, yet not created
    outputs: dict[str, str] = field(default_factory=dict)
    functions: dict[str, dict[str, Any]] = field(default_factory=dict)  # logical id -> get_function()
    mappings: list[dict[str, Any]] = field(default_factory=list)
    rules: list[dict[str, Any]] = field(default_factory=list)
    permissions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # function -> its policy statements
    layers: list[dict[str, Any]] = field(default_factory=list)  # published layers (listed without a physical id)

    @property
    def types(self) -> dict[str, str]:
        return {name: r["Type"] for name, r in self.template["Resources"].items()}

    def summary(self) -> str:
        lines = [
            f"translated template: {len(self.template['Resources'])} resources; stack {self.status} "
            f"in {self.seconds:.1f} s",
            f"created in moto: {len(self.created)} resources; {len(self.functions)} functions, "
            f"{len(self.mappings)} event source mappings, {len(self.rules)} EventBridge rules",
            f"outputs resolved: {len(self.outputs)} of {len(self.template.get('Outputs', {}))}",
            "skipped (types moto's CloudFormation does not create; checked by template assertions):",
            *(
                f"  {t}: {', '.join(sorted(n for n, tt in self.skipped.items() if tt == t))}"
                for t in sorted(set(self.skipped.values()))
            ),
        ]
        if self.missing:
            lines.append(f"NOT CREATED although moto supports the type: {self.missing}")
        return "\n".join(lines)


def supported_types() -> set[str]:
    from moto.cloudformation.parsing import get_model_map

    return set(get_model_map())


def _without_api_body(template: dict[str, Any]) -> dict[str, Any]:
    """The template moto can create: the RestApi by name without its body, no Deployment or Stage
    (moto ignores ``Body``, so a Deployment would find no method, and its ``PutRestApi`` imports only
    OpenAPI 3 while Chalice writes Swagger 2: the API is checked by template assertions instead)."""
    moto_template: dict[str, Any] = json.loads(json.dumps(template))
    resources = moto_template["Resources"]
    for name, resource in list(resources.items()):
        if resource["Type"] == "AWS::ApiGateway::RestApi":
            resource["Properties"].pop("Body")
            resource["Properties"]["Name"] = name
        elif resource["Type"] in API_TYPES:
            del resources[name]
    return moto_template


def rehearse(sam: Mapping[str, Any], zip_path: Path, parameters: Mapping[str, str] | None = None) -> Rehearsal:
    """Create the translated stack in moto (inside ``mock_aws``; call it with offline credentials)."""
    import boto3
    from moto import mock_aws

    code_key, layer_key = "deployment.zip", LAYER_ZIP
    layer = zip_path.parent / layer_key
    template = translate(sam, f"s3://{DEPLOY_BUCKET}/{code_key}", REGION, layer_uri=f"s3://{DEPLOY_BUCKET}/{layer_key}")
    result = Rehearsal(template=template)
    supported = supported_types()
    result.skipped = {n: t for n, t in result.types.items() if t not in supported}
    moto_template = _without_api_body(template)
    with mock_aws(), warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # moto warns about each type it skips
        started = time.perf_counter()
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket=DEPLOY_BUCKET)
        s3.upload_file(str(zip_path), DEPLOY_BUCKET, code_key)
        if layer.is_file():
            s3.upload_file(str(layer), DEPLOY_BUCKET, layer_key)
        s3.put_object(Bucket=DEPLOY_BUCKET, Key="template.json", Body=json.dumps(moto_template).encode())
        cfn = boto3.client("cloudformation", region_name=REGION)
        cfn.create_stack(
            StackName=STACK,
            TemplateURL=f"https://{DEPLOY_BUCKET}.s3.amazonaws.com/template.json",
            Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in (parameters or {}).items()],
            Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"],
        )
        stack = cfn.describe_stacks(StackName=STACK)["Stacks"][0]
        result.status = stack["StackStatus"]
        result.outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
        for page in cfn.get_paginator("list_stack_resources").paginate(StackName=STACK):
            for summary in page["StackResourceSummaries"]:
                if summary.get("LogicalResourceId") and summary.get("PhysicalResourceId"):
                    result.created[summary["LogicalResourceId"]] = summary["PhysicalResourceId"]
        _inspect(result)
        result.missing = {
            n: t
            for n, t in result.types.items()
            if t in supported
            and n not in result.created
            and t not in API_TYPES
            and not _permitted(result, n)
            and not (t == "AWS::Lambda::LayerVersion" and result.layers)
        }
        result.seconds = time.perf_counter() - started
    return result


def _inspect(result: Rehearsal) -> None:
    import boto3

    lam = boto3.client("lambda", region_name=REGION)
    for name, kind in result.types.items():
        if kind == "AWS::Lambda::Function" and name in result.created:
            result.functions[name] = lam.get_function(FunctionName=result.created[name])["Configuration"]
            try:
                policy = json.loads(lam.get_policy(FunctionName=result.created[name])["Policy"])
            except lam.exceptions.ResourceNotFoundException:
                continue
            result.permissions[name] = policy["Statement"]
    result.layers = lam.list_layers()["Layers"]
    for page in lam.get_paginator("list_event_source_mappings").paginate():
        result.mappings += page["EventSourceMappings"]
    events = boto3.client("events", region_name=REGION)
    for rule in events.list_rules()["Rules"]:
        rule["Targets"] = events.list_targets_by_rule(Rule=rule["Name"])["Targets"]
        result.rules.append(rule)


def _permitted(result: Rehearsal, logical: str) -> bool:
    """moto lists an ``AWS::Lambda::Permission`` without a physical id: look for it in the function's
    resource policy instead."""
    resource = result.template["Resources"][logical]
    if resource["Type"] != "AWS::Lambda::Permission":
        return False
    target = resource["Properties"]["FunctionName"]
    function = target.get("Ref") or target.get("Fn::GetAtt", [None])[0]
    principal = resource["Properties"]["Principal"]
    granted = [s.get("Principal") for s in result.permissions.get(function, [])]
    return any(p == principal or (isinstance(p, dict) and p.get("Service") == principal) for p in granted)


def offline_credentials() -> None:
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        os.environ.setdefault(name, value)
    os.environ.pop("AWS_ENDPOINT_URL", None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.rehearsal", description=__doc__.splitlines()[0])
    parser.add_argument("--dist", default="dist", type=Path, help="output of make package (default: dist)")
    parser.add_argument("--stage", default=None, help="rehearse with the parameters of infra/stages/<stage>.json")
    args = parser.parse_args(argv)
    offline_credentials()
    sam = json.loads((args.dist / "sam.json").read_text(encoding="utf-8"))
    parameters = None
    if args.stage:
        from infra.deploy import load_stage

        parameters = load_stage(args.stage).parameters
    result = rehearse(sam, args.dist / "deployment.zip", parameters)
    print(result.summary())
    problems = [f"{n} ({t}) was not created" for n, t in result.missing.items()]
    if result.status != "CREATE_COMPLETE":
        problems.append(f"the stack is {result.status}")
    for problem in problems:
        print(f"FAILED: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
