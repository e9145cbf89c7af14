"""The AWS bill of one hiring event, from the calls and units the meter counted (``tests/sim/meter.py``)
and the public on-demand prices below: ONE table, also printed in docs/benchmarks.md.

Prices as published on the AWS pricing pages, us-east-1, as of early 2025 (DynamoDB on-demand after
its November 2024 reduction); free tiers are ignored. They were not re-checked online when these
figures were made: check them before quoting the total.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from tests.sim.meter import Meter

REGION = "us-east-1"
AS_OF = "early 2025"


@dataclass(frozen=True)
class Price:
    service: str
    what: str
    usd: float  # per ``per`` units
    per: int
    unit: str

    def cost(self, amount: float) -> float:
        return amount * self.usd / self.per


PRICES = {
    "lambda requests": Price("Lambda", "requests", 0.20, 1_000_000, "requests"),
    "lambda GB-s": Price("Lambda", "duration, x86", 0.0000166667, 1, "GB-seconds"),
    "apigateway requests": Price("API Gateway", "REST API requests (first 333 million)", 3.50, 1_000_000, "requests"),
    "dynamodb WRU": Price("DynamoDB", "on-demand write request units", 0.625, 1_000_000, "WRU"),
    "dynamodb RRU": Price("DynamoDB", "on-demand read request units", 0.125, 1_000_000, "RRU"),
    "sqs requests": Price("SQS", "standard queue requests (each 64 KB chunk)", 0.40, 1_000_000, "requests"),
    "sfn transitions": Price("Step Functions", "standard workflow state transitions", 0.025, 1_000, "transitions"),
    "s3 put requests": Price("S3", "Standard PUT, COPY, POST, LIST requests", 0.005, 1_000, "requests"),
    "s3 get requests": Price("S3", "Standard GET, SELECT and all other requests", 0.0004, 1_000, "requests"),
    "s3 GB-month": Price("S3", "Standard storage (first 50 TB), one month", 0.023, 1, "GB-months"),
    "ses messages": Price("SES", "outbound e-mail messages", 0.10, 1_000, "messages"),
}
S3_PUT_CLASS = ("Put", "Copy", "Post", "List", "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload")
# the state machine's SDK integrations update the hire's probation item (about 2 KB: 2 WRU each)
SFN_DYNAMODB_WRU = 2


def billable(meter: Meter, stages: list[str] | None = None) -> defaultdict[str, float]:
    """Billable quantities (keys of ``PRICES``) summed over ``stages`` (default: every billed stage)."""
    out: defaultdict[str, float] = defaultdict(float)
    for stage in stages or meter.billed_stages():
        for name, n in meter.calls[stage].items():
            service, operation = name.split(".", 1)
            if service == "lambda":
                out["lambda requests"] += n
            elif service == "apigateway":
                out["apigateway requests"] += n
            elif service == "sqs":
                out["sqs requests"] += n
            elif service == "s3":
                out["s3 put requests" if operation.startswith(S3_PUT_CLASS) else "s3 get requests"] += n
            elif service == "states" and operation == "StateTransition":
                out["sfn transitions"] += n
            elif service == "dynamodb" and operation.endswith("(state machine)"):
                out["dynamodb WRU"] += n * SFN_DYNAMODB_WRU
        units = meter.units[stage]
        out["lambda GB-s"] += units["lambda GB-s"]
        out["dynamodb WRU"] += units["dynamodb WRU"]
        out["dynamodb RRU"] += units["dynamodb RRU"]
        out["ses messages"] += units["ses messages"]
        out["s3 GB-month"] += units["s3 bytes stored"] / 2**30  # kept for a month
    return out


def print_calls(meter: Meter, items: dict[str, int], n: int, hires: int, out: Any = sys.stdout) -> None:
    """Stage → AWS API calls by service, and per item of the stage."""
    services = ["apigateway", "lambda", "dynamodb", "s3", "sqs", "states", "email", "secretsmanager"]
    head = "".join(f"{s:>11}" for s in services)
    print("\nAWS API calls by stage (botocore before-call hooks; per item of the stage in brackets):", file=out)
    print(f"  {'stage':<22}{'items':>8}{head}{'all':>9}{'per item':>10}", file=out)
    total: Counter[str] = Counter()
    for stage in meter.billed_stages():
        counts = meter.by_service(stage)
        total.update(counts)
        k = items.get(stage, 0)
        all_calls = sum(counts.values())
        cells = "".join(f"{counts[s]:>11,}" for s in services)
        per = f"{all_calls / k:>10.1f}" if k else f"{'':>10}"
        print(f"  {stage:<22}{k:>8,}{cells}{all_calls:>9,}{per}", file=out)
    whole = sum(total.values())
    cells = "".join(f"{total[s]:>11,}" for s in services)
    print(f"  {'whole event':<22}{n:>8,}{cells}{whole:>9,}{whole / n:>10.1f}", file=out)
    path = sum(sum(meter.by_service(s).values()) / items[s] for s in meter.billed_stages() if items.get(s))
    print(
        f"  per applicant: {whole / n:.1f} calls; the event's calls per hire ({hires:,} hires): "
        f"{whole / max(hires, 1):,.0f}; one hire's own path (the per-item calls of every stage, "
        f"import to probation): {path:.0f} calls",
        file=out,
    )
    after_offer = [s for s in ("onboarding", "probation") if items.get(s)]
    if after_offer:
        per_hire = sum(sum(meter.by_service(s).values()) / items[s] for s in after_offer)
        stages = " + ".join(after_offer)
        print(f"  per hire from offer signed to probation decision ({stages}): {per_hire:.1f} calls", file=out)
    for stage in meter.billed_stages():
        top = ", ".join(f"{k} {v:,}" for k, v in meter.calls[stage].most_common())
        print(f"    {stage}: {top}", file=out)


def print_cost(meter: Meter, n: int, target: int = 100_000, out: Any = sys.stdout) -> float:
    """The bill of a ``target``-applicant event: this run's quantities × target / n (every stage is
    proportional to the applications: interviews n/2, shortlist 30 % of them, hires n/100)."""
    scale = target / n
    quantities = billable(meter)
    print(
        f"\nAWS cost of one {target:,}-applicant event (this run × {scale:,.1f}; on-demand, {REGION}, "
        f"prices as published on AWS pricing pages as of {AS_OF}, free tiers ignored):",
        file=out,
    )
    total = 0.0
    for key, price in PRICES.items():
        amount = quantities[key] * scale
        cost = price.cost(amount)
        total += cost
        print(
            f"  {price.service:<15} {price.what:<48} {amount:>16,.1f} {price.unit:<12} "
            f"× ${price.usd:g}/{price.per:,} = ${cost:>9,.2f}",
            file=out,
        )
    print(f"  {'total':<65} ${total:>40,.2f}  (${total / target * 1000:.2f} per 1,000 applicants)", file=out)
    return total
