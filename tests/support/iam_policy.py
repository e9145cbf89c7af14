"""What IAM must allow for an AWS call, and whether a role of the packaged template allows it.

Both sides are compared as *symbolic* ARNs, written with the template's own names: a call on the
talent table is ``arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TalentTable}``
whatever name moto gave the table, and a policy's ``{"Fn::GetAtt": ["TalentTable", "Arn"]}``
resolves to the same string (``symbolic``). Resources are matched as IAM matches them (``*`` and
``?`` wildcards). Conditions in statements are not evaluated (the function roles use none).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

P = "arn:${AWS::Partition}"
# A call on a resource the registered stack does not have (a test's injected fault: a deleted queue)
OUTSIDE = "outside-template:"
RA = "${AWS::Region}:${AWS::AccountId}"

# --------------------------------------------------------------------------- symbolic ARNs of template resources


def ref_form(logical: str, resource_type: str, properties: Mapping[str, Any] | None = None) -> str:
    """What ``{"Ref": logical}`` returns, written symbolically."""
    if resource_type == "AWS::StepFunctions::StateMachine":
        return f"{P}:states:{RA}:stateMachine:${{{logical}.Name}}"
    if resource_type == "AWS::SQS::Queue":
        return f"https://sqs.${{AWS::Region}}.${{AWS::URLSuffix}}/${{AWS::AccountId}}/${{{logical}.QueueName}}"
    if resource_type == "AWS::SecretsManager::Secret":
        return secret_arn(_secret_name(logical, properties or {}))
    return f"${{{logical}}}"


def att_form(logical: str, resource_type: str, attribute: str, properties: Mapping[str, Any] | None = None) -> str:
    """What ``{"Fn::GetAtt": [logical, attribute]}`` returns, written symbolically."""
    arns = {
        "AWS::DynamoDB::Table": f"{P}:dynamodb:{RA}:table/${{{logical}}}",
        "AWS::S3::Bucket": f"{P}:s3:::${{{logical}}}",
        "AWS::SQS::Queue": f"{P}:sqs:{RA}:${{{logical}.QueueName}}",
        "AWS::KMS::Key": f"{P}:kms:{RA}:key/${{{logical}}}",
        "AWS::Logs::LogGroup": f"{P}:logs:{RA}:log-group:${{{logical}}}:*",
        "AWS::Cognito::UserPool": f"{P}:cognito-idp:{RA}:userpool/${{{logical}}}",
        "AWS::IAM::Role": f"{P}:iam::${{AWS::AccountId}}:role/${{{logical}}}",
        "AWS::StepFunctions::StateMachine": ref_form(logical, resource_type),
        "AWS::SecretsManager::Secret": ref_form(logical, resource_type, properties),
    }
    if attribute == "Arn" and resource_type in arns:
        return arns[resource_type]
    if attribute == "StreamArn" and resource_type == "AWS::DynamoDB::Table":
        return f"{arns[resource_type]}/stream/${{{logical}.StreamLabel}}"
    return f"${{{logical}.{attribute}}}"


def secret_arn(symbolic_name: str) -> str:
    # Secrets Manager appends six random characters to a secret's name in its ARN.
    return f"{P}:secretsmanager:{RA}:secret:{symbolic_name}-??????"


def _secret_name(logical: str, properties: Mapping[str, Any]) -> str:
    name = properties.get("Name")
    return symbolic(name, {})[0] if name is not None else f"${{{logical}.Name}}"


_SUB = re.compile(r"\$\{([^!}][^}]*)\}")


def symbolic(expression: Any, resources: Mapping[str, Any]) -> list[str]:
    """Every string a CloudFormation expression can evaluate to (both branches of an ``Fn::If``)."""
    if isinstance(expression, str):
        return [expression]
    if isinstance(expression, list):
        return [value for item in expression for value in symbolic(item, resources)]
    if not isinstance(expression, dict) or len(expression) != 1:
        raise ValueError(f"not a CloudFormation expression: {expression!r}")
    ((function, argument),) = expression.items()
    if function == "Ref":
        resource = resources.get(argument)
        return [ref_form(argument, resource["Type"], resource.get("Properties")) if resource else f"${{{argument}}}"]
    if function == "Fn::GetAtt":
        logical, attribute = argument if isinstance(argument, list) else argument.split(".", 1)
        resource = resources[logical]
        return [att_form(logical, resource["Type"], attribute, resource.get("Properties"))]
    if function == "Fn::Sub":
        text, variables = (argument, {}) if isinstance(argument, str) else argument
        options = {name: symbolic(value, resources) for name, value in variables.items()}
        return _substitute(text, options, resources)
    if function == "Fn::If":
        return symbolic(argument[1], resources) + symbolic(argument[2], resources)
    if function == "Fn::Join":
        separator, parts = argument
        return [separator.join(combo) for combo in itertools.product(*(symbolic(p, resources) for p in parts))]
    raise ValueError(f"cannot evaluate {function} symbolically")


def _substitute(text: str, variables: Mapping[str, list[str]], resources: Mapping[str, Any]) -> list[str]:
    def one(name: str) -> list[str]:
        if name in variables:
            return variables[name]
        logical, _, attribute = name.partition(".")
        if logical in resources:
            return symbolic({"Fn::GetAtt": [logical, attribute]} if attribute else {"Ref": logical}, resources)
        return [f"${{{name}}}"]  # a parameter or a pseudo-parameter: kept as it is

    pieces: list[list[str]] = []
    position = 0
    for match in _SUB.finditer(text):
        pieces.append([text[position : match.start()]])
        pieces.append(one(match.group(1)))
        position = match.end()
    pieces.append([text[position:]])
    return ["".join(combo) for combo in itertools.product(*pieces)]


def matches(pattern: str, value: str) -> bool:
    """IAM's wildcard match (``*`` any run of characters, ``?`` one character)."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, flags=re.DOTALL) is not None


