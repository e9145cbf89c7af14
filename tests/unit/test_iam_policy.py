"""The IAM check of recorded AWS calls (tests/support/iam_policy.py): operation -> action, symbolic
ARNs on both sides, and a role that lacks an action is reported."""

from __future__ import annotations

import copy
from typing import Any

from tests.support.iam_policy import Names, Need, matches, needs, symbolic, violations

TABLE = "talent-TalentTable-ABC"
BUCKET = "talent-documentbucket-xyz"
QUEUE = "https://sqs.us-east-1.amazonaws.com/123456789012/talent-NotificationQueue-Q1"
NAMES = Names({TABLE: "TalentTable", BUCKET: "DocumentBucket", QUEUE: "NotificationQueue"}, {"pool-1": "${UserPoolId}"})
TABLE_ARN = "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TalentTable}"
OBJECTS = "arn:${AWS::Partition}:s3:::${DocumentBucket}"


def template(statements: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "Resources": {
            "TalentTable": {"Type": "AWS::DynamoDB::Table", "Properties": {}},
            "DataKey": {"Type": "AWS::KMS::Key", "Properties": {}},
            "DocumentBucket": {
                "Type": "AWS::S3::Bucket",
                "Properties": {
                    "BucketEncryption": {
                        "ServerSideEncryptionConfiguration": [
                            {
                                "ServerSideEncryptionByDefault": {
                                    "SSEAlgorithm": "aws:kms",
                                    "KMSMasterKeyID": {"Fn::GetAtt": ["DataKey", "Arn"]},
                                }
                            }
                        ]
                    }
                },
            },
            "Worker": {
                "Type": "AWS::Serverless::Function",
                "Properties": {"Handler": "functions.w.work", "Role": {"Fn::GetAtt": ["WorkerRole", "Arn"]}},
            },
            "WorkerRole": {
                "Type": "AWS::IAM::Role",
                "Properties": {"Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": statements}}]},
            },
        }
    }


STATEMENTS = [
    {
        "Effect": "Allow",
        "Action": ["dynamodb:PutItem", "dynamodb:UpdateItem"],
        "Resource": [{"Fn::GetAtt": ["TalentTable", "Arn"]}],
    },
    {"Effect": "Allow", "Action": ["dynamodb:Query"], "Resource": [{"Fn::Sub": "${TalentTable.Arn}/index/*"}]},
    {"Effect": "Allow", "Action": ["s3:PutObject"], "Resource": [{"Fn::Sub": "${DocumentBucket.Arn}/imports/*"}]},
    {"Effect": "Allow", "Action": ["kms:GenerateDataKey"], "Resource": [{"Fn::GetAtt": ["DataKey", "Arn"]}]},
]


def test_a_transaction_needs_the_action_of_each_of_its_parts() -> None:
    # Given a transaction that puts one item and updates another
    params = {"TransactItems": [{"Put": {"TableName": TABLE}}, {"Update": {"TableName": TABLE}}]}

    # When its needs are computed
    found = {(n.action, n.resource) for n in needs("dynamodb", "TransactWriteItems", params, NAMES)}

    # Then they are the item actions on the table, named by its logical id (there is no Transact* action)
    assert found == {("dynamodb:PutItem", TABLE_ARN), ("dynamodb:UpdateItem", TABLE_ARN)}


def test_s3_operations_that_are_not_their_own_action() -> None:
    # Given S3 calls whose IAM action differs from the operation name
    def one(operation: str, **params: Any) -> tuple[str, str]:
        (need,) = needs("s3", operation, {"Bucket": BUCKET, **params}, NAMES)
        return need.action, need.resource

    # Then listing versions needs ListBucketVersions on the bucket, tagging a version the version action
    assert one("ListObjectVersions", Prefix="videos/") == ("s3:ListBucketVersions", OBJECTS)
    assert one("PutObjectTagging", Key="videos/a.mp4", VersionId="v1") == (
        "s3:PutObjectVersionTagging",
        f"{OBJECTS}/videos/object",
    )
    assert one("PutObjectTagging", Key="videos/a.mp4")[0] == "s3:PutObjectTagging"
    assert one("HeadObject", Key="resumes/r.pdf") == ("s3:GetObject", f"{OBJECTS}/resumes/object")
    # and a batch delete needs the delete action of each object it names
    batch = needs(
        "s3", "DeleteObjects", {"Bucket": BUCKET, "Delete": {"Objects": [{"Key": "a/1", "VersionId": "v"}]}}, NAMES
    )
    assert [n.action for n in batch] == ["s3:DeleteObjectVersion"]


