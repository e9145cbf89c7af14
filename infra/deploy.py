"""``make deploy STAGE=name`` / ``make destroy STAGE=name``: the stack of one stage, from ``infra/stages/<name>.json``.

deploy:
1. reads the stage file (region, stack name, template parameters, tags);
2. with an existing user pool (``UserPoolId`` given), checks it against the template's pool first
   (``infra.cognito.check_pool``) and stops, naming each problem, if it does not fit;
3. creates the deploy bucket if it is missing (``<stack>-deploy-<account>-<region>``: private,
   encrypted, versioned, TLS only) and uploads the deployment zip under its SHA-256;
4. translates ``dist/sam.json`` to plain CloudFormation exactly as ``make deploy-rehearsal`` does
   (``infra.translate``), uploads it beside the zip, and creates or updates the stack through a change
   set (waits; prints the failed events if it fails);
5. on a first deployment without ``ConsoleUrl`` (the stack's own pool), updates the stack once more
   with ``ConsoleUrl`` = the API's URL + ``console/``: the app client's callback and sign-out URL for
   the hosted sign-in pages. The template cannot name the API there itself (the API's functions
   carry the client id: a circular reference); a stage with a custom domain sets ``ConsoleUrl``;
6. prints the stack's Outputs (API URL, user pool, app client, the hosted sign-in pages).

destroy deletes the stack and waits. Resources with ``DeletionPolicy: Retain`` stay (the tables, the
bucket, the keys, the PII hash key, the user pool, the log groups: a bank's records); docs/deploy.md
says how to remove them once their retention allows.

AWS credentials come from the environment as for any AWS SDK (``AWS_PROFILE``, SSO, ...).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shared.clock import wall

PROJECT_DIR = Path(__file__).resolve().parents[1]
STAGES_DIR = PROJECT_DIR / "infra" / "stages"
CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"]


class DeployError(RuntimeError):
    pass


@dataclass(frozen=True)
class Stage:
    name: str
    region: str
    stack_name: str
    parameters: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)


def load_stage(name: str, stages_dir: Path = STAGES_DIR) -> Stage:
    path = stages_dir / f"{name}.json"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in stages_dir.glob("*.json")))
        raise DeployError(f"no stage file {path} (stages: {known})")
    raw = json.loads(path.read_text(encoding="utf-8"))
    from infra.outputs import load_template

    declared = load_template()["Parameters"]
    unknown = set(raw.get("parameters", {})) - set(declared)
    if unknown:
        raise DeployError(f"{path}: not parameters of infra/template.json: {sorted(unknown)}")
    return Stage(
        name=name,
        region=raw["region"],
        stack_name=raw["stack_name"],
        parameters={k: str(v) for k, v in raw.get("parameters", {}).items()},
        tags={"stage": name, **raw.get("tags", {})},
    )


def deploy_bucket_name(stack_name: str, account: str, region: str) -> str:
    return f"{stack_name}-deploy-{account}-{region}"[:63].lower()


def ensure_bucket(s3: Any, bucket: str, region: str) -> bool:
    """Create the deploy bucket (private, encrypted, versioned, TLS only) if missing; True if created."""
    try:
        s3.head_bucket(Bucket=bucket)
        return False
    except s3.exceptions.ClientError as exc:
        if exc.response.get("Error", {}).get("Code") not in ("404", "NoSuchBucket", "NotFound"):
            raise
    location = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    s3.create_bucket(Bucket=bucket, **location)
    s3.put_public_access_block(
        Bucket=bucket,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    s3.put_bucket_encryption(
        Bucket=bucket,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]
        },
    )
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    tls_only = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ],
    }
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(tls_only))
    return True


def check_existing_pool(session: Any, stage: Stage) -> None:
    """Stop before deploying if the stage names an existing user pool that does not fit."""
    pool, client = stage.parameters.get("UserPoolId", ""), stage.parameters.get("UserPoolClientId", "")
    if not pool:
        return
    from infra.cognito import check_pool, definition
    from infra.outputs import load_template

    wanted = definition(load_template(), {k: v for k, v in stage.parameters.items() if k in ("MfaConfiguration",)})
    problems = check_pool(session.client("cognito-idp"), pool, client, wanted)
    if problems:
        raise DeployError(f"user pool {pool} does not fit the template:\n  " + "\n  ".join(problems))


def deploy(session: Any, stage: Stage, dist: Path, log: Any = print) -> dict[str, str]:
    """Deploy ``dist`` (``sam.json`` + ``deployment.zip``) as the stage's stack; its Outputs."""
    from infra.build import LAYER_ZIP
    from infra.translate import translate

    check_existing_pool(session, stage)
    account = session.client("sts").get_caller_identity()["Account"]
    s3 = session.client("s3")
    bucket = deploy_bucket_name(stage.stack_name, account, stage.region)
    if ensure_bucket(s3, bucket, stage.region):
        log(f"created deploy bucket {bucket}")
    code = (dist / "deployment.zip").read_bytes()
    code_key = f"{stage.stack_name}/code-{hashlib.sha256(code).hexdigest()[:32]}.zip"
    s3.put_object(Bucket=bucket, Key=code_key, Body=code)
    layer = (dist / LAYER_ZIP).read_bytes()
    layer_key = f"{stage.stack_name}/layer-{hashlib.sha256(layer).hexdigest()[:32]}.zip"
    s3.put_object(Bucket=bucket, Key=layer_key, Body=layer)
    sam = json.loads((dist / "sam.json").read_text(encoding="utf-8"))
    template = translate(
        sam, f"s3://{bucket}/{code_key}", stage.region, account, layer_uri=f"s3://{bucket}/{layer_key}"
    )
    body = json.dumps(template, ensure_ascii=False).encode()
    template_key = f"{stage.stack_name}/template-{hashlib.sha256(body).hexdigest()[:32]}.json"
    s3.put_object(Bucket=bucket, Key=template_key, Body=body)
    url = f"https://{bucket}.s3.{stage.region}.amazonaws.com/{template_key}"
    log(
        f"uploaded code s3://{bucket}/{code_key}, the layer and the translated template "
        f"({len(template['Resources'])} resources)"
    )
    cfn = session.client("cloudformation")
    stage = _keep_console(cfn, stage)
    outputs = _apply_change_set(cfn, stage, url, log)
    with_console = console_stage(stage, outputs)
    if with_console is not None:
        log(f"the console's address for the hosted sign-in pages: {with_console.parameters['ConsoleUrl']}")
        outputs = _apply_change_set(cfn, with_console, url, log)
    return outputs


