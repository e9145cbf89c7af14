"""The template's Secrets Manager secrets, created through the API where CloudFormation does not create
them (moto's CloudFormation skips ``AWS::SecretsManager::Secret``): the same names, descriptions, key
and generated values (``GenerateSecretString`` is ``GetRandomPassword``'s parameters), read from
``infra/template.json``.

In AWS the stack creates them; the deployment never writes a value (a vendor's secret is rotated by
putting a new value, see docs/deploy.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from infra.expressions import Evaluator

SECRET_TYPE = "AWS::SecretsManager::Secret"  # noqa: S105 (a resource type)
# GenerateSecretString's properties that shape the JSON document instead of the random string
_DOCUMENT_KEYS = ("SecretStringTemplate", "GenerateStringKey")


def secret_names(template: Mapping[str, Any], stack_name: str) -> dict[str, str]:
    """Logical id -> the secret's name in a stack called ``stack_name``."""
    evaluate = Evaluator(template, {}, stack_name=stack_name)
    return {
        logical: str(evaluate(resource["Properties"]["Name"]))
        for logical, resource in template["Resources"].items()
        if resource["Type"] == SECRET_TYPE
    }


def create_secrets(
    secretsmanager: Any, template: Mapping[str, Any], stack_name: str, refs: Mapping[str, str]
) -> dict[str, str]:
    """Create every secret of the template with a value generated as its ``GenerateSecretString``
    says; ``refs`` gives the values of what the definitions refer to (``DataKey.Arn``). Returns
    logical id -> secret ARN."""
    evaluate = Evaluator(template, {}, refs=refs, stack_name=stack_name)
    created: dict[str, str] = {}
    for logical, resource in template["Resources"].items():
        if resource["Type"] != SECRET_TYPE:
            continue
        props = evaluate(resource["Properties"])
        generate = props.pop("GenerateSecretString", None)
        if generate is None or any(key in generate for key in _DOCUMENT_KEYS):
            raise ValueError(f"{logical}: only a generated plain string is supported outside CloudFormation")
        value = secretsmanager.get_random_password(**generate)["RandomPassword"]
        created[logical] = secretsmanager.create_secret(**props, SecretString=value)["ARN"]
    return created
