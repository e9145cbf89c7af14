"""One IAM role per Lambda function, each allowing what that function's code calls and nothing else.

``GRANTS`` says, per function (Chalice's logical id), which actions on which of the template's
resources its code uses; ``tests/support/iam_record.py`` records every AWS call each function makes
during the test suite and fails the run if its role lacks one (see docs/deploy.md). Added to every
role from the function's own configuration:

* its log group (``<Function>LogGroup``, retention from ``LogRetentionDays``) and the right to write
  to it, and nothing else of CloudWatch Logs;
* what Lambda does with the role for the function's event sources: receive and delete from the
  SQS queue it consumes, read the table stream it consumes, send to its on-failure destinations
  (the queues' data key included).

Every statement names its resources, except the one AWS requires ``*`` for:
``states:SendTaskSuccess`` / ``states:SendTaskHeartbeat`` (a task token names no resource; see
``answer_probation``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

LOG_RETENTION_PARAMETER = "LogRetentionDays"
TABLE, IDEMPOTENCY, BUCKET = "TalentTable", "IdempotencyTable", "DocumentBucket"
DATA_KEY, FIELD_KEY = "DataKey", "FieldKey"
MACHINE = "ProbationStateMachine"
SECRET_TYPE = "AWS::SecretsManager::Secret"  # noqa: S105 (a resource type)

Statement = dict[str, Any]


class RoleError(ValueError):
    pass


# --------------------------------------------------------------------------- grants


def _arn(logical: str) -> dict[str, Any]:
    return {"Fn::GetAtt": [logical, "Arn"]}


def _statement(sid: str, actions: list[str], resources: list[Any]) -> Statement:
    return {"Sid": sid, "Effect": "Allow", "Action": sorted(actions), "Resource": resources}


READ_ITEMS = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"]
WRITE_ITEMS = [
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
]


def items(*actions: str, table: str = TABLE) -> Statement:
    """Item actions on a table (``Query`` also on its indexes)."""
    resources: list[Any] = [_arn(table)]
    if "dynamodb:Query" in actions:
        resources.append({"Fn::Sub": f"${{{table}.Arn}}/index/*"})
    return _statement(f"{table}Items", list(actions), resources)


def idempotency() -> Statement:
    """powertools idempotency records (``functions/idempotency.py``)."""
    return items(
        "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", table=IDEMPOTENCY
    )


def objects(sid: str, actions: list[str], prefixes: list[str]) -> Statement:
    """Object actions under some prefixes of the document bucket."""
    return _statement(sid, actions, [{"Fn::Sub": f"${{{BUCKET}.Arn}}/{p}*"} for p in prefixes])


def listing(*actions: str) -> Statement:
    """Bucket-level listing (``ListBucket`` also makes a missing object 404 instead of 403)."""
    return _statement("DocumentBucketListing", list(actions), [_arn(BUCKET)])


def send(*queues: str) -> Statement:
    return _statement("SendToQueues", ["sqs:SendMessage"], [_arn(q) for q in queues])


def data_key(*actions: str) -> Statement:
    """The data key under the bucket's, the queues' and the secrets' encryption (SSE-KMS)."""
    return _statement("DataKey", list(actions), [_arn(DATA_KEY)])


def field_key() -> Statement:
    """Field-level encryption of personal data (``shared/security/fields.py``): Decrypt opens a data
    key that another instance sealed (an instance keeps its own open, so the suite rarely sees it)."""
    return _statement("FieldKey", ["kms:GenerateDataKey", "kms:Decrypt"], [_arn(FIELD_KEY)])


def secrets(*logical: str) -> Statement:
    """Read secrets; named by the template's ``Name`` (``-??????`` is the suffix Secrets Manager adds)."""
    return {"Sid": "Secrets", "Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"], "Resource": list(logical)}


def start_probation() -> Statement:
    return _statement("StartProbation", ["states:StartExecution"], [{"Ref": MACHINE}])


def answer_probation() -> Statement:
    # SendTaskSuccess / SendTaskHeartbeat name only a task token and support no resource-level
    # permission: AWS requires "*" here (the token itself is the capability).
    return _statement("AnswerProbationTasks", ["states:SendTaskHeartbeat", "states:SendTaskSuccess"], ["*"])


