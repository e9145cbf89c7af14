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


def test_the_stage_throttles_with_a_higher_budget_for_webhooks(package: Package) -> None:
    # Given the stage's method settings (their numbers are template parameters)
    budgets = _budgets(package)
    webhook_routes = [
        (path, method.upper())
        for path, spec in package.swagger["paths"].items()
        if path.startswith("/webhooks/")
        for method in spec
        if method != "options"
    ]

    # Then every route has the default budget and each vendor webhook route its own (no route takes a
    # password, so none needs a sign-in budget: the hosted sign-in pages are Cognito's)
    default = budgets[("/*", "*")]
    assert len(webhook_routes) == 3
    for path, method in webhook_routes:
        webhook = budgets[("/" + path.replace("/", "~1"), method)]
        # and a vendor's burst gets more than the default
        assert webhook[0] > default[0], path
        assert webhook[1] > default[1], path
    assert len(budgets) == len(webhook_routes) + 1
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


def _alarms(package: Package) -> dict[str, dict[str, Any]]:
    return {name: r["Properties"] for name, r in package.of_type("AWS::CloudWatch::Alarm").items()}


def _dimension(alarm: dict[str, Any], name: str) -> Any:
    return next(d["Value"] for d in alarm["Dimensions"] if d["Name"] == name)


def test_alarms_watch_every_dead_letter_queue_function_and_the_probation_cycle(package: Package) -> None:
    # Given the packaged template's alarms, queues and functions
    alarms = _alarms(package)
    dlqs = {n for n in package.of_type("AWS::SQS::Queue") if n.endswith("DeadLetterQueue")}
    functions = set(package.of_type("AWS::Serverless::Function"))

    # Then any message in any dead-letter queue raises an alarm
    assert len(dlqs) == 7
    depth = {n: a for n, a in alarms.items() if a.get("MetricName") == "ApproximateNumberOfMessagesVisible"}
    assert {_dimension(a, "QueueName")["Fn::GetAtt"][0] for a in depth.values()} == dlqs
    for alarm in depth.values():
        assert (alarm["Threshold"], alarm["ComparisonOperator"]) == (0, "GreaterThanThreshold")
    # and any error or throttle of any function
    for metric in ("Errors", "Throttles"):
        watched = {_dimension(a, "FunctionName")["Ref"] for a in alarms.values() if a.get("MetricName") == metric}
        assert watched == functions, metric
    # and any failed or timed-out probation cycle
    machine = {a["MetricName"] for a in alarms.values() if a.get("Namespace") == "AWS/States"}
    assert machine == {"ExecutionsFailed", "ExecutionsTimedOut"}
    # and the stream consumer falling behind
    (age,) = [a for a in alarms.values() if a.get("MetricName") == "IteratorAge"]
    assert _dimension(age, "FunctionName") == {"Ref": "ProjectResults"}
    assert _default(package, age["Threshold"]) == 300_000  # milliseconds
    # and SES's reputation for the account
    assert {a["MetricName"] for a in alarms.values() if a.get("Namespace") == "AWS/SES"} == {
        "Reputation.BounceRate",
        "Reputation.ComplaintRate",
    }
    # and every alarm tells the topic when it fires and when it clears, and names the runbook
    for name, alarm in alarms.items():
        assert alarm["AlarmActions"] == alarm["OKActions"] == [{"Ref": "AlarmTopic"}], name
        assert alarm["TreatMissingData"] == "notBreaching", name
        assert "docs/operations.md" in alarm["AlarmDescription"], name


def test_api_alarms_watch_the_5xx_rate_and_p99_latency_of_the_deployed_stage(package: Package) -> None:
    # Given the API's alarms and the API Chalice generated
    alarms = _alarms(package)
    api = package.resources["RestAPI"]["Properties"]
    stage = [
        {"Name": "ApiName", "Value": package.swagger["info"]["title"]},
        {"Name": "Stage", "Value": api["StageName"]},
    ]

    # Then the 5xx alarm compares the share of 5xx answers (a percentage) with its parameter
    rate = alarms["Api5xxRateAlarm"]
    (errors,) = [m for m in rate["Metrics"] if "MetricStat" in m]
    assert errors["MetricStat"]["Metric"]["MetricName"] == "5XXError"
    assert errors["MetricStat"]["Metric"]["Dimensions"] == stage
    assert errors["MetricStat"]["Stat"] == "Average"  # the average of 5XXError is the share of requests
    assert [m["Expression"] for m in rate["Metrics"] if m.get("ReturnData")] == [f"{errors['Id']} * 100"]
    assert _default(package, rate["Threshold"]) == 1
    # and the latency alarm watches p99 against its parameter
    latency = alarms["ApiLatencyP99Alarm"]
    assert latency["ExtendedStatistic"] == "p99" and latency["Dimensions"] == stage
    assert _default(package, latency["Threshold"]) == 3000


