"""Failures seen within minutes, for the merge template (``infra/package.py``): CloudWatch alarms
sent to one SNS topic (``AlarmTopic``; an e-mail subscription when ``AlarmEmail`` is given) and a
dashboard of the hiring event's health. Each alarm's meaning and first response is in
docs/operations.md under the alarm's logical id.

Alarms (all treat missing data as OK: a metric appears only once something happens):

* ``<Queue>DepthAlarm``: any message in any dead-letter queue (every queue named ``*DeadLetterQueue``);
* ``<Function>ErrorsAlarm`` / ``<Function>ThrottlesAlarm``: any error or throttle of any function;
* ``Api5xxRateAlarm``: the share of API requests answered 5xx above ``Api5xxRatePercent``;
  ``ApiLatencyP99Alarm``: p99 latency above ``ApiLatencyP99Milliseconds``;
* ``ProbationExecutionsFailedAlarm`` / ``ProbationExecutionsTimedOutAlarm``: any failed or timed-out
  probation cycle;
* ``<Function>IteratorAgeAlarm``: a table stream consumer falling behind by more than
  ``StreamIteratorAgeMilliseconds``;
* ``SesBounceRateAlarm`` / ``SesComplaintRateAlarm``: the account's SES reputation (published by
  SES for the whole account) nearing the rates at which SES reviews or pauses sending.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from functions.observability import BUSINESS_METRICS, NAMESPACE, OUTCOME, SERVICE

TOPIC = "AlarmTopic"
SUBSCRIPTION = "AlarmEmailSubscription"
DASHBOARD = "OperationsDashboard"
EMAIL_CONDITION = "AlarmEmailGiven"
MACHINE = "ProbationStateMachine"
DATA_KEY = "DataKey"
PARAMETERS = ("AlarmEmail", "Api5xxRatePercent", "ApiLatencyP99Milliseconds", "StreamIteratorAgeMilliseconds")
MINUTE, FIVE_MINUTES = 60, 300
# SES reviews an account at a 5 % bounce rate and 0.1 % complaint rate: alarm at half of each
SES_RATES = {
    "SesBounceRateAlarm": ("Reputation.BounceRate", 0.025),
    "SesComplaintRateAlarm": ("Reputation.ComplaintRate", 0.0005),
}


class MonitoringError(ValueError):
    pass


def dead_letter_queues(template: Mapping[str, Any]) -> list[str]:
    return sorted(
        name
        for name, r in template["Resources"].items()
        if r.get("Type") == "AWS::SQS::Queue" and name.endswith("DeadLetterQueue")
    )


def work_queues(template: Mapping[str, Any]) -> list[str]:
    return sorted(
        name
        for name, r in template["Resources"].items()
        if r.get("Type") == "AWS::SQS::Queue" and "RedrivePolicy" in r.get("Properties", {})
    )


def _alarm(
    description: str,
    metric: Mapping[str, Any],
    threshold: Any,
    *,
    period: int = MINUTE,
    comparison: str = "GreaterThanThreshold",
) -> dict[str, Any]:
    return {
        "Type": "AWS::CloudWatch::Alarm",
        "Properties": {
            "AlarmDescription": f"{description} Runbook: docs/operations.md",
            **metric,
            "Period": period,
            "EvaluationPeriods": 1,
            "Threshold": threshold,
            "ComparisonOperator": comparison,
            "TreatMissingData": "notBreaching",
            "AlarmActions": [{"Ref": TOPIC}],
            "OKActions": [{"Ref": TOPIC}],
        },
    }


def _metric(namespace: str, name: str, statistic: str, **dimensions: Any) -> dict[str, Any]:
    statistic_key = "ExtendedStatistic" if statistic.startswith("p") else "Statistic"
    return {
        "Namespace": namespace,
        "MetricName": name,
        statistic_key: statistic,
        "Dimensions": [{"Name": k, "Value": v} for k, v in dimensions.items()],
    }


def alarms(
    template: Mapping[str, Any], functions: Iterable[str], stream_consumers: Iterable[str], api: tuple[str, str]
) -> dict[str, Any]:
    """Every alarm of the module doc, by logical id. ``api`` is (API name, stage name)."""
    found: dict[str, Any] = {}
    for queue in dead_letter_queues(template):
        found[f"{queue}DepthAlarm"] = _alarm(
            f"A message rests in {queue}: something failed for good and waits for a redrive.",
            _metric(
                "AWS/SQS",
                "ApproximateNumberOfMessagesVisible",
                "Maximum",
                QueueName={"Fn::GetAtt": [queue, "QueueName"]},
            ),
            0,
        )
    for function in sorted(functions):
        found[f"{function}ErrorsAlarm"] = _alarm(
            f"{function} failed (an unhandled error or a timeout).",
            _metric("AWS/Lambda", "Errors", "Sum", FunctionName={"Ref": function}),
            0,
            period=FIVE_MINUTES,
        )
        found[f"{function}ThrottlesAlarm"] = _alarm(
            f"{function} was throttled (its concurrency, the account's, or its event source's cap).",
            _metric("AWS/Lambda", "Throttles", "Sum", FunctionName={"Ref": function}),
            0,
            period=FIVE_MINUTES,
        )
    name, stage = api
    found["Api5xxRateAlarm"] = _alarm(
        "The share of API requests answered 5xx is above Api5xxRatePercent.",
        {
            "Metrics": [
                {
                    "Id": "errors",
                    "MetricStat": {
                        "Metric": {
                            "Namespace": "AWS/ApiGateway",
                            "MetricName": "5XXError",
                            "Dimensions": [{"Name": "ApiName", "Value": name}, {"Name": "Stage", "Value": stage}],
                        },
                        "Period": FIVE_MINUTES,
                        "Stat": "Average",
                    },
                    "ReturnData": False,
                },
                {"Id": "percent", "Expression": "errors * 100", "Label": "5xx %", "ReturnData": True},
            ]
        },
        {"Ref": "Api5xxRatePercent"},
    )
    del found["Api5xxRateAlarm"]["Properties"]["Period"]  # a metric-math alarm takes it from its metrics
    found["ApiLatencyP99Alarm"] = _alarm(
        "The API's p99 latency is above ApiLatencyP99Milliseconds.",
        _metric("AWS/ApiGateway", "Latency", "p99", ApiName=name, Stage=stage),
        {"Ref": "ApiLatencyP99Milliseconds"},
        period=FIVE_MINUTES,
    )
    for metric, what in (("ExecutionsFailed", "failed"), ("ExecutionsTimedOut", "timed out")):
        found[f"Probation{metric}Alarm"] = _alarm(
            f"A probation cycle {what}.",
            _metric("AWS/States", metric, "Sum", StateMachineArn={"Ref": MACHINE}),
            0,
            period=FIVE_MINUTES,
        )
    for function in sorted(stream_consumers):
        found[f"{function}IteratorAgeAlarm"] = _alarm(
            f"{function} is behind the table stream by more than StreamIteratorAgeMilliseconds.",
            _metric("AWS/Lambda", "IteratorAge", "Maximum", FunctionName={"Ref": function}),
            {"Ref": "StreamIteratorAgeMilliseconds"},
            period=FIVE_MINUTES,
        )
    for alarm, (metric, threshold) in SES_RATES.items():
        found[alarm] = _alarm(
            f"The account's SES {metric.split('.')[1]} nears the rate at which SES reviews sending.",
            _metric("AWS/SES", metric, "Maximum"),
            threshold,
            period=FIVE_MINUTES * 3,
        )
    return found


def topic() -> dict[str, Any]:
    """The alarm topic (encrypted with the data key, whose policy lets CloudWatch use it) and its
    e-mail subscription when ``AlarmEmail`` is set."""
    return {
        TOPIC: {
            "Type": "AWS::SNS::Topic",
            "Properties": {
                "DisplayName": "Talent lifecycle alarms",
                "KmsMasterKeyId": {"Fn::GetAtt": [DATA_KEY, "Arn"]},
            },
        },
        SUBSCRIPTION: {
            "Type": "AWS::SNS::Subscription",
            "Condition": EMAIL_CONDITION,
            "Properties": {"TopicArn": {"Ref": TOPIC}, "Protocol": "email", "Endpoint": {"Ref": "AlarmEmail"}},
        },
    }


# --------------------------------------------------------------------------- dashboard


def _widget(title: str, metrics: list[list[Any]], x: int, y: int, stat: str = "Sum", width: int = 12) -> dict[str, Any]:
    return {
        "type": "metric",
        "x": x,
        "y": y,
        "width": width,
        "height": 6,
        "properties": {
            "title": title,
            "region": "${AWS::Region}",
            "stat": stat,
            "period": FIVE_MINUTES,
            "view": "timeSeries",
            "metrics": metrics,
        },
    }


def _business(name: str) -> list[list[Any]]:
    outcomes = BUSINESS_METRICS[name]
    if not outcomes:
        return [[NAMESPACE, name, "service", SERVICE]]
    return [[NAMESPACE, name, "service", SERVICE, OUTCOME, o] for o in outcomes]


def dashboard_body(template: Mapping[str, Any], functions: Iterable[str], api: tuple[str, str]) -> dict[str, Any]:
    """The hiring event at a glance: deliveries and import rows by outcome, the pipeline's other
    counts, queue and dead-letter depths, function errors, the API's answers and the probation cycles."""
    name, stage = api
    queue = "AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName"
    widgets = [
        _widget("Vendor deliveries by outcome", _business("Deliveries"), 0, 0),
        _widget("Import rows by outcome", _business("ImportRows"), 12, 0),
        _widget(
            "Shortlists, offers, onboarding, dead-letter moves",
            [
                m
                for n in ("ShortlistSize", "OffersSigned", "OnboardingMessages", "DeadLetterMoves")
                for m in _business(n)
            ],
            0,
            6,
        ),
        _widget("Queue depths", [[*queue, f"${{{q}.QueueName}}"] for q in work_queues(template)], 12, 6, "Maximum"),
        _widget(
            "Dead-letter queue depths (any message: an alarm)",
            [[*queue, f"${{{q}.QueueName}}"] for q in dead_letter_queues(template)],
            0,
            12,
            "Maximum",
        ),
        _widget(
            "Function errors",
            [["AWS/Lambda", "Errors", "FunctionName", f"${{{f}}}"] for f in sorted(functions)],
            12,
            12,
        ),
        _widget(
            "API answers",
            [["AWS/ApiGateway", m, "ApiName", name, "Stage", stage] for m in ("Count", "4XXError", "5XXError")],
            0,
            18,
        ),
        _widget(
            "Probation cycles",
            [
                ["AWS/States", m, "StateMachineArn", f"${{{MACHINE}}}"]
                for m in ("ExecutionsStarted", "ExecutionsFailed", "ExecutionsTimedOut")
            ],
            12,
            18,
        ),
    ]
    return {"widgets": widgets}


