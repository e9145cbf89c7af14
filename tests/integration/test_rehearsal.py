"""The deployment rehearsed offline (``make deploy-rehearsal``): the packaged template translated as
``make deploy`` translates it, created in moto's CloudFormation; what moto skips is checked here by
assertions on the translated template."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from infra.rehearsal import Rehearsal, rehearse
from tests.support.package import Package

pytestmark = pytest.mark.package

# Types moto's CloudFormation does not create, each checked below by template assertions
SKIPPED = {
    "AWS::ApiGateway::Stage": "test_the_api_is_deployed_from_its_body_with_every_route",
    # (alarms and the alarm topic's subscription: tests/integration/test_operations_template.py)
    "AWS::CloudWatch::Alarm": "test_alarms_watch_every_dead_letter_queue_function_and_the_probation_cycle",
    "AWS::SNS::Subscription": "test_alarms_go_to_an_encrypted_topic_mailed_to_the_given_address",
    "AWS::Cognito::UserPool": "test_the_user_pool_is_the_one_the_local_stack_creates",
    "AWS::Cognito::UserPoolClient": "test_the_user_pool_is_the_one_the_local_stack_creates",
    "AWS::Cognito::UserPoolGroup": "test_the_user_pool_is_the_one_the_local_stack_creates",
    "AWS::Cognito::UserPoolDomain": "test_the_user_pool_is_the_one_the_local_stack_creates",
    "AWS::Cognito::UserPoolIdentityProvider": "test_the_user_pool_is_the_one_the_local_stack_creates",
    "AWS::Lambda::EventInvokeConfig": "test_asynchronous_functions_send_failures_to_the_event_dead_letter_queue",
    "AWS::S3::BucketPolicy": "test_the_bucket_policy_denies_plain_http",
    "AWS::SecretsManager::Secret": "test_secrets_are_generated_and_encrypted",
}
# Outputs that name a skipped resource (moto drops them; their values are template assertions above)
UNRESOLVED_OUTPUTS = {"UserPoolId", "UserPoolClientId"}


@pytest.fixture(scope="module")
def rehearsal(package: Package) -> Iterator[Rehearsal]:
    saved = dict(os.environ)
    os.environ.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"})
    os.environ.pop("AWS_ENDPOINT_URL", None)
    try:
        yield rehearse(package.sam, package.out / "deployment.zip")
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _of_type(rehearsal: Rehearsal, kind: str) -> dict[str, dict[str, Any]]:
    return {n: r for n, r in rehearsal.template["Resources"].items() if r["Type"] == kind}


def test_every_resource_moto_supports_is_created_and_every_output_resolves(rehearsal: Rehearsal) -> None:
    # Given the translated template created in moto
    # Then the stack is complete, every resource of a supported type exists
    assert rehearsal.status == "CREATE_COMPLETE"
    assert rehearsal.missing == {}
    # and the skipped ones are exactly the listed types (a new one must be listed and asserted)
    assert set(rehearsal.skipped.values()) == set(SKIPPED)
    # and every Output resolves, except those that name a skipped resource
    outputs = set(rehearsal.template["Outputs"])
    assert set(rehearsal.outputs) == outputs - UNRESOLVED_OUTPUTS
    for name, value in rehearsal.outputs.items():
        assert value and "${" not in value and "Fn::" not in value, f"{name} = {value!r}"


def test_functions_exist_with_their_roles_and_event_sources(rehearsal: Rehearsal) -> None:
    # Given the functions of the translated template
    functions = _of_type(rehearsal, "AWS::Lambda::Function")

    # Then each was created with the role the template gives it
    assert set(rehearsal.functions) == set(functions) and len(functions) == 18
    for name, function in functions.items():
        role = function["Properties"]["Role"]["Fn::GetAtt"][0]
        assert rehearsal.functions[name]["Role"].endswith("/" + rehearsal.created[role]), name
    # and every SQS / stream event source mapping exists, on the function and source the template names
    mappings = _of_type(rehearsal, "AWS::Lambda::EventSourceMapping")
    by_function = {m["FunctionArn"]: m for m in rehearsal.mappings}
    assert len(rehearsal.mappings) == len(mappings) == 6
    for name, mapping in mappings.items():
        function = mapping["Properties"]["FunctionName"]["Ref"]
        created = by_function[rehearsal.functions[function]["FunctionArn"]]
        assert created["EventSourceArn"], name
    kinds = Counter(m["EventSourceArn"].split(":")[2] for m in rehearsal.mappings)
    assert kinds == {"sqs": 5, "dynamodb": 1}
    # and each schedule or event rule targets its function
    targets = {t["Arn"] for rule in rehearsal.rules for t in rule["Targets"]}
    rules = _of_type(rehearsal, "AWS::Events::Rule")
    assert len(rehearsal.rules) == len(rules) == 10
    assert targets <= {f["FunctionArn"] for f in rehearsal.functions.values()}


def test_the_api_is_deployed_from_its_body_with_every_route(rehearsal: Rehearsal) -> None:
    # Given the API resources (moto ignores the body; these are template assertions)
    from app import app

    api = _of_type(rehearsal, "AWS::ApiGateway::RestApi")["RestAPI"]["Properties"]["Body"]
    (deployment,) = _of_type(rehearsal, "AWS::ApiGateway::Deployment").values()
    (stage,) = _of_type(rehearsal, "AWS::ApiGateway::Stage").values()

    # Then the stage "api" deploys the body's API
    assert deployment["Properties"]["RestApiId"] == {"Ref": "RestAPI"}
    assert stage["Properties"]["StageName"] == "api" and stage["Properties"]["RestApiId"] == {"Ref": "RestAPI"}
    # with the throttling budgets (infra/edge.py) translated onto the stage
    budgets = {s["ResourcePath"]: s["ThrottlingRateLimit"] for s in stage["Properties"]["MethodSettings"]}
    assert budgets["/*"] == {"Ref": "ApiThrottlingRateLimit"}
    assert budgets["/~1webhooks~1interview-results"] == {"Ref": "WebhookThrottlingRateLimit"}
    # and no sign-in budget: no route of the API takes a password
    assert not any("auth" in path for path in budgets)
    # and the body holds every route of the app, each integrated with the API handler
    routes = {(p, m.lower()) for p, entries in app.routes.items() for m in entries}
    methods = {(p, m) for p, spec in api["paths"].items() for m in spec if m != "options"}
    assert routes <= methods
    for path, spec in api["paths"].items():
        for method, operation in spec.items():
            uri = json.dumps(operation["x-amazon-apigateway-integration"]["uri"])
            assert "APIHandler.Arn" in uri, f"{method} {path}"
    # and the token authorizer is the authorizer function
    authorizer = api["securityDefinitions"]["cognito_id_token"]["x-amazon-apigateway-authorizer"]
    assert "CognitoIdToken.Arn" in json.dumps(authorizer["authorizerUri"])


def test_the_user_pool_is_the_one_the_local_stack_creates(rehearsal: Rehearsal) -> None:
    # Given the translated template's Cognito resources
    from infra.cognito import DEPARTMENT
    from infra.outputs import load_template

    source = load_template()["Resources"]
    resources = rehearsal.template["Resources"]

    # Then they are the definitions infra/cognito.py creates locally, created unless a pool is given
    for name in ("UserPool", "UserPoolClient", "HrGroup", "ManagerGroup", "InterviewerGroup", "ItGroup"):
        assert resources[name]["Properties"] == source[name]["Properties"], name
        assert resources[name]["Condition"] == "CreateUserPool"
    client = resources["UserPoolClient"]["Properties"]
    assert DEPARTMENT in client["ReadAttributes"] and DEPARTMENT not in client["WriteAttributes"]
    # And the hosted sign-in pages' domain and the bank's identity providers travel unchanged
    for name in ("UserPoolDomain", "OidcIdentityProvider", "SamlIdentityProvider"):
        assert resources[name] == source[name], name


def test_asynchronous_functions_send_failures_to_the_event_dead_letter_queue(rehearsal: Rehearsal) -> None:
    # Given the invoke configurations (schedules and the S3 object event)
    configs = _of_type(rehearsal, "AWS::Lambda::EventInvokeConfig")
    rules = {
        r["Properties"]["Targets"][0]["Arn"]["Fn::GetAtt"][0] for r in _of_type(rehearsal, "AWS::Events::Rule").values()
    }

    # Then every function a rule invokes has one: two retries, then the event dead-letter queue
    assert {c["Properties"]["FunctionName"]["Ref"] for c in configs.values()} == rules
    for name, config in configs.items():
        props = config["Properties"]
        assert props["MaximumRetryAttempts"] == 2, name
        destination = props["DestinationConfig"]["OnFailure"]["Destination"]
        assert destination == {"Fn::GetAtt": ["EventDeadLetterQueue", "Arn"]}, name


def test_the_bucket_policy_denies_plain_http(rehearsal: Rehearsal) -> None:
    # Given the bucket policy / Then it applies to the document bucket and denies non-TLS requests
    (policy,) = _of_type(rehearsal, "AWS::S3::BucketPolicy").values()
    assert policy["Properties"]["Bucket"] == {"Ref": "DocumentBucket"}
    (deny,) = policy["Properties"]["PolicyDocument"]["Statement"]
    assert deny["Effect"] == "Deny" and deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_secrets_are_generated_and_encrypted(rehearsal: Rehearsal) -> None:
    # Given the secrets / Then CloudFormation generates each, encrypted with the data key
    secrets = _of_type(rehearsal, "AWS::SecretsManager::Secret")
    # the PII hash key, the page-token key and the vendors' webhook secrets
    assert {"PiiHashKeySecret", "PageTokenKeySecret"} <= set(secrets) and len(secrets) == 6
    for name, secret in secrets.items():
        assert "SecretString" not in secret["Properties"], name
        assert secret["Properties"]["GenerateSecretString"]["PasswordLength"] >= 32, name
        assert secret["Properties"]["KmsKeyId"] == {"Fn::GetAtt": ["DataKey", "Arn"]}, name
