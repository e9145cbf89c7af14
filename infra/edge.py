"""Load held at the edge, for the merge template (``infra/package.py``); the numbers are parameters of
``infra/template.json``, their defaults from docs/scale.md:

* the API stage's throttling: a default budget for every route, a higher one for each vendor webhook
  route (a delivery burst must not be refused while HR works); above a budget API Gateway answers
  429 with our error body and ``Retry-After`` (``GATEWAY_RESPONSES``). Passwords never reach the
  API (the console signs in through Cognito's hosted pages), so no route needs a sign-in budget;
* ``ScalingConfig.MaximumConcurrency`` on the event sources of the SES-bound notification queue and
  the import queue, so neither outruns what it feeds (SES's sending rate, the requisition's index);
* reserved concurrency for the API function, so queue consumers never take the account's
  concurrency from the webhooks (``ApiReservedConcurrency`` 0 reserves none).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

API_FUNCTION = "APIHandler"
WEBHOOK_PREFIX = "/webhooks/"
# queue (logical id) -> the parameter capping its consumer's concurrency
MAXIMUM_CONCURRENCY = {"NotificationQueue": "NotificationMaximumConcurrency", "ImportQueue": "ImportMaximumConcurrency"}
RESERVE_CONDITION = "ReserveApiConcurrency"


class EdgeError(ValueError):
    pass


def _budget(prefix: str, path: str = "/*", method: str = "*") -> dict[str, Any]:
    """A stage method setting; the resource path escapes its slashes as ``~1`` (CloudFormation's form)."""
    resource_path = path if path == "/*" else "/" + path.replace("/", "~1")
    return {
        "ResourcePath": resource_path,
        "HttpMethod": method,
        "ThrottlingRateLimit": {"Ref": f"{prefix}ThrottlingRateLimit"},
        "ThrottlingBurstLimit": {"Ref": f"{prefix}ThrottlingBurstLimit"},
    }


def method_settings(paths: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The stage's budgets for the API definition's ``paths``: the default and each webhook."""
    settings = [_budget("Api")]
    for path in sorted(p for p in paths if p.startswith(WEBHOOK_PREFIX)):
        settings += [_budget("Webhook", path, m.upper()) for m in sorted(paths[path]) if m != "options"]
    return settings


def scaling_config(queue: str) -> dict[str, Any]:
    """The ``ScalingConfig`` of the event source consuming ``queue`` (empty for an uncapped queue)."""
    parameter = MAXIMUM_CONCURRENCY.get(queue)
    return {"ScalingConfig": {"MaximumConcurrency": {"Ref": parameter}}} if parameter else {}


def api_function_properties() -> dict[str, Any]:
    return {
        "ReservedConcurrentExecutions": {
            "Fn::If": [RESERVE_CONDITION, {"Ref": "ApiReservedConcurrency"}, {"Ref": "AWS::NoValue"}]
        }
    }


def check(template: Mapping[str, Any], consumed: set[str]) -> None:
    """Every parameter and condition named here is the template's, and every capped queue is consumed."""
    names = {f"{p}Throttling{k}Limit" for p in ("Api", "Webhook") for k in ("Rate", "Burst")}
    names |= set(MAXIMUM_CONCURRENCY.values()) | {"ApiReservedConcurrency"}
    missing = sorted(names - set(template.get("Parameters", {})))
    if RESERVE_CONDITION not in template.get("Conditions", {}):
        missing.append(RESERVE_CONDITION)
    if missing:
        raise EdgeError(f"infra/template.json lacks {missing}")
    if unconsumed := sorted(set(MAXIMUM_CONCURRENCY) - consumed):
        raise EdgeError(f"no consumer reads {unconsumed}, whose concurrency infra/edge.py caps")
