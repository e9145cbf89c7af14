"""make deploy / make destroy (infra/deploy.py) against moto: stage files, the deploy bucket, the
check of an existing user pool, and the change set that creates, updates and deletes a stack."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from infra.cognito import create_pool, definition
from infra.deploy import (
    STAGES_DIR,
    DeployError,
    Stage,
    _apply_change_set,
    check_existing_pool,
    console_stage,
    deploy_bucket_name,
    destroy,
    ensure_bucket,
    load_stage,
)
from infra.outputs import load_template

REGION = "eu-central-1"


@pytest.fixture
def session(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        yield boto3.session.Session(region_name=REGION)


def test_every_committed_stage_names_only_template_parameters() -> None:
    # Given the committed stage files / When each is loaded
    stages = [load_stage(p.stem) for p in sorted(STAGES_DIR.glob("*.json"))]

    # Then they parse, name a region and a stack, and tag the stage
    assert {s.name for s in stages} >= {"dev", "prod"}
    for stage in stages:
        assert stage.region and stage.stack_name.startswith("talent-") and stage.tags["stage"] == stage.name


def test_every_committed_stage_keeps_the_templates_rules() -> None:
    from infra.expressions import Evaluator
    from infra.outputs import load_template

    template = load_template()

    def broken(parameters: dict[str, str]) -> list[str]:
        """The template's rules (CloudFormation checks them before it changes anything) the parameters break."""
        evaluate = Evaluator(template, parameters)
        return [
            name
            for name, rule in template["Rules"].items()
            if evaluate(rule.get("RuleCondition", True)) and not all(evaluate(a["Assert"]) for a in rule["Assertions"])
        ]

    # Given the committed stage files / Then each keeps every rule (e.g. groups that must use TOTP need
    # a pool that offers it)
    for path in sorted(STAGES_DIR.glob("*.json")):
        stage = load_stage(path.stem)
        assert broken(stage.parameters) == [], stage.name
    # And a stage that requires TOTP of HR from a pool without MFA would be refused
    assert broken({"MfaConfiguration": "OFF", "MfaRequiredGroups": "hr"}) == ["MfaRequiredNeedsMfa"]
    assert broken({"MfaConfiguration": "OFF", "MfaRequiredGroups": ""}) == []


def test_a_stage_with_an_unknown_parameter_or_no_file_is_refused(tmp_path: Path) -> None:
    # Given a stage file with a misspelt parameter, and a stage without a file
    (tmp_path / "typo.json").write_text(
        json.dumps({"region": REGION, "stack_name": "t", "parameters": {"MailFom": "x"}})
    )

    # When loaded / Then each is refused, naming what is wrong
    with pytest.raises(DeployError, match="MailFom"):
        load_stage("typo", tmp_path)
    with pytest.raises(DeployError, match="no stage file"):
        load_stage("missing", tmp_path)


def test_the_deploy_bucket_is_created_once_private_encrypted_and_versioned(session: Any) -> None:
    # Given an account without the deploy bucket
    s3 = session.client("s3")
    bucket = deploy_bucket_name("talent-dev", "123456789012", REGION)

    # When ensured twice
    first, second = ensure_bucket(s3, bucket, REGION), ensure_bucket(s3, bucket, REGION)

    # Then it is created the first time only, locked down
    assert (first, second) == (True, False)
    assert all(s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"].values())
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    assert "aws:SecureTransport" in s3.get_bucket_policy(Bucket=bucket)["Policy"]


def test_an_existing_pool_whose_client_may_write_the_department_stops_the_deployment(session: Any) -> None:
    # Given a stage that names a bank's pool whose app client lets users write every attribute
    loose = copy.deepcopy(definition(load_template()))
    loose.client.pop("WriteAttributes")
    pool, client = create_pool(session.client("cognito-idp"), loose, pool_name="bank")
    stage = Stage("bank", REGION, "talent-bank", {"UserPoolId": pool, "UserPoolClientId": client})

    # When checked before deploying / Then the deployment stops naming the problem
    with pytest.raises(DeployError, match="custom:department"):
        check_existing_pool(session, stage)
    # while the template's own pool passes
    fit_pool, fit_client = create_pool(session.client("cognito-idp"), definition(load_template()), pool_name="fit")
    check_existing_pool(
        session, Stage("fit", REGION, "talent-fit", {"UserPoolId": fit_pool, "UserPoolClientId": fit_client})
    )


def test_a_change_set_creates_then_updates_the_stack_and_destroy_deletes_it(session: Any) -> None:
    # Given a small template in the deploy bucket
    s3, cfn = session.client("s3"), session.client("cloudformation")
    s3.create_bucket(Bucket="deploy", CreateBucketConfiguration={"LocationConstraint": REGION})
    template: dict[str, Any] = {
        "Parameters": {"Days": {"Type": "Number", "Default": 1}},
        "Resources": {"Queue": {"Type": "AWS::SQS::Queue", "DeletionPolicy": "Delete", "Properties": {}}},
        "Outputs": {"QueueUrl": {"Value": {"Ref": "Queue"}}},
    }
    s3.put_object(Bucket="deploy", Key="t.json", Body=json.dumps(template).encode())
    url = f"https://deploy.s3.{REGION}.amazonaws.com/t.json"
    stage = Stage("x", REGION, "talent-x", {"Days": "2"}, {"stage": "x"})
    logged: list[str] = []

    # When deployed twice, then destroyed
    _apply_change_set(cfn, stage, url, logged.append)
    queue = cfn.describe_stack_resource(StackName="talent-x", LogicalResourceId="Queue")["StackResourceDetail"]
    _apply_change_set(cfn, stage, url, logged.append)
    stack = cfn.describe_stacks(StackName="talent-x")["Stacks"][0]
    destroy(session, stage, logged.append)

    # Then the first run creates, the second updates the same stack (parameters and tags applied),
    # and destroy removes it
    assert queue["PhysicalResourceId"].startswith("https://")
    assert stack["Parameters"] == [{"ParameterKey": "Days", "ParameterValue": "2"}]
    assert stack["Tags"] == [{"Key": "stage", "Value": "x"}]
    assert logged[0].startswith("create talent-x") and any(line.startswith(("update", "no changes")) for line in logged)
    assert not [s for s in cfn.list_stacks()["StackSummaries"] if s["StackStatus"] != "DELETE_COMPLETE"]


def test_a_first_deployment_gives_the_app_client_the_consoles_address_from_the_api_url() -> None:
    # Given a first deployment of a stage without ConsoleUrl, the stack's own pool, the API's URL known
    stage = Stage("x", REGION, "talent-x", {"MailFrom": "a@zybank.example"})
    outputs = {"EndpointURL": "https://abc123.execute-api.eu-central-1.amazonaws.com/api/"}
    # When the deployment looks for the console's address
    again = console_stage(stage, outputs)
    # Then it deploys once more with the API's console as the callback and sign-out URL
    assert again is not None
    assert again.parameters == {
        "MailFrom": "a@zybank.example",
        "ConsoleUrl": "https://abc123.execute-api.eu-central-1.amazonaws.com/api/console/",
    }
    # And not when the stage names its console (a custom domain), uses its own pool, or the URL is unknown
    custom = {"ConsoleUrl": "https://talent.zybank.example/console/"}
    assert console_stage(Stage("x", REGION, "s", custom), outputs) is None
    assert console_stage(Stage("x", REGION, "s", {"UserPoolId": "eu-central-1_x"}), outputs) is None
    assert console_stage(stage, {}) is None