def dashboard(template: Mapping[str, Any], functions: Iterable[str], api: tuple[str, str]) -> dict[str, Any]:
    body = json.dumps(dashboard_body(template, functions, api), separators=(",", ":"))
    return {DASHBOARD: {"Type": "AWS::CloudWatch::Dashboard", "Properties": {"DashboardBody": {"Fn::Sub": body}}}}


# --------------------------------------------------------------------------- the state machine's logs

MACHINE_LOG_GROUP = f"{MACHINE}LogGroup"
# CloudWatch Logs delivery for Step Functions: these actions support no resource-level permission,
# AWS requires "*" (the log group itself is named in the state machine's LoggingConfiguration).
LOG_DELIVERY = [
    "logs:CreateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:DescribeLogGroups",
    "logs:DescribeResourcePolicies",
    "logs:GetLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:UpdateLogDelivery",
]


def log_state_machine(resources: dict[str, Any]) -> None:
    """Give the probation state machine a log group (retention ``LogRetentionDays``, the data key) and
    log its failures there: level ERROR, without execution data (inputs and outputs name people)."""
    machine = resources.get(MACHINE)
    role = resources.get(f"{MACHINE}Role")
    if machine is None or role is None:
        raise MonitoringError(f"infra/template.json lacks {MACHINE} or its role")
    resources[MACHINE_LOG_GROUP] = {
        "Type": "AWS::Logs::LogGroup",
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Properties": {"RetentionInDays": {"Ref": "LogRetentionDays"}, "KmsKeyId": {"Fn::GetAtt": [DATA_KEY, "Arn"]}},
    }
    machine["Properties"]["LoggingConfiguration"] = {
        "Level": "ERROR",
        "IncludeExecutionData": False,
        "Destinations": [{"CloudWatchLogsLogGroup": {"LogGroupArn": {"Fn::GetAtt": [MACHINE_LOG_GROUP, "Arn"]}}}],
    }
    statements = role["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    statements.append({"Sid": "LogDelivery", "Effect": "Allow", "Action": LOG_DELIVERY, "Resource": "*"})


def resources(
    template: Mapping[str, Any], functions: Iterable[str], stream_consumers: Iterable[str], api: tuple[str, str]
) -> dict[str, Any]:
    """The topic, its subscription, every alarm and the dashboard, for the merge template."""
    missing = [p for p in PARAMETERS if p not in template.get("Parameters", {})]
    if missing or EMAIL_CONDITION not in template.get("Conditions", {}):
        raise MonitoringError(f"infra/template.json lacks {missing or EMAIL_CONDITION}")
    functions = sorted(functions)
    return {
        **topic(),
        **alarms(template, functions, stream_consumers, api),
        **dashboard(template, functions, api),
    }