def _keep_console(cfn: Any, stage: Stage) -> Stage:
    """A stage without ``ConsoleUrl`` keeps the one its stack already has (no flapping client)."""
    if "ConsoleUrl" in stage.parameters or _stack_status(cfn, stage.stack_name) is None:
        return stage
    current = cfn.describe_stacks(StackName=stage.stack_name)["Stacks"][0].get("Parameters", [])
    kept = {p["ParameterKey"]: p.get("ParameterValue", "") for p in current}.get("ConsoleUrl")
    if not kept:
        return stage
    return Stage(stage.name, stage.region, stage.stack_name, {**stage.parameters, "ConsoleUrl": kept}, stage.tags)


def console_stage(stage: Stage, outputs: Mapping[str, str]) -> Stage | None:
    """The stage again with ``ConsoleUrl`` = the API's URL + ``console/``, when the stage gives none,
    the stack created its own user pool and the API's URL is known (``EndpointURL``); else None."""
    if stage.parameters.get("ConsoleUrl") or stage.parameters.get("UserPoolId") or not outputs.get("EndpointURL"):
        return None
    console = outputs["EndpointURL"].rstrip("/") + "/console/"
    return Stage(stage.name, stage.region, stage.stack_name, {**stage.parameters, "ConsoleUrl": console}, stage.tags)