# --------------------------------------------------------------------------- what a call needs


@dataclass(frozen=True, order=True)
class Need:
    """One permission a call needs: the IAM action on a (symbolic) resource ARN, and why."""

    action: str
    resource: str
    because: str = ""


# Operations whose IAM action is not "<service>:<Operation>" (the rest map one to one):
#   dynamodb TransactWriteItems / TransactGetItems  -> the item actions of each part (there is no
#             Transact* action), on each part's table
#   s3 HeadObject -> GetObject;  ListObjectsV2 -> ListBucket;  ListObjectVersions -> ListBucketVersions
#   s3 <op> with a VersionId -> the *Version* action (GetObjectVersion, DeleteObjectVersion,
#             PutObjectVersionTagging, GetObjectVersionTagging)
#   s3 CopyObject / UploadPartCopy -> PutObject on the target and Get{Object,ObjectVersion} on the source
#   s3 DeleteObjects -> DeleteObject / DeleteObjectVersion on each object it names
#   s3 CreateMultipartUpload / UploadPart / CompleteMultipartUpload -> PutObject
#   s3 presigned PUT URL / presigned POST -> PutObject (whoever uploads acts with the signer's rights)
#   sqs SendMessageBatch / DeleteMessageBatch / ChangeMessageVisibilityBatch -> the single actions
#   cognito-idp InitiateAuth -> nothing (an unauthenticated API: the app client id is the credential)
S3_RENAMED = {"HeadObject": "GetObject", "ListObjectsV2": "ListBucket", "ListObjectVersions": "ListBucketVersions"}
S3_VERSIONED = {
    "GetObject": "GetObjectVersion",
    "HeadObject": "GetObjectVersion",
    "DeleteObject": "DeleteObjectVersion",
    "PutObjectTagging": "PutObjectVersionTagging",
    "GetObjectTagging": "GetObjectVersionTagging",
}
S3_UPLOAD_PARTS = {"CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload"}
SQS_BATCHES = {
    "SendMessageBatch": "SendMessage",
    "DeleteMessageBatch": "DeleteMessage",
    "ChangeMessageVisibilityBatch": "ChangeMessageVisibility",
}
DYNAMODB_TRANSACT_PARTS = {
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
}
UNAUTHENTICATED = {("cognito-idp", "InitiateAuth"), ("cognito-idp", "RespondToAuthChallenge")}