def test_alarms_go_to_an_encrypted_topic_mailed_to_the_given_address(package: Package) -> None:
    # Given the alarm topic, its subscription and the data key
    topic = package.resources["AlarmTopic"]
    subscription = package.resources["AlarmEmailSubscription"]
    key_policy = package.resources["DataKey"]["Properties"]["KeyPolicy"]["Statement"]

    # Then the topic is encrypted with the data key, which lets CloudWatch publish to it
    assert topic["Properties"]["KmsMasterKeyId"] == {"Fn::GetAtt": ["DataKey", "Arn"]}
    (cloudwatch,) = [s for s in key_policy if s["Principal"].get("Service") == "cloudwatch.amazonaws.com"]
    assert {"kms:Decrypt", "kms:GenerateDataKey*"} <= set(cloudwatch["Action"])
    # and the subscription mails the AlarmEmail parameter, only when one is given
    assert subscription["Properties"] == {
        "TopicArn": {"Ref": "AlarmTopic"},
        "Protocol": "email",
        "Endpoint": {"Ref": "AlarmEmail"},
    }
    condition = package.sam["Conditions"][subscription["Condition"]]
    assert condition == {"Fn::Not": [{"Fn::Equals": [{"Ref": "AlarmEmail"}, ""]}]}
    assert package.sam["Parameters"]["AlarmEmail"]["Default"] == ""


def test_the_dashboard_shows_the_hiring_event_at_a_glance(package: Package) -> None:
    import json

    from functions.observability import BUSINESS_METRICS, NAMESPACE, OUTCOME, SERVICE

    # Given the dashboard's body (a Fn::Sub of JSON)
    (dashboard,) = package.of_type("AWS::CloudWatch::Dashboard").values()
    body = json.loads(dashboard["Properties"]["DashboardBody"]["Fn::Sub"])
    lines = {title: w["properties"]["metrics"] for w in body["widgets"] for title in [w["properties"]["title"]]}
    named = [m for metrics in lines.values() for m in metrics]

    # Then every business metric is drawn with each of its outcomes
    for metric, outcomes in BUSINESS_METRICS.items():
        drawn = [m[2:] for m in named if m[:2] == [NAMESPACE, metric]]
        expected = [["service", SERVICE, OUTCOME, o] for o in outcomes] or [["service", SERVICE]]
        assert sorted(drawn) == sorted(expected), metric
    # and the depth of every queue and every dead-letter queue, and every function's errors
    queues = set(package.of_type("AWS::SQS::Queue"))
    depths = {m[3][2 : -len(".QueueName}")] for m in named if m[1] == "ApproximateNumberOfMessagesVisible"}
    assert depths == queues
    errors = {m[3][2:-1] for m in named if m[:2] == ["AWS/Lambda", "Errors"]}
    assert errors == set(package.of_type("AWS::Serverless::Function"))
    # and the API's answers and the probation cycles
    assert any(m[:2] == ["AWS/ApiGateway", "5XXError"] for m in named)
    assert any(m[:2] == ["AWS/States", "ExecutionsFailed"] for m in named)


def test_every_alarm_has_its_runbook_entry(package: Package) -> None:
    import re
    from pathlib import Path

    # Given the runbook's entries: headings naming alarms, <Queue> / <Function> standing for a name
    text = (Path(__file__).resolve().parents[2] / "docs" / "operations.md").read_text(encoding="utf-8")
    headings = re.findall(r"^### (.+)$", text, flags=re.MULTILINE)
    documented = [
        re.compile(re.sub(r"<[A-Za-z]+>", "[A-Za-z0-9]+", name) + "$")
        for heading in headings
        for name in re.findall(r"`([^`]+Alarm)`", heading)
    ]
    # Then every alarm of the template has an entry
    assert documented
    alarms = _alarms(package)
    undocumented = [name for name in alarms if not any(p.match(name) for p in documented)]
    assert undocumented == []


def test_every_function_and_the_state_machine_log_to_a_group_with_retention(package: Package) -> None:
    # Given the functions, the state machine and the log groups
    functions = package.of_type("AWS::Serverless::Function")
    groups = package.of_type("AWS::Logs::LogGroup")
    machine = package.resources["ProbationStateMachine"]["Properties"]

    # Then each function writes to its own group, and the state machine to its own
    used = {f["Properties"]["LoggingConfig"]["LogGroup"]["Ref"] for f in functions.values()}
    (destination,) = machine["LoggingConfiguration"]["Destinations"]
    used.add(destination["CloudWatchLogsLogGroup"]["LogGroupArn"]["Fn::GetAtt"][0])
    assert used == set(groups) and len(groups) == len(functions) + 1
    # and every group keeps its logs LogRetentionDays (30 by default: debug logs; the audit stays in
    # the table), encrypted with the data key
    for name, group in groups.items():
        assert group["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}, name
        assert group["Properties"]["KmsKeyId"] == {"Fn::GetAtt": ["DataKey", "Arn"]}, name
    assert _default(package, {"Ref": "LogRetentionDays"}) == 30
    # and the state machine logs its failures without execution data (inputs name people)
    assert machine["LoggingConfiguration"]["Level"] == "ERROR"
    assert machine["LoggingConfiguration"]["IncludeExecutionData"] is False
    # with a role allowed to deliver them
    role = package.resources["ProbationStateMachineRole"]["Properties"]["Policies"][0]["PolicyDocument"]
    (delivery,) = [s for s in role["Statement"] if s.get("Sid") == "LogDelivery"]
    assert "logs:CreateLogDelivery" in delivery["Action"]