def test_unauthenticated_cognito_calls_need_no_permission() -> None:
    # Given the console's sign-in call / Then no IAM permission is needed (the app client id is the credential)
    assert needs("cognito-idp", "InitiateAuth", {"ClientId": "c"}, NAMES) == []
    # while listing a group's users is on the pool the stack was given
    (listed,) = needs("cognito-idp", "ListUsersInGroup", {"UserPoolId": "pool-1"}, NAMES)
    assert listed.resource.endswith(":userpool/${UserPoolId}")


def test_policy_expressions_resolve_to_the_same_symbolic_arns() -> None:
    # Given the policy expressions of a role / When resolved symbolically
    resources = template([])["Resources"]
    index = symbolic({"Fn::Sub": "${TalentTable.Arn}/index/*"}, resources)
    either = symbolic({"Fn::If": ["C", {"Ref": "A"}, {"Ref": "B"}]}, resources)

    # Then they use the template's names, and IAM wildcards match what a call needs
    assert index == [f"{TABLE_ARN}/index/*"]
    assert either == ["${A}", "${B}"]
    assert matches(index[0], f"{TABLE_ARN}/index/gsi1")
    assert not matches(index[0], TABLE_ARN)
    assert matches("arn:x:secret:name-??????", "arn:x:secret:name-AbCdEf")


def test_a_call_its_role_allows_passes_and_one_action_removed_fails() -> None:
    # Given recorded calls of one function: an indexed query, an update, an upload under imports/
    recorded = [
        ("functions.w.work", need)
        for need in needs("dynamodb", "Query", {"TableName": TABLE, "IndexName": "gsi1"}, NAMES)
        + needs("dynamodb", "UpdateItem", {"TableName": TABLE}, NAMES)
        + needs("s3", "PutObject", {"Bucket": BUCKET, "Key": "imports/a.xlsx"}, NAMES)
    ]

    # When they are checked against its role, then against the role without UpdateItem
    allowed = violations(template(STATEMENTS), recorded)
    reduced = copy.deepcopy(STATEMENTS)
    reduced[0]["Action"] = ["dynamodb:PutItem"]
    missing = violations(template(reduced), recorded)

    # Then the full role allows all (the upload's implied kms:GenerateDataKey on the bucket key included)
    assert allowed == []
    # and the reduced one is reported, naming the action and the resource
    assert missing == [("functions.w.work", Need("dynamodb:UpdateItem", TABLE_ARN))]


def test_an_upload_to_an_encrypted_bucket_needs_the_key() -> None:
    # Given a role that may put objects but has no KMS statement
    statements = [s for s in STATEMENTS if "kms:GenerateDataKey" not in s["Action"]]
    recorded = [
        ("functions.w.work", n) for n in needs("s3", "PutObject", {"Bucket": BUCKET, "Key": "imports/x"}, NAMES)
    ]

    # When checked / Then the bucket's customer key is the missing permission
    ((_, need),) = violations(template(statements), recorded)
    assert need.action == "kms:GenerateDataKey"
    assert need.resource == "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${DataKey}"


def test_a_call_outside_the_template_or_of_an_unknown_handler_is_reported() -> None:
    # Given a call by a handler no function of the template has
    recorded = [("functions.gone.handler", Need("dynamodb:GetItem", TABLE_ARN))]

    # When checked / Then it is reported rather than ignored
    ((handler, need),) = violations(template(STATEMENTS), recorded)
    assert handler == "functions.gone.handler" and "no function" in need.because