class Names:
    """Physical names of one deployed stack -> the template's symbolic names."""

    def __init__(
        self,
        by_physical: Mapping[str, str],
        parameters: Mapping[str, str],
        secret_names: Mapping[str, str] | None = None,
    ) -> None:
        self.by_physical = dict(by_physical)  # physical id (name, URL, ARN, key id) -> logical id
        self.parameters = dict(parameters)  # parameter value -> "${Parameter}"
        self.secret_names = dict(secret_names or {})  # secret logical id -> its symbolic name

    def logical(self, physical: str) -> str | None:
        return self.by_physical.get(physical)

    def table(self, name: str) -> str:
        logical = self.logical(name)
        return f"{P}:dynamodb:{RA}:table/" + (f"${{{logical}}}" if logical else OUTSIDE + name)

    def bucket(self, name: str) -> str:
        logical = self.logical(name)
        return f"{P}:s3:::" + (f"${{{logical}}}" if logical else OUTSIDE + name)

    def queue(self, url: str) -> str:
        logical = self.logical(url)
        return f"{P}:sqs:{RA}:" + (f"${{{logical}.QueueName}}" if logical else OUTSIDE + url.rsplit("/", 1)[-1])

    def key(self, key_id: str) -> str:
        key = key_id.rsplit("/", 1)[-1]
        logical = self.logical(key)
        return f"{P}:kms:{RA}:key/" + (f"${{{logical}}}" if logical else key)

    def secret(self, secret_id: str) -> str:
        name = secret_id.split(":secret:", 1)[-1]
        logical = self.logical(name) or self.logical(secret_id)
        symbolic_name = self.secret_names.get(logical or "", name)
        return secret_arn(symbolic_name).replace("??????", "AbCdEf")

    def state_machine(self, arn: str) -> str:
        logical = self.logical(arn)
        return f"{P}:states:{RA}:stateMachine:" + (f"${{{logical}.Name}}" if logical else arn.rsplit(":", 1)[-1])

    def execution(self, arn: str) -> str:
        machine = arn.split(":execution:", 1)[-1].split(":", 1)[0]
        logical = next((lg for ph, lg in self.by_physical.items() if ph.endswith(f":stateMachine:{machine}")), None)
        return f"{P}:states:{RA}:execution:" + (f"${{{logical}.Name}}" if logical else machine) + ":execution-name"

    def parameter(self, value: str) -> str:
        return self.parameters.get(value, value)


def _object(names: Names, bucket: str, key: str) -> str:
    head, slash, _ = key.partition("/")
    return f"{names.bucket(bucket)}/{head}{slash}{'object' if slash else ''}"


def _copy_source(source: Any) -> tuple[str, str, str | None]:
    if isinstance(source, dict):
        return source["Bucket"], source["Key"], source.get("VersionId")
    path, _, query = str(source).lstrip("/").partition("?versionId=")
    bucket, _, key = path.partition("/")
    return bucket, key, query or None


def needs(service: str, operation: str, params: Mapping[str, Any], names: Names) -> list[Need]:
    """The IAM permissions one call needs (``service`` is the signing name: ``states``, ``s3``...)."""
    if (service, operation) in UNAUTHENTICATED:
        return []
    if service == "dynamodb":
        return list(_dynamodb(operation, params, names))
    if service == "s3":
        return list(_s3(operation, params, names))
    if service == "sqs":
        action = SQS_BATCHES.get(operation, operation)
        return [Need(f"sqs:{action}", names.queue(params["QueueUrl"]))]
    if service == "kms":
        return (
            [Need(f"kms:{operation}", names.key(params["KeyId"]))]
            if "KeyId" in params
            else [
                Need(f"kms:{operation}", f"{P}:kms:{RA}:key/*")  # Decrypt names no key: the ciphertext does
            ]
        )
    if service == "secretsmanager":
        return [Need(f"secretsmanager:{operation}", names.secret(params["SecretId"]))]
    if service == "states":
        if "stateMachineArn" in params:
            return [Need(f"states:{operation}", names.state_machine(params["stateMachineArn"]))]
        if "executionArn" in params:
            return [Need(f"states:{operation}", names.execution(params["executionArn"]))]
        return [Need(f"states:{operation}", "*")]  # task tokens name no resource
    if service == "ses":
        source = names.parameter(params.get("Source", ""))
        return [Need(f"ses:{operation}", f"{P}:ses:{RA}:identity/{source}")]
    if service == "cognito-idp":
        pool = names.parameter(params.get("UserPoolId", "*"))
        return [Need(f"cognito-idp:{operation}", f"{P}:cognito-idp:{RA}:userpool/{pool}")]
    return [Need(f"{service}:{operation}", "*")]


