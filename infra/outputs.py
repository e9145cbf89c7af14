"""Stack Outputs are the single source of truth for runtime settings.

An Output called ``FooBar`` becomes the environment variable ``FOO_BAR`` (see ``shared.settings``).
In AWS the packaging step (``infra/package.py``) maps every Output's *value expression* into the
Lambda environment; the local stack maps the *resolved* Outputs of the same template.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

TEMPLATE_PATH = Path(__file__).resolve().parent / "template.json"

# Boundaries: "fooBar" -> "foo_Bar", "S3Bucket" -> "S3_Bucket", "KMSKey" -> "KMS_Key".
_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def output_to_env(output_name: str) -> str:
    """CamelCase Output name -> UPPER_SNAKE environment variable name."""
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", output_name):
        raise ValueError(f"not a CloudFormation Output name: {output_name!r}")
    return _BOUNDARY.sub("_", output_name).upper()


def env_from_outputs(outputs: Mapping[str, str]) -> dict[str, str]:
    """Resolved stack Outputs (``{"TableName": "talent-TalentTable-X"}``) -> environment variables."""
    env: dict[str, str] = {}
    for name, value in outputs.items():
        key = output_to_env(name)
        if key in env:
            raise ValueError(f"two Outputs map to the environment variable {key}")
        env[key] = value
    return env


def load_template(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        template: dict[str, Any] = json.load(handle)
    return template


def output_to_env_map(template: Mapping[str, Any]) -> dict[str, str]:
    """Output name -> environment variable name, for every Output of ``template``."""
    return {name: output_to_env(name) for name in template.get("Outputs", {})}


def env_expressions(template: Mapping[str, Any]) -> dict[str, Any]:
    """Environment variable -> the Output's unresolved ``Value`` (``Ref`` / ``Fn::GetAtt`` / ...).

    Used to give the Lambdas the same settings, from the same template, in AWS."""
    outputs: Mapping[str, Any] = template.get("Outputs", {})
    return {output_to_env(name): spec["Value"] for name, spec in outputs.items()}


def stack_outputs(describe_stack_response: Mapping[str, Any]) -> dict[str, str]:
    """``cloudformation.describe_stacks(...)["Stacks"][0]`` -> ``{OutputKey: OutputValue}``."""
    return {o["OutputKey"]: o["OutputValue"] for o in describe_stack_response.get("Outputs", [])}


# The template is part of the source tree; the mapping is computed, never retyped.
OUTPUT_TO_ENV: dict[str, str] = output_to_env_map(load_template())


# --------------------------------------------------------------------------- state machine definitions

DEFINITION_PREFIX = "file:"


def inline_definitions(template: Mapping[str, Any], base: Path = TEMPLATE_PATH.parent) -> dict[str, Any]:
    """The template with each state machine's ASL file (``infra/statemachines/*.asl.json``) inlined.

    ``infra/template.json`` names the file in ``DefinitionString: {"Fn::Sub": ["file:<path>",
    {substitutions}]}`` so the ASL stays one reviewable, linted file; everything that deploys the
    template (``infra/package.py``, the local stack, the test stack) deploys this inlined copy. The
    ``Fn::Sub`` then resolves ``${TableName}`` etc. in the ASL, in AWS and in moto alike."""
    resolved: dict[str, Any] = json.loads(json.dumps(template))
    for resource in resolved.get("Resources", {}).values():
        if resource.get("Type") != "AWS::StepFunctions::StateMachine":
            continue
        sub = resource.get("Properties", {}).get("DefinitionString", {}).get("Fn::Sub")
        if isinstance(sub, list) and isinstance(sub[0], str) and sub[0].startswith(DEFINITION_PREFIX):
            path = base / sub[0].removeprefix(DEFINITION_PREFIX)
            text = json.dumps(json.loads(path.read_text(encoding="utf-8")), ensure_ascii=False)
            # The one-argument Fn::Sub, its variables as the resources' own ${Ref} / ${Res.Attr}: the
            # same value in AWS, and moto's list form would also turn the ASL's "$$." into "$.".
            for variable, expression in sub[1].items():
                text = text.replace(f"${{{variable}}}", _sub_reference(expression))
            resource["Properties"]["DefinitionString"] = {"Fn::Sub": text}
    return resolved


def _sub_reference(expression: Any) -> str:
    if isinstance(expression, str):
        return expression
    if "Ref" in expression:
        return f"${{{expression['Ref']}}}"
    if "Fn::GetAtt" in expression:
        return "${" + ".".join(expression["Fn::GetAtt"]) + "}"
    raise ValueError(f"unsupported DefinitionString substitution {expression!r}")


def deployable_template_body(path: Path = TEMPLATE_PATH) -> str:
    """``path``'s template as a ``TemplateBody``, state machine definitions inlined."""
    return json.dumps(inline_definitions(load_template(path), path.parent), ensure_ascii=False)