def backoff(queue: str) -> Statement:
    """Make a failing message visible again later (``retry_later``)."""
    return _statement("QueueBackoff", ["sqs:ChangeMessageVisibility"], [_arn(queue)])


def mail() -> Statement:
    return _statement(
        "CandidateMail",
        ["ses:SendEmail", "ses:SendRawEmail"],
        [{"Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${MailFrom}"}],
    )


def people(action: str = "cognito-idp:ListUsersInGroup") -> Statement:
    """Managers' and HR's addresses from the user pool (the stack's own or the one it was given); the
    authorizer's ``AdminGetUser`` (whether a person enrolled TOTP)."""
    pool = {"Fn::If": ["CreateUserPool", {"Ref": "UserPool"}, {"Ref": "UserPoolId"}]}
    return _statement(
        "PeopleDirectory",
        [action],
        [
            {
                "Fn::Sub": [
                    "arn:${AWS::Partition}:cognito-idp:${AWS::Region}:${AWS::AccountId}:userpool/${Pool}",
                    {"Pool": pool},
                ]
            }
        ],
    )


PII_KEY = "PiiHashKeySecret"
PAGE_KEY = "PageTokenKeySecret"
INTERVIEW_VENDORS = ("AiVendorWebhookSecrets", "MianshiWebhookSecrets")
BACKGROUND_VENDOR = "BackgroundVendorWebhookSecrets"
ESIGN_VENDOR = "EsignWebhookSecrets"

