"""The packaged SAM template (``dist/sam.json``) as plain CloudFormation, translated offline with
``aws-sam-translator`` (the library CloudFormation's own SAM transform runs).

``make deploy`` deploys this translation and ``make deploy-rehearsal`` creates the very same one in
moto, so what is rehearsed is what is deployed. Translating needs what ``aws cloudformation package``
and the service would give the transform: the code as an ``s3://`` URI, a region, the account and
partition (pseudo-parameters). The template names no managed policy, so the translator's IAM
look-up of managed policies is never needed (``_NoManagedPolicies`` refuses if it ever is).
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

SERVERLESS_FUNCTION = "AWS::Serverless::Function"
SERVERLESS_LAYER = "AWS::Serverless::LayerVersion"


class _NoManagedPolicies:
    """Stands in for samtranslator's ``ManagedPolicyLoader``: the functions' roles are our own."""

    def load(self) -> dict[str, str]:
        raise RuntimeError("the template names an AWS managed policy; name actions in infra/iam.py instead")


def with_code(sam: Mapping[str, Any], code_uri: str, layer_uri: str | None = None) -> dict[str, Any]:
    """``sam`` with every function's ``CodeUri`` set to ``code_uri`` (``s3://bucket/key``) and every
    layer's ``ContentUri`` to ``layer_uri``, as ``aws cloudformation package`` rewrites the local
    ``./deployment.zip`` and ``./libraries-layer.zip``."""
    result: dict[str, Any] = copy.deepcopy(dict(sam))
    for name, resource in result["Resources"].items():
        if resource.get("Type") == SERVERLESS_FUNCTION:
            resource["Properties"]["CodeUri"] = code_uri
        elif resource.get("Type") == SERVERLESS_LAYER:
            if layer_uri is None:
                raise ValueError(f"{name}: the template has a layer; give its zip's s3:// URI")
            resource["Properties"]["ContentUri"] = layer_uri
    return result


@contextmanager
def _region(region: str) -> Iterator[None]:
    # samtranslator derives the partition of generated ARNs from the boto session's region
    saved = os.environ.get("AWS_DEFAULT_REGION")
    os.environ["AWS_DEFAULT_REGION"] = region
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("AWS_DEFAULT_REGION", None)
        else:
            os.environ["AWS_DEFAULT_REGION"] = saved


def translate(
    sam: Mapping[str, Any],
    code_uri: str,
    region: str,
    account: str = "123456789012",
    partition: str = "aws",
    layer_uri: str | None = None,
) -> dict[str, Any]:
    """Plain CloudFormation for ``sam`` with its code at ``code_uri`` (and its layer at ``layer_uri``)."""
    from samtranslator.translator.transform import transform

    pseudo = {"AWS::Region": region, "AWS::AccountId": account, "AWS::Partition": partition}
    with _region(region):
        translated: dict[str, Any] = transform(with_code(sam, code_uri, layer_uri), pseudo, _NoManagedPolicies())
    return translated
