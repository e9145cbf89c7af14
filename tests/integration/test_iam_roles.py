"""The functions' roles in the packaged template (infra/iam.py): one per function, least privilege,
what Lambda needs for each event source, a log group each. What each function's *code* calls is
checked against these roles by the recording of the whole suite (tests/support/iam_record.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.iam_policy import Need, allows, att_form, function_statements
from tests.support.package import Package

pytestmark = pytest.mark.package

# The only statement AWS requires a "*" resource for (task tokens name no resource).
STAR_ACTIONS = {"states:SendTaskHeartbeat", "states:SendTaskSuccess"}


def _functions(package: Package) -> dict[str, dict[str, Any]]:
    return package.of_type("AWS::Serverless::Function")


def test_each_function_has_a_role_of_its_own_naming_its_resources(package: Package) -> None:
    # Given the functions and their roles
    functions = _functions(package)
    roles = {name: f["Properties"]["Role"]["Fn::GetAtt"][0] for name, f in functions.items()}

    # Then each function has its own role, no role is left unused, and no other policy is attached
    assert len(set(roles.values())) == len(functions) == 18
    assert set(package.of_type("AWS::IAM::Role")) == set(roles.values()) | {"ProbationStateMachineRole"}
    assert not package.of_type("AWS::IAM::Policy")
    # and every statement names resources, but for the task-token actions that cannot
    for name in functions:
        for statement in function_statements(package.sam, name):
            resources = statement["Resource"]
            if "*" in resources or resources == "*":
                assert set(statement["Action"]) <= STAR_ACTIONS, f"{name}: {statement}"
            assert not [a for a in statement["Action"] if a.endswith(":*") or a == "*"], f"{name}: {statement}"
            assert "dynamodb:Scan" not in statement["Action"], name
    # and the authorizer may do nothing but ask the pool whether a person enrolled TOTP and write its logs
    pool, logs = function_statements(package.sam, "CognitoIdToken")
    assert pool["Action"] == ["cognito-idp:AdminGetUser"] and len(pool["Resource"]) == 1
    assert "userpool/${Pool}" in json.dumps(pool["Resource"])
    assert logs["Action"] == ["logs:CreateLogStream", "logs:PutLogEvents"]


def test_each_role_allows_what_lambda_does_for_the_function_s_event_sources(package: Package) -> None:
    # Given each function's event sources and failure destinations
    resources = package.resources
    checked = 0
    for name, function in _functions(package).items():
        statements = function_statements(package.sam, name)

        def need(action: str, target: Any, statements: list[dict[str, Any]] = statements, name: str = name) -> None:
            logical, attribute = target["Fn::GetAtt"] if "Fn::GetAtt" in target else (target["Fn::Sub"][2:-5], "Arn")
            arn = att_form(logical, resources[logical]["Type"], attribute)
            assert allows(statements, Need(action, arn), resources), f"{name} lacks {action} on {logical}"

        props = function["Properties"]
        for event in props.get("Events", {}).values():
            if event["Type"] == "SQS":
                for action in ("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"):
                    need(action, event["Properties"]["Queue"])
                checked += 1
            if event["Type"] == "DynamoDB":
                for action in ("dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:DescribeStream"):
                    need(action, event["Properties"]["Stream"])
                need("sqs:SendMessage", event["Properties"]["DestinationConfig"]["OnFailure"]["Destination"])
                checked += 1
        failure = props.get("EventInvokeConfig", {}).get("DestinationConfig", {}).get("OnFailure")
        if failure:
            need("sqs:SendMessage", failure["Destination"])
            checked += 1
        # and every function writes to its own log group, which keeps logs for the stage's retention
        group = props["LoggingConfig"]["LogGroup"]["Ref"]
        assert resources[group]["Type"] == "AWS::Logs::LogGroup"
        assert resources[group]["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}
        arn = att_form(group, "AWS::Logs::LogGroup", "Arn")
        assert allows(statements, Need("logs:PutLogEvents", arn), resources), name
    # Then all 5 queue consumers, the stream consumer and the 10 asynchronously invoked functions were checked
    assert checked == 5 + 1 + 10


def test_the_template_names_no_managed_policy(package: Package) -> None:
    # Given the roles / Then none attaches an AWS managed policy (the translation needs no IAM look-up)
    for name, role in package.of_type("AWS::IAM::Role").items():
        assert not role["Properties"].get("ManagedPolicyArns"), name
    assert "Policies" not in json.dumps([f["Properties"] for f in _functions(package).values()])
