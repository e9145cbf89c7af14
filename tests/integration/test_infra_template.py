"""infra/template.json: plain CloudFormation that moto creates in-process, Outputs as settings."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from infra.outputs import (
    OUTPUT_TO_ENV,
    TEMPLATE_PATH,
    env_expressions,
    env_from_outputs,
    load_template,
    output_to_env,
    stack_outputs,
)
from shared.settings import Settings
from shared.vocabulary import Role
from tests.support.emulator import offline

REGION = "us-east-1"
# Settings that name a deployed resource; each must come from a stack Output.
RESOURCE_SETTINGS = {
    "table_name",
    "idempotency_table_name",
    "bucket_name",
    "import_queue_url",
    "kms_key_id",
    "pii_hash_key_secret",
    "page_token_key_secret",
    "user_pool_id",
    "user_pool_client_id",
}


@pytest.fixture
def template() -> dict[str, Any]:
    return load_template()


@pytest.fixture
def created(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[dict[str, Any], dict[str, str]]]:
    """The stack as moto's CloudFormation creates it: (describe_stacks entry, Outputs)."""
    offline(monkeypatch)
    with mock_aws(), warnings.catch_warnings():
        # moto warns about resource types it skips (AWS::S3::BucketPolicy); the test looks at the result.
        warnings.simplefilter("ignore", UserWarning)
        cfn = boto3.client("cloudformation", region_name=REGION)
        cfn.create_stack(
            StackName="talent-test",
            TemplateBody=TEMPLATE_PATH.read_text(encoding="utf-8"),
            Parameters=[
                {"ParameterKey": "UserPoolId", "ParameterValue": "us-east-1_TestPool"},
                {"ParameterKey": "UserPoolClientId", "ParameterValue": "test-client-id"},
            ],
        )
        stack = cfn.describe_stacks(StackName="talent-test")["Stacks"][0]
        yield stack, stack_outputs(stack)


def _resource_types(template: dict[str, Any]) -> set[str]:
    return {resource["Type"] for resource in template["Resources"].values()}


def test_moto_creates_the_stack_and_resolves_every_output(
    template: dict[str, Any], created: tuple[dict[str, Any], dict[str, str]]
) -> None:
    # Given the template created by moto's CloudFormation with the Cognito ids as parameters
    stack, outputs = created

    # Then creation completed and every declared Output has a concrete value
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    assert set(outputs) == set(template["Outputs"])
    for name, value in outputs.items():
        assert value, f"Output {name} is empty"
        assert "{" not in value and "Fn::" not in value, f"Output {name} is unresolved: {value}"
    assert outputs["UserPoolId"] == "us-east-1_TestPool"
    assert outputs["UserPoolClientId"] == "test-client-id"
    assert outputs["PiiHashKeySecret"] == "talent-test/pii-hash-key"
    assert outputs["VendorSecretsPath"] == "talent-test/vendors/"
    assert outputs["KmsKeyId"].startswith("arn:aws:kms:")
    assert outputs["ImportQueueArn"].startswith("arn:aws:sqs:")


