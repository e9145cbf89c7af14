"""What the packaged template does to keep the product operable: load held at the edge (stage
throttling, queue consumers' maximum concurrency, the API's reserved concurrency, the authorizer's
cache), alarms to an SNS topic, the dashboard, log groups with retention and the state machine's
logging. Built on the session's package, under the ``package`` marker."""

from __future__ import annotations

from typing import Any

import pytest

from functions.auth import CACHE_SECONDS
from tests.support.package import Package

pytestmark = pytest.mark.package


def _default(package: Package, reference: Any) -> int:
    """The default value of the parameter ``reference`` (``{"Ref": name}``) names."""
    assert isinstance(reference, dict) and set(reference) == {"Ref"}, reference
    return int(package.sam["Parameters"][reference["Ref"]]["Default"])


def _budgets(package: Package) -> dict[tuple[str, str], tuple[int, int]]:
    settings = package.resources["RestAPI"]["Properties"]["MethodSettings"]
    return {
        (s["ResourcePath"], s["HttpMethod"]): (
            _default(package, s["ThrottlingRateLimit"]),
            _default(package, s["ThrottlingBurstLimit"]),
        )
        for s in settings
    }


def test_the_stage_throttles_with_a_higher_budget_for_webhooks_than_for_sign_in(package: Package) -> None:
    # Given the stage's method settings (their numbers are template parameters)
    budgets = _budgets(package)
    webhook_routes = [
        (path, method.upper())
        for path, spec in package.swagger["paths"].items()
        if path.startswith("/webhooks/")
        for method in spec
        if method != "options"
    ]

    # Then every route has the default budget, each vendor webhook route its own, and the sign-in its own
    default = budgets[("/*", "*")]
    sign_in = budgets[("/~1auth~1session", "POST")]
    assert len(webhook_routes) == 3
    for path, method in webhook_routes:
        webhook = budgets[("/" + path.replace("/", "~1"), method)]
        # and a vendor's burst gets more than the default, which gets more than password guessing
        assert webhook[0] > default[0] > sign_in[0], path
        assert webhook[1] > default[1] > sign_in[1], path
    assert len(budgets) == len(webhook_routes) + 2
    # and the vendor's budget holds docs/scale.md's burst of 500 deliveries a second
    assert min(budgets[("/" + p.replace("/", "~1"), m)][0] for p, m in webhook_routes) >= 500


def test_the_ses_bound_and_import_consumers_are_capped_and_the_api_reserves_concurrency(package: Package) -> None:
    # Given the SQS event sources and the API function
    functions = package.of_type("AWS::Serverless::Function")
    caps = {
        event["Properties"]["Queue"]["Fn::Sub"]: event["Properties"].get("ScalingConfig")
        for function in functions.values()
        for event in function["Properties"].get("Events", {}).values()
        if event["Type"] == "SQS"
    }

    # Then the notification queue (SES) and the import queue have a maximum concurrency, the others none
    capped = {queue: _default(package, c["MaximumConcurrency"]) for queue, c in caps.items() if c}
    assert capped == {"${NotificationQueue.Arn}": 2, "${ImportQueue.Arn}": 10}
    # and the API function reserves concurrency unless the parameter is 0
    reserved = functions["APIHandler"]["Properties"]["ReservedConcurrentExecutions"]
    condition, (when_reserved, otherwise) = reserved["Fn::If"][0], reserved["Fn::If"][1:]
    assert _default(package, when_reserved) == 100 and otherwise == {"Ref": "AWS::NoValue"}
    assert package.sam["Conditions"][condition] == {"Fn::Not": [{"Fn::Equals": [{"Ref": "ApiReservedConcurrency"}, 0]}]}


def test_the_authorizer_is_cached_per_token(package: Package) -> None:
    # Given the API's token authorizer
    (definition,) = package.swagger["securityDefinitions"].values()
    authorizer = definition["x-amazon-apigateway-authorizer"]
    # Then API Gateway keeps its answer for a while, keyed on the Authorization header
    assert authorizer["type"] == "token" and definition["name"] == "Authorization"
    assert authorizer["authorizerResultTtlInSeconds"] == CACHE_SECONDS > 0