def _stack_status(cfn: Any, name: str) -> str | None:
    try:
        return str(cfn.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"])
    except cfn.exceptions.ClientError as exc:
        if "does not exist" in str(exc):
            return None
        raise


def _apply_change_set(cfn: Any, stage: Stage, template_url: str, log: Any) -> dict[str, str]:
    status = _stack_status(cfn, stage.stack_name)
    kind = "CREATE" if status in (None, "REVIEW_IN_PROGRESS") else "UPDATE"
    name = f"deploy-{int(wall())}"
    cfn.create_change_set(
        StackName=stage.stack_name,
        ChangeSetName=name,
        ChangeSetType=kind,
        TemplateURL=template_url,
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in stage.parameters.items()],
        Capabilities=CAPABILITIES,
        Tags=[{"Key": k, "Value": v} for k, v in stage.tags.items()],
    )
    try:
        cfn.get_waiter("change_set_create_complete").wait(
            StackName=stage.stack_name, ChangeSetName=name, WaiterConfig={"Delay": 5, "MaxAttempts": 120}
        )
    except Exception:
        described = cfn.describe_change_set(StackName=stage.stack_name, ChangeSetName=name)
        if "didn't contain changes" in described.get("StatusReason", "") or "No updates" in described.get(
            "StatusReason", ""
        ):
            log("no changes to deploy")
            cfn.delete_change_set(StackName=stage.stack_name, ChangeSetName=name)
            return _outputs(cfn, stage.stack_name)
        raise DeployError(f"change set failed: {described.get('StatusReason')}") from None
    log(f"{kind.lower()} {stage.stack_name} in {stage.region} ...")
    cfn.execute_change_set(StackName=stage.stack_name, ChangeSetName=name)
    waiter = "stack_create_complete" if kind == "CREATE" else "stack_update_complete"
    try:
        cfn.get_waiter(waiter).wait(StackName=stage.stack_name, WaiterConfig={"Delay": 10, "MaxAttempts": 360})
    except Exception:
        raise DeployError(f"{stage.stack_name} failed:\n  " + "\n  ".join(_failures(cfn, stage.stack_name))) from None
    return _outputs(cfn, stage.stack_name)


def _failures(cfn: Any, stack: str) -> list[str]:
    events = cfn.describe_stack_events(StackName=stack)["StackEvents"]
    return [
        f"{e['LogicalResourceId']} ({e['ResourceType']}): {e.get('ResourceStatusReason', '')}"
        for e in events
        if e["ResourceStatus"].endswith("_FAILED")
    ][:20]


def _outputs(cfn: Any, stack: str) -> dict[str, str]:
    from infra.outputs import stack_outputs

    return stack_outputs(cfn.describe_stacks(StackName=stack)["Stacks"][0])


def destroy(session: Any, stage: Stage, log: Any = print) -> list[str]:
    """Delete the stack; the logical ids of the resources it keeps (``Retain``)."""
    cfn = session.client("cloudformation")
    if _stack_status(cfn, stage.stack_name) is None:
        log(f"{stage.stack_name} does not exist in {stage.region}")
        return []
    kept = [
        f"{r['LogicalResourceId']} {r['ResourceType']} {r.get('PhysicalResourceId', '')}"
        for page in cfn.get_paginator("list_stack_resources").paginate(StackName=stage.stack_name)
        for r in page["StackResourceSummaries"]
        if r.get("LogicalResourceId") in _retained()
    ]
    cfn.delete_stack(StackName=stage.stack_name)
    cfn.get_waiter("stack_delete_complete").wait(
        StackName=stage.stack_name, WaiterConfig={"Delay": 10, "MaxAttempts": 360}
    )
    log(f"deleted {stage.stack_name}; kept (DeletionPolicy Retain):")
    for line in kept:
        log(f"  {line}")
    return kept


def _retained() -> set[str]:
    from infra.outputs import load_template

    resources: Mapping[str, Any] = load_template()["Resources"]
    return {n for n, r in resources.items() if r.get("DeletionPolicy") == "Retain"} | {
        f"{n}LogGroup" for n in _function_ids()
    }


def _function_ids() -> set[str]:
    from infra.iam import GRANTS

    return set(GRANTS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.deploy", description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("deploy", "destroy"))
    parser.add_argument("--stage", required=True, help="a file infra/stages/<stage>.json")
    parser.add_argument("--dist", default="dist", type=Path, help="output of make package (default: dist)")
    args = parser.parse_args(argv)
    import boto3

    try:
        stage = load_stage(args.stage)
        session = boto3.session.Session(region_name=stage.region)
        if args.action == "destroy":
            destroy(session, stage)
            return 0
        outputs = deploy(session, stage, args.dist)
    except DeployError as exc:
        print(f"{args.action} failed: {exc}", file=sys.stderr)
        return 1
    print(f"{stage.stack_name} deployed:")
    for key, value in outputs.items():
        print(f"  {key:<34} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
