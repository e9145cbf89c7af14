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


class _NoManagedPolicies:
    """Stands in for samtranslator's ``ManagedPolicyLoader``: the functions' roles are our own."""

    def load(self) -> dict[str, str]:
        raise RuntimeError("the template names an AWS managed policy; name actions in infra/iam.py instead")


def with_code(sam: Mapping[str, Any], code_uri: str) -> dict[str, Any]:
    """``sam`` with every function's ``CodeUri`` set to ``code_uri`` (``s3://bucket/key``), as
    ``aws cloudformation package`` rewrites the local ``./deployment.zip``."""
    result: dict[str, Any] = copy.deepcopy(dict(sam))
    for resource in result["Resources"].values():
        if resource.get("Type") == SERVERLESS_FUNCTION:
            resource["Properties"]["CodeUri"] = code_uri
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
    sam: Mapping[str, Any], code_uri: str, region: str, account: str = "123456789012", partition: str = "aws"
) -> dict[str, Any]:
    """Plain CloudFormation for ``sam`` with its code at ``code_uri``."""
    from samtranslator.translator.transform import transform

    pseudo = {"AWS::Region": region, "AWS::AccountId": account, "AWS::Partition": partition}
    with _region(region):
        translated: dict[str, Any] = transform(with_code(sam, code_uri), pseudo, _NoManagedPolicies())
    return translated