# Function (Chalice's logical id) -> what its code calls, as the recorded calls of the test suite show
# (the recording fails the run when a function calls anything its role lacks). A few grants cover
# paths the suite does not reach; each says why.
ENCRYPTED_IO = data_key("kms:Decrypt", "kms:GenerateDataKey")  # objects and messages under the data key
GRANTS: dict[str, list[Statement]] = {
    # The API: every document kind passes through it, so its object actions cover the whole bucket.
    "APIHandler": [
        items(*READ_ITEMS, *WRITE_ITEMS),
        idempotency(),
        objects(
            "DocumentObjects",
            ["s3:GetObject", "s3:PutObject", "s3:DeleteObjectVersion", "s3:PutObjectVersionTagging"],
            [""],
        ),
        # ListBucket: a missing object answers 404 rather than 403; versions: erasure and retention
        listing("s3:ListBucket", "s3:ListBucketVersions"),
        send("BackgroundCheckQueue", "EsignQueue", "ImportQueue", "NotificationQueue", "OnboardingQueue"),
        start_probation(),
        answer_probation(),
        field_key(),
        ENCRYPTED_IO,
        secrets(PII_KEY, PAGE_KEY, *INTERVIEW_VENDORS, BACKGROUND_VENDOR, ESIGN_VENDOR),
    ],
    # Verifies ID tokens with the pool's public keys (HTTPS, no AWS API); asks the pool whether a member
    # of an MfaRequiredGroups group enrolled TOTP.
    "CognitoIdToken": [people("cognito-idp:AdminGetUser")],
    "NotificationWorker": [items("dynamodb:GetItem", "dynamodb:PutItem"), people(), mail()],
    "ObjectCreated": [
        items("dynamodb:GetItem", "dynamodb:PutItem"),
        objects(
            "UploadedVideos",
            ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:GetObject", "s3:GetObjectVersion"],
            ["videos/"],
        ),
        objects("Quarantine", ["s3:PutObject"], ["quarantine/"]),
        listing("s3:ListBucket"),
        send("ImportQueue"),
        ENCRYPTED_IO,
    ],
    "ImportWorker": [
        items(
            "dynamodb:BatchWriteItem",
            "dynamodb:DeleteItem",
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:Query",
            "dynamodb:UpdateItem",
        ),
        objects("ImportedFiles", ["s3:GetObject"], ["imports/", "resumes/", "videos/"]),
        objects("ImportedVideos", ["s3:PutObject"], ["videos/"]),
        # an uploaded spreadsheet is deleted, every version, once its rows are stored (or it is refused)
        objects("ImportedSpreadsheets", ["s3:DeleteObjectVersion"], ["imports/"]),
        listing("s3:ListBucket", "s3:ListBucketVersions"),
        send("ImportQueue"),
        field_key(),
        ENCRYPTED_IO,
        secrets(PII_KEY),
    ],
    "ProjectResults": [items("dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:UpdateItem")],
    "ReconcileParkedResults": [
        items("dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"),
    ],
    # Re-queues decision notices the notification queue refused at the time (a fault the suite injects
    # elsewhere): sends to the notification queue.
    "ReconcileAssessmentNotices": [
        items("dynamodb:Query", "dynamodb:UpdateItem"),
        send("NotificationQueue"),
        ENCRYPTED_IO,
    ],
    # Re-queues rejection notices the notification queue refused right after HR's rejection.
    "ReconcileRejectionNotices": [
        items("dynamodb:BatchWriteItem", "dynamodb:Query"),
        send("NotificationQueue"),
        ENCRYPTED_IO,
    ],
    "OnboardingWorker": [
        items("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"),
        people(),
        mail(),
    ],
    "OnboardingDaily": [items("dynamodb:PutItem", "dynamodb:Query"), people(), mail()],
    # Activates the hires whose start date has come and moves their applications to hired.
    "StartDatesDaily": [items("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query")],
    # Re-sends orders whose message never reached the queue.
    "ReconcileBackgroundOrders": [
        items("dynamodb:Query", "dynamodb:UpdateItem"),
        send("BackgroundCheckQueue"),
        ENCRYPTED_IO,
    ],
    "BackgroundCheckWorker": [
        items("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"),
        backoff("BackgroundCheckQueue"),
    ],
    "EsignWorker": [
        items("dynamodb:GetItem", "dynamodb:PutItem"),
        objects("OfferLetters", ["s3:GetObject"], ["offers/"]),
        listing("s3:ListBucket"),
        backoff("EsignQueue"),
        ENCRYPTED_IO,
    ],
    # Re-sends e-signature and onboarding messages a queue refused right after their change.
    "ReconcileOfferOutbox": [
        items("dynamodb:Query", "dynamodb:UpdateItem"),
        send("EsignQueue", "OnboardingQueue"),
        ENCRYPTED_IO,
    ],
    # (GetItem and PutItem: the one-month check-in mails held until they are true)
    "ProbationDigest": [items("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"), people(), mail()],
    "AnalyticsNightly": [items("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query")],
}


# --------------------------------------------------------------------------- roles


def _secret_arn(template: Mapping[str, Any], logical: str) -> dict[str, Any]:
    resource = template["Resources"].get(logical, {})
    if resource.get("Type") != SECRET_TYPE:
        raise RoleError(f"{logical} is not an {SECRET_TYPE} of the template")
    name = resource["Properties"]["Name"]["Fn::Sub"]
    return {
        "Fn::Sub": f"arn:${{AWS::Partition}}:secretsmanager:${{AWS::Region}}:${{AWS::AccountId}}:secret:{name}-??????"
    }


def _resolve_secrets(template: Mapping[str, Any], statement: Statement) -> Statement:
    if statement.get("Sid") != "Secrets":
        return statement
    return dict(statement, Resource=[_secret_arn(template, s) for s in statement["Resource"]])