def _dynamodb(operation: str, params: Mapping[str, Any], names: Names) -> Iterator[Need]:
    if operation == "TransactWriteItems":
        for item in params["TransactItems"]:
            ((part, spec),) = item.items()
            yield Need(f"dynamodb:{DYNAMODB_TRANSACT_PARTS[part]}", names.table(spec["TableName"]), operation)
    elif operation == "TransactGetItems":
        for item in params["TransactItems"]:
            yield Need("dynamodb:GetItem", names.table(item["Get"]["TableName"]), operation)
    elif operation in ("BatchGetItem", "BatchWriteItem"):
        for table in params["RequestItems"]:
            yield Need(f"dynamodb:{operation}", names.table(table))
    else:
        table = names.table(params["TableName"])
        if params.get("IndexName"):
            table = f"{table}/index/{params['IndexName']}"
        yield Need(f"dynamodb:{operation}", table)


def _s3(operation: str, params: Mapping[str, Any], names: Names) -> Iterator[Need]:
    bucket = params.get("Bucket", "")
    if operation in ("ListObjectsV2", "ListObjects", "ListObjectVersions"):
        yield Need(f"s3:{S3_RENAMED.get(operation, 'ListBucket')}", names.bucket(bucket), operation)
        return
    if operation == "DeleteObjects":
        for entry in params["Delete"]["Objects"]:
            action = "s3:DeleteObjectVersion" if entry.get("VersionId") else "s3:DeleteObject"
            yield Need(action, _object(names, bucket, entry["Key"]), operation)
        return
    target = _object(names, bucket, params.get("Key", ""))
    if operation in ("CopyObject", "UploadPartCopy"):
        src_bucket, src_key, version = _copy_source(params["CopySource"])
        read = "s3:GetObjectVersion" if version else "s3:GetObject"
        yield Need(read, _object(names, src_bucket, src_key), f"{operation} source")
        yield Need("s3:PutObject", target, operation)
        return
    if operation in S3_UPLOAD_PARTS:
        yield Need("s3:PutObject", target, operation)
        return
    if params.get("VersionId") and operation in S3_VERSIONED:
        yield Need(f"s3:{S3_VERSIONED[operation]}", target, f"{operation} with VersionId")
        return
    yield Need(f"s3:{S3_RENAMED.get(operation, operation)}", target, operation if operation in S3_RENAMED else "")


# --------------------------------------------------------------------------- what the template implies


def implied(need: Need, resources: Mapping[str, Any]) -> list[Need]:
    """KMS permissions a call needs besides its own action, from the template: objects of a bucket
    encrypted with a customer key, messages of an encrypted queue, an encrypted secret. (DynamoDB
    tables with a customer key need none from the caller: the table holds a grant.)"""
    logical = _logical_in(need.resource)
    resource = resources.get(logical or "", {})
    props = resource.get("Properties", {})
    key: Any = None
    actions: tuple[str, ...] = ()
    if resource.get("Type") == "AWS::S3::Bucket" and "/" in need.resource.split(":::", 1)[-1]:
        rules = props.get("BucketEncryption", {}).get("ServerSideEncryptionConfiguration", [])
        key = next((r["ServerSideEncryptionByDefault"].get("KMSMasterKeyID") for r in rules), None)
        if need.action == "s3:PutObject":
            multipart = need.because in S3_UPLOAD_PARTS  # completing a multipart upload decrypts its parts
            actions = ("kms:GenerateDataKey", "kms:Decrypt") if multipart else ("kms:GenerateDataKey",)
        elif need.action in ("s3:GetObject", "s3:GetObjectVersion") and "HeadObject" not in need.because:
            actions = ("kms:Decrypt",)
    elif resource.get("Type") == "AWS::SQS::Queue":
        key = props.get("KmsMasterKeyId")
        if need.action == "sqs:SendMessage":
            actions = ("kms:GenerateDataKey", "kms:Decrypt")
        elif need.action == "sqs:ReceiveMessage":
            actions = ("kms:Decrypt",)
    elif resource.get("Type") == "AWS::SecretsManager::Secret" and need.action == "secretsmanager:GetSecretValue":
        key = props.get("KmsKeyId")
        actions = ("kms:Decrypt",)
    if key is None or not actions:
        return []
    arns = symbolic(key, resources)
    return [Need(action, arns[0], f"{need.action} on {logical}") for action in actions]