def test_outputs_name_the_resources_moto_created(created: tuple[dict[str, Any], dict[str, str]]) -> None:
    # Given the created stack's Outputs
    _, outputs = created

    # When the resources are looked up by the names the Outputs give
    table = boto3.client("dynamodb", region_name=REGION).describe_table(TableName=outputs["TableName"])["Table"]
    idem = boto3.client("dynamodb", region_name=REGION).describe_table(TableName=outputs["IdempotencyTableName"])
    sqs = boto3.client("sqs", region_name=REGION)
    queue = sqs.get_queue_attributes(QueueUrl=outputs["ImportQueueUrl"], AttributeNames=["All"])["Attributes"]
    dlq = sqs.get_queue_attributes(QueueUrl=outputs["ImportDeadLetterQueueUrl"], AttributeNames=["All"])["Attributes"]
    encryption = boto3.client("s3", region_name=REGION).get_bucket_encryption(Bucket=outputs["BucketName"])

    # Then they exist with the shape the code relies on
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert {(k["AttributeName"], k["KeyType"]) for k in table["KeySchema"]} == {("pk", "HASH"), ("sk", "RANGE")}
    assert sorted(index["IndexName"] for index in table["GlobalSecondaryIndexes"]) == ["gsi1", "gsi2", "gsi3"]
    assert idem["Table"]["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
    assert queue["QueueArn"] == outputs["ImportQueueArn"]
    assert json.loads(queue["RedrivePolicy"]) == {"deadLetterTargetArn": dlq["QueueArn"], "maxReceiveCount": 5}
    assert queue["KmsMasterKeyId"] == outputs["KmsKeyId"] == dlq["KmsMasterKeyId"]
    assert dlq["MessageRetentionPeriod"] == str(14 * 24 * 3600)
    rule = encryption["ServerSideEncryptionConfiguration"]["Rules"][0]["ApplyServerSideEncryptionByDefault"]
    assert rule == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": outputs["KmsKeyId"]}


def test_outputs_become_the_settings_environment(created: tuple[dict[str, Any], dict[str, str]]) -> None:
    # Given the resolved Outputs
    _, outputs = created

    # When they are turned into environment variables and read as Settings
    env = env_from_outputs(outputs)
    fields = {name.lower(): value for name, value in env.items() if name.lower() in Settings.model_fields}
    settings = Settings.model_validate(fields)

    # Then every resource setting is covered, with the Output's value
    assert {name.lower() for name in env} >= RESOURCE_SETTINGS
    assert settings.table_name == outputs["TableName"]
    assert settings.import_queue_url == outputs["ImportQueueUrl"]
    assert settings.kms_key_id == outputs["KmsKeyId"]
    assert settings.user_pool_client_id == outputs["UserPoolClientId"]


@pytest.mark.parametrize(
    ("output", "env"),
    [
        ("TableName", "TABLE_NAME"),
        ("ImportDeadLetterQueueUrl", "IMPORT_DEAD_LETTER_QUEUE_URL"),
        ("KmsKeyId", "KMS_KEY_ID"),
        ("S3Bucket", "S3_BUCKET"),
        ("KMSKeyArn", "KMS_KEY_ARN"),
    ],
)
def test_output_names_convert_to_upper_snake(output: str, env: str) -> None:
    # Given a CamelCase Output name / When converted / Then it is the UPPER_SNAKE variable
    assert output_to_env(output) == env


def test_conversion_rejects_collisions_and_non_names() -> None:
    # Given two Outputs that would give the same variable, and a name that is not an Output name
    # When converted / Then both are refused rather than silently overwritten
    with pytest.raises(ValueError, match="TABLE_NAME"):
        env_from_outputs({"TableName": "a", "TABLEName": "b"})
    with pytest.raises(ValueError):
        output_to_env("table-name")


def test_output_mapping_and_lambda_expressions_come_from_the_template(template: dict[str, Any]) -> None:
    # Given the template / When the mapping and the Lambda environment expressions are computed
    expressions = env_expressions(template)

    # Then both cover every Output, and expressions are the Outputs' own values
    assert set(OUTPUT_TO_ENV) == set(template["Outputs"])
    assert set(expressions) == set(OUTPUT_TO_ENV.values())
    assert expressions["TABLE_NAME"] == {"Ref": "TalentTable"}
    assert expressions["KMS_KEY_ID"] == {"Fn::GetAtt": ["DataKey", "Arn"]}


def test_template_is_plain_cloudformation_with_cognito_unless_a_pool_is_given(template: dict[str, Any]) -> None:
    # Given the template
    types = _resource_types(template)
    cognito = {n: r for n, r in template["Resources"].items() if r["Type"].startswith("AWS::Cognito::")}

    # Then it needs no SAM transform, and creates the user pool, its client and groups only when no
    # existing pool is given (the local stack gives the pool it made from the same definition)
    assert "Transform" not in template
    assert not [t for t in types if t.startswith("AWS::Serverless::")]
    assert "Globals" not in template
    assert {
        "UserPool",
        "UserPoolClient",
        "UserPoolDomain",
        "HrGroup",
        "ManagerGroup",
        "InterviewerGroup",
        "ItGroup",
        "OidcIdentityProvider",
        "SamlIdentityProvider",
    } == set(cognito)
    assert {r.get("Condition") for r in cognito.values()} == {"CreateUserPool", "Oidc", "Saml"}
    for federation in ("Oidc", "Saml"):
        assert {"Condition": "CreateUserPool"} in template["Conditions"][federation]["Fn::And"]
    assert template["Conditions"]["CreateUserPool"] == {"Fn::Equals": [{"Ref": "UserPoolId"}, ""]}
    assert template["Outputs"]["UserPoolId"]["Value"] == {
        "Fn::If": ["CreateUserPool", {"Ref": "UserPool"}, {"Ref": "UserPoolId"}]
    }


def test_template_security_properties(template: dict[str, Any]) -> None:
    # Given the template's resources
    resources = template["Resources"]
    key_arn = {"Fn::GetAtt": ["DataKey", "Arn"]}

    # Then the key rotates and its policy delegates to the account
    key = resources["DataKey"]["Properties"]
    assert key["EnableKeyRotation"] is True
    assert key["KeyPolicy"]["Statement"][0]["Principal"]["AWS"]["Fn::Sub"].endswith(":root")
    # and both tables use it, with point-in-time recovery and TTL
    for name, ttl in (("TalentTable", "expires_at"), ("IdempotencyTable", "expiration")):
        table = resources[name]["Properties"]
        assert table["SSESpecification"] == {"SSEEnabled": True, "SSEType": "KMS", "KMSMasterKeyId": key_arn}
        assert table["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
        assert table["TimeToLiveSpecification"] == {"AttributeName": ttl, "Enabled": True}
    # and the bucket is private, versioned, KMS-encrypted, TLS-only, and emits EventBridge events
    bucket = resources["DocumentBucket"]["Properties"]
    assert set(bucket["PublicAccessBlockConfiguration"].values()) == {True}
    assert len(bucket["PublicAccessBlockConfiguration"]) == 4
    sse = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert sse["ServerSideEncryptionByDefault"] == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_arn}
    assert sse["BucketKeyEnabled"] is True
    assert bucket["VersioningConfiguration"] == {"Status": "Enabled"}
    assert bucket["NotificationConfiguration"]["EventBridgeConfiguration"]["EventBridgeEnabled"] is True
    assert bucket["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    deny = resources["DocumentBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"][0]
    assert deny["Effect"] == "Deny"
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    # and both queues use the key
    for name in ("ImportQueue", "ImportDeadLetterQueue"):
        assert resources[name]["Properties"]["KmsMasterKeyId"] == key_arn


def test_cfn_lint_finds_no_errors_in_the_template() -> None:
    # Given the template / When cfn-lint checks it
    cfn_lint = Path(sys.executable).parent / "cfn-lint"
    result = subprocess.run([str(cfn_lint), str(TEMPLATE_PATH)], capture_output=True, text=True, check=False)

    # Then it reports no errors (exit code bit 2); warnings (4) and informational (8) are allowed
    assert result.returncode & 2 == 0, result.stdout + result.stderr
    assert result.returncode & 1 == 0, result.stdout + result.stderr


def test_bucket_lifecycle_expires_unsuccessful_applicants_videos_and_import_files(template: dict[str, Any]) -> None:
    # Given the bucket's lifecycle rules
    rules = {
        r["Id"]: r for r in template["Resources"]["DocumentBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
    }
    # Then videos expire only when tagged retention=unsuccessful (rejected / withdrawn), after a
    # configurable number of days, and their old versions too (the bucket is versioned)
    videos = rules["unsuccessful-applicant-videos"]
    assert videos["Status"] == "Enabled" and videos["Prefix"] == "videos/"
    assert videos["TagFilters"] == [{"Key": "retention", "Value": "unsuccessful"}]
    assert videos["ExpirationInDays"] == {"Ref": "UnsuccessfulVideoRetentionDays"}
    assert videos["NoncurrentVersionExpiration"] == {"NoncurrentDays": 1}
    # And import spreadsheets (many people's data) expire by prefix
    imports = rules["import-files"]
    assert imports["Status"] == "Enabled" and imports["Prefix"] == "imports/" and "TagFilters" not in imports
    assert imports["ExpirationInDays"] == {"Ref": "ImportFileRetentionDays"}
    assert imports["NoncurrentVersionExpiration"] == {"NoncurrentDays": 1}
    # And nothing else expires: no rule reaches resumes/ or offers/ (their retention is erasure)
    assert {r.get("Prefix") for r in rules.values() if "ExpirationInDays" in r} == {"videos/", "imports/"}
    params = template["Parameters"]
    assert params["UnsuccessfulVideoRetentionDays"]["Default"] == 180
    assert params["ImportFileRetentionDays"]["Default"] == 30


def test_the_console_may_post_presigned_uploads_to_the_bucket_and_nothing_else(template: dict[str, Any]) -> None:
    # Given the bucket's CORS rules (the console uploads import files and resumes from the browser)
    rules = template["Resources"]["DocumentBucket"]["Properties"]["CorsConfiguration"]["CorsRules"]
    # Then one rule allows a cross-origin POST (the presigned form, whose signed policy decides what may
    # be written) and no other method: reads stay presigned GETs opened as links, not scripted
    assert [r["AllowedMethods"] for r in rules] == [["POST"]]
    # And the public access block stays on: CORS grants no access by itself
    assert template["Resources"]["DocumentBucket"]["Properties"]["PublicAccessBlockConfiguration"]["BlockPublicPolicy"]


def test_secrets_are_generated_at_deployment_under_the_names_the_code_reads(template: dict[str, Any]) -> None:
    # Given the template's secrets
    from shared.domain.background import BACKGROUND_VENDORS
    from shared.domain.vendors import VENDOR_FORMATS

    resources = template["Resources"]
    secrets = {n: r for n, r in resources.items() if r["Type"] == "AWS::SecretsManager::Secret"}

    # Then there is no parameter holding a placeholder for someone to overwrite: every secret is
    # generated by CloudFormation, encrypted with the data key
    assert not [n for n, r in resources.items() if r["Type"] == "AWS::SSM::Parameter"]
    for name, secret in secrets.items():
        assert secret["Properties"]["GenerateSecretString"]["PasswordLength"] >= 32, name
        assert secret["Properties"]["GenerateSecretString"]["ExcludePunctuation"] is True, name
        assert secret["Properties"]["KmsKeyId"] == {"Fn::GetAtt": ["DataKey", "Arn"]}, name
    # and the PII hash key survives deletion and replacement (stored hashes depend on it)
    assert (
        secrets["PiiHashKeySecret"]["DeletionPolicy"] == secrets["PiiHashKeySecret"]["UpdateReplacePolicy"] == "Retain"
    )
    # and the names are where the code looks: the PII and page-token keys' Outputs, each vendor under
    # VendorSecretsPath
    names = {s["Properties"]["Name"]["Fn::Sub"] for s in secrets.values()}
    prefix = template["Outputs"]["VendorSecretsPath"]["Value"]["Fn::Sub"]
    vendors = {*VENDOR_FORMATS, *BACKGROUND_VENDORS, "esign"}
    keys = {template["Outputs"][key]["Value"]["Fn::Sub"] for key in ("PiiHashKeySecret", "PageTokenKeySecret")}
    assert names == keys | {f"{prefix}{vendor}/webhook-secrets" for vendor in vendors}


def test_secrets_created_from_their_definitions_are_webhook_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given the template's secrets created outside CloudFormation as the local stack does
    from infra.secrets import create_secrets, secret_names
    from shared.security.webhooks import secret_key

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    template = load_template()
    with mock_aws():
        sm = boto3.client("secretsmanager", region_name=REGION)
        created = create_secrets(sm, template, "talent-x", {"DataKey.Arn": "arn:aws:kms:us-east-1:1:key/k"})
        values = {n: sm.get_secret_value(SecretId=arn)["SecretString"] for n, arn in created.items()}
        described = sm.describe_secret(SecretId=created["PiiHashKeySecret"])

    # Then each has the template's name and key, and a vendor's generated value is a valid Standard
    # Webhooks key (32 base64 characters: 24 random bytes)
    assert set(created) == set(secret_names(template, "talent-x"))
    assert described["Name"] == "talent-x/pii-hash-key" and described["KmsKeyId"].endswith("key/k")
    assert len(values["PiiHashKeySecret"]) == 64
    assert len(secret_key(values["AiVendorWebhookSecrets"])) == 24


CONSOLE = "https://talent.zybank.example/api/console/"


def test_the_app_client_signs_in_with_the_code_flow_only(template: dict[str, Any]) -> None:
    # Given the template's app client for a console address
    from infra.cognito import definition

    client = definition(template, {"ConsoleUrl": CONSOLE}).client
    # Then the console signs in with the authorization code flow only, back to its own address, as a
    # public client whose access token may enrol the person's authenticator app but not write their
    # department, with no password flow of its own
    assert client["AllowedOAuthFlowsUserPoolClient"] is True and client["AllowedOAuthFlows"] == ["code"]
    assert client["CallbackURLs"] == [CONSOLE] and client["LogoutURLs"] == [CONSOLE]
    assert client["AllowedOAuthScopes"] == ["openid", "email", "profile", "aws.cognito.signin.user.admin"]
    assert "custom:department" not in client["WriteAttributes"]
    assert client["GenerateSecret"] is False
    assert client["ExplicitAuthFlows"] == ["ALLOW_REFRESH_TOKEN_AUTH"]
    assert client["SupportedIdentityProviders"] == ["COGNITO"]
    # And the client names no resource of the API (the API's functions carry the client id: naming
    # the API back would be a circular reference, hence the ConsoleUrl parameter)
    names = json.dumps(template["Resources"]["UserPoolClient"])
    assert "RestAPI" not in names and "APIHandler" not in names
    # And the hosted pages are on the pool's domain, the prefix a parameter, which the settings name
    domain = template["Resources"]["UserPoolDomain"]["Properties"]
    assert domain["UserPoolId"] == {"Ref": "UserPool"}
    assert "SignInDomainPrefix" in json.dumps(domain["Domain"])
    assert OUTPUT_TO_ENV["SignInUrl"] == "SIGN_IN_URL"
    # And without a console address (a first deployment, before the API exists) no OAuth flow at all
    first = definition(template).client
    assert first["AllowedOAuthFlowsUserPoolClient"] is False and "CallbackURLs" not in first


def test_mfa_required_groups_flow_from_the_template_into_every_functions_environment(
    template: dict[str, Any], created: tuple[dict[str, Any], dict[str, str]]
) -> None:
    from infra.cognito import GROUP_TYPE, definition
    from infra.outputs import env_expressions

    # Given the template's parameter, its default and its Output
    parameter = template["Parameters"]["MfaRequiredGroups"]
    _, outputs = created
    # Then the functions' environment (every Output) carries the parameter, resolved to its default
    # (HR and IT: the groups that see every department's people or provision their access)
    assert env_expressions(template)["MFA_REQUIRED_GROUPS"] == {"Ref": "MfaRequiredGroups"}
    assert outputs["MfaRequiredGroups"] == parameter["Default"] == "hr,it"
    settings = Settings.model_validate(
        {
            name.lower(): value
            for name, value in env_from_outputs(outputs).items()
            if name.lower() in Settings.model_fields
        }
    )
    assert settings.mfa_groups == {"hr", "it"}
    # And only the pool's groups (the roles) are accepted, comma-separated: CloudFormation refuses a typo
    groups = {r["Properties"]["GroupName"] for r in template["Resources"].values() if r["Type"] == GROUP_TYPE}
    assert groups == {r.value for r in Role}
    assert set(re.findall(r"\w+", parameter["AllowedPattern"].split("(,")[0])) == groups
    pattern = re.compile(parameter["AllowedPattern"])
    assert all(pattern.match(v) for v in ("", "hr", "hr,it,manager,interviewer"))
    assert not any(pattern.match(v) for v in ("admin", "hr,", "hr it", "hr,,it"))
    # And the pool lets people enrol TOTP by default, which a required group needs (a rule refuses OFF)
    assert definition(template).mfa == {
        "MfaConfiguration": "OPTIONAL",
        "SoftwareTokenMfaConfiguration": {"Enabled": True},
    }
    rule = template["Rules"]["MfaRequiredNeedsMfa"]
    assert rule["RuleCondition"] == {"Fn::Not": [{"Fn::Equals": [{"Ref": "MfaRequiredGroups"}, ""]}]}
    assert rule["Assertions"][0]["Assert"] == {"Fn::Not": [{"Fn::Equals": [{"Ref": "MfaConfiguration"}, "OFF"]}]}


def test_federation_parameters_add_the_banks_identity_providers_to_the_client(template: dict[str, Any]) -> None:
    from infra.expressions import Evaluator

    client = template["Resources"]["UserPoolClient"]["Properties"]
    refs = {"UserPool": "<pool>", "OidcIdentityProvider": "BankOIDC", "SamlIdentityProvider": "BankSAML"}
    # Given no federation parameter: Cognito's own users only
    off = Evaluator(template, {"ConsoleUrl": CONSOLE}, refs=refs)
    assert off(client["SupportedIdentityProviders"]) == ["COGNITO"]
    assert not off.condition("Oidc") and not off.condition("Saml")
    # When the bank's OIDC issuer and SAML metadata are given
    on = Evaluator(
        template,
        {
            "ConsoleUrl": CONSOLE,
            "OidcIssuer": "https://sso.zybank.example",
            "OidcClientId": "talent",
            "OidcClientSecretArn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:talent-oidc-AbCdEf",
            "SamlMetadataUrl": "https://adfs.zybank.example/FederationMetadata.xml",
        },
        refs=refs,
    )
    # Then both providers are created and offered by the console's client
    assert on.condition("Oidc") and on.condition("Saml")
    assert on(client["SupportedIdentityProviders"]) == ["COGNITO", "BankOIDC", "BankSAML"]
    oidc = on(template["Resources"]["OidcIdentityProvider"]["Properties"])
    assert oidc["ProviderType"] == "OIDC" and oidc["ProviderDetails"]["oidc_issuer"] == "https://sso.zybank.example"
    # with the client secret resolved from Secrets Manager at deploy time, never a plain parameter
    assert oidc["ProviderDetails"]["client_secret"].startswith("{{resolve:secretsmanager:arn:aws:secretsmanager:")
    saml = on(template["Resources"]["SamlIdentityProvider"]["Properties"])
    assert saml["ProviderDetails"] == {"MetadataURL": "https://adfs.zybank.example/FederationMetadata.xml"}
    # And neither maps anything onto the department or the groups: those stay the pool's (an
    # administrator's) to set, so an identity provider's claims cannot move a person into a department
    for provider in (oidc, saml):
        assert set(provider["AttributeMapping"]) == {"email"}