def _event_source_statements(function: Mapping[str, Any], merged_events: Mapping[str, Any]) -> list[Statement]:
    """What Lambda itself does with the function's role for its event sources and destinations."""
    statements: list[Statement] = []
    destinations: list[Any] = []
    for event in merged_events.values():
        kind, props = event.get("Type"), event.get("Properties", {})
        if kind == "SQS":
            queue = props["Queue"]
            statements.append(
                _statement(
                    "ConsumeQueue", ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], [queue]
                )
            )
            statements.append(data_key("kms:Decrypt"))
        elif kind == "DynamoDB":
            statements.append(
                _statement(
                    "ReadTableStream",
                    [
                        "dynamodb:DescribeStream",
                        "dynamodb:GetRecords",
                        "dynamodb:GetShardIterator",
                        "dynamodb:ListStreams",
                    ],
                    [props["Stream"]],
                )
            )
            on_failure = props.get("DestinationConfig", {}).get("OnFailure", {})
            if on_failure:
                destinations.append(on_failure["Destination"])
    invoke = function.get("EventInvokeConfig", {}).get("DestinationConfig", {}).get("OnFailure", {})
    if invoke:
        destinations.append(invoke["Destination"])
    if destinations:
        statements.append(_statement("FailureDestinations", ["sqs:SendMessage"], destinations))
        statements.append(data_key("kms:GenerateDataKey", "kms:Decrypt"))
    return statements


def _merge(statements: list[Statement]) -> list[Statement]:
    """One statement per Sid: actions and resources of repeated Sids combined."""
    merged: dict[str, Statement] = {}
    for statement in statements:
        sid = statement["Sid"]
        if sid not in merged:
            merged[sid] = {**statement, "Action": list(statement["Action"]), "Resource": list(statement["Resource"])}
            continue
        target = merged[sid]
        target["Action"] = sorted(set(target["Action"]) | set(statement["Action"]))
        target["Resource"] += [r for r in statement["Resource"] if r not in target["Resource"]]
    return [s for s in merged.values() if s["Action"] and s["Resource"]]


def function_roles(
    template: Mapping[str, Any],
    functions: Mapping[str, Mapping[str, Any]],
    overrides: Mapping[str, Any],
    grants: Mapping[str, list[Statement]] | None = None,
) -> dict[str, Any]:
    """Merge-template resources: a role and a log group per function of ``functions`` (Chalice's
    generated ``AWS::Serverless::Function``\\s), and each function's ``Role`` and ``LoggingConfig``.
    ``overrides`` holds what the merge template already says about the functions (their event
    sources), whose permissions the roles include."""
    grants = GRANTS if grants is None else grants
    unknown, ungranted = set(grants) - set(functions), set(functions) - set(grants)
    if unknown or ungranted:
        raise RoleError(f"infra/iam.py GRANTS: no such function {sorted(unknown)}; no grants for {sorted(ungranted)}")
    resources: dict[str, Any] = {}
    for function_id, function in sorted(functions.items()):
        props = dict(function["Properties"])
        merged_events = dict(props.get("Events", {}))
        extra = overrides.get(function_id, {}).get("Properties", {})
        for name, event in extra.get("Events", {}).items():
            merged_events[name] = {
                **merged_events.get(name, {}),
                "Properties": {**merged_events.get(name, {}).get("Properties", {}), **event["Properties"]},
            }
        if "EventInvokeConfig" in extra:
            props["EventInvokeConfig"] = extra["EventInvokeConfig"]
        log_group = f"{function_id}LogGroup"
        statements = [_resolve_secrets(template, s) for s in grants[function_id]]
        statements.append(_statement("OwnLogGroup", ["logs:CreateLogStream", "logs:PutLogEvents"], [_arn(log_group)]))
        statements += _event_source_statements(props, merged_events)
        resources[log_group] = {
            "Type": "AWS::Logs::LogGroup",
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            # encrypted with the data key (its key policy lets CloudWatch Logs use it for log groups)
            "Properties": {"RetentionInDays": {"Ref": LOG_RETENTION_PARAMETER}, "KmsKeyId": _arn(DATA_KEY)},
        }
        resources[f"{function_id}Role"] = {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "Description": f"{function_id}: what its code calls, its log group and its event sources",
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "lambda.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                },
                "Policies": [
                    {
                        "PolicyName": function_id,
                        "PolicyDocument": {"Version": "2012-10-17", "Statement": _merge(statements)},
                    }
                ],
            },
        }
    return resources


def function_overrides(functions: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Each function's role and log group, for the merge template."""
    return {
        function_id: {
            "Role": _arn(f"{function_id}Role"),
            "LoggingConfig": {"LogGroup": {"Ref": f"{function_id}LogGroup"}},
        }
        for function_id in functions
    }