def _logical_in(arn: str) -> str | None:
    found = re.search(r"\$\{([A-Za-z0-9]+)(?:\.[A-Za-z]+)?\}", arn.split(":", 5)[-1])
    return found.group(1) if found else None


# --------------------------------------------------------------------------- roles of the packaged template


def function_statements(template: Mapping[str, Any], function_id: str) -> list[dict[str, Any]]:
    """Every policy statement of the function's role: its inline policies and the ``AWS::IAM::Policy``
    resources attached to it."""
    resources = template["Resources"]
    role = resources[function_id]["Properties"]["Role"]
    if not (isinstance(role, dict) and "Fn::GetAtt" in role):
        raise ValueError(f"{function_id}: role {role!r} is not a role of this template")
    role_id = role["Fn::GetAtt"][0]
    documents = [p["PolicyDocument"] for p in resources[role_id]["Properties"].get("Policies", [])]
    documents += [
        r["Properties"]["PolicyDocument"]
        for r in resources.values()
        if r["Type"] == "AWS::IAM::Policy" and {"Ref": role_id} in r["Properties"].get("Roles", [])
    ]
    statements = [s for d in documents for s in d["Statement"]]
    for statement in statements:
        if "NotAction" in statement or "NotResource" in statement or statement["Effect"] != "Allow":
            raise ValueError(f"{function_id}: only Allow statements with Action and Resource are understood")
    return statements


def allows(statements: Iterable[Mapping[str, Any]], need: Need, resources: Mapping[str, Any]) -> bool:
    for statement in statements:
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        if not any(matches(a.lower(), need.action.lower()) for a in actions):
            continue
        if any(matches(pattern, need.resource) for pattern in symbolic(statement["Resource"], resources)):
            return True
    return False


def handlers(template: Mapping[str, Any]) -> dict[str, str]:
    """Lambda handler string (``functions.selection.notification_worker``) -> function logical id."""
    found: dict[str, str] = {}
    for logical, resource in template["Resources"].items():
        if resource["Type"] in ("AWS::Serverless::Function", "AWS::Lambda::Function"):
            found[resource["Properties"]["Handler"]] = logical
    return found


def violations(template: Mapping[str, Any], recorded: Iterable[tuple[str, Need]]) -> list[tuple[str, Need]]:
    """Every ``(handler, need)`` that the handler's role in ``template`` does not allow, implied KMS
    needs included."""
    resources = template["Resources"]
    functions = handlers(template)
    statements: dict[str, list[dict[str, Any]]] = {}
    missing: set[tuple[str, Need]] = set()
    for handler, need in recorded:
        if OUTSIDE in need.resource:
            continue  # not a resource of the template: nothing a role could grant (see outside())
        if handler not in functions:
            missing.add((handler, Need("lambda:function-in-template", handler, "no function has this handler")))
            continue
        if handler not in statements:
            statements[handler] = function_statements(template, functions[handler])
        for wanted in [need, *implied(need, resources)]:
            if not allows(statements[handler], wanted, resources):
                missing.add((handler, wanted))
    return sorted(missing)


def outside(recorded: Iterable[tuple[str, Need]]) -> list[tuple[str, Need]]:
    """Calls on resources the stack does not have (faults tests inject), which no role can grant."""
    return sorted((h, n) for h, n in recorded if OUTSIDE in n.resource)
