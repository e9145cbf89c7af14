"""One whole hiring event through the product's own handlers and consumers, in-process over moto,
ending with a reconciliation report (``python -m tests.sim``, ``make simulate``; a small one is part
of the integration suite, ``tests/integration/test_simulation.py``).

Every request goes through the Chalice app (``chalice.test.Client``: gateway, authorizer,
middleware, handler) and every queue through its consumer, exactly as on the local stack; only
the transport is in-process. The vendor misbehaves the way vendors do: duplicate deliveries,
results out of order, results for applicants not imported yet, and a few bad signatures.

The report accounts for every input (stored, rejected with its reason, or parked then attached):
loss and double counts must both be zero; the exit status is 1 otherwise.
"""

from __future__ import annotations

import csv
import io
import json
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CSV_FIELDS = ["name", "email", "phone", "national_id", "education", "resume_text", "external_ref"]
WEBHOOK = "/webhooks/interview-results"
UNBILLED = "reconciliation (the audit's own reads)"  # stage of the checks' own calls: not billed

# probation with compressed durations (seconds): the cycle reaches the final review at once; the
# review waits long enough for the manager, who decides as soon as it waits
PROBATION_DURATIONS = {"check_in": 0, "mid_term": 0, "end": 1, "decision_timeout": 600, "heartbeat": 600}
PROBATION_BATCH = 100  # executions running at once in moto's interpreter
PROBATION_WAIT_SECONDS = 120.0


@dataclass(frozen=True)
class Planned:
    """One delivery the vendor will send: its body, its webhook id, the key it signs with (None:
    the vendor's current key)."""

    raw: bytes
    webhook_id: str
    secret: str | None = None


@dataclass
class Stage:
    name: str
    items: int
    seconds: float


@dataclass
class Report:
    stages: list[Stage] = field(default_factory=list)
    checks: dict[str, tuple[int, int]] = field(default_factory=dict)  # name -> (expected, found)
    counts: dict[str, Counter[str]] = field(default_factory=dict)

    def timed(self, name: str, items: int, began: float) -> None:
        self.stages.append(Stage(name, items, time.perf_counter() - began))

    def check(self, name: str, expected: int, found: int) -> None:
        self.checks[name] = (expected, found)

    @property
    def ok(self) -> bool:
        return all(e == f for e, f in self.checks.values())

    def print(self, out: Any = sys.stdout) -> None:
        print("\nper-stage throughput:", file=out)
        for s in self.stages:
            rate = s.items / s.seconds if s.seconds else 0.0
            print(f"  {s.name:<44} {s.items:>8,} items {s.seconds:>8.1f} s {rate:>9.1f} /s", file=out)
        print("\nwhat happened to every input:", file=out)
        for what, counter in self.counts.items():
            print(f"  {what:<44} " + ", ".join(f"{k} {v:,}" for k, v in sorted(counter.items())), file=out)
        print("\nreconciliation (expected = found):", file=out)
        for name, (expected, found) in self.checks.items():
            mark = "ok  " if expected == found else "FAIL"
            print(f"  {mark} {name:<60} expected {expected:>8,} found {found:>8,}", file=out)
        print(f"\nloss 0 and double counts 0: {'yes' if self.ok else 'NO'}", file=out)


class HiringEvent:
    def __init__(self, client: Any, stack: Any, n: int, seed: int) -> None:
        from tests.sim.meter import Meter

        self.meter = Meter()  # every AWS call, request and invocation of the event, by stage
        self.client, self.stack, self.n = self.meter.wrap(client), stack, n
        self.stage_items: dict[str, int] = {}
        self.rng = random.Random(seed)
        # the simulated background vendor's findings, from the seed too (the vendor's own default
        # follows the check ids, which are new on every run)
        self.vendor_rng = random.Random(f"background-vendor-{seed}")
        self.report = Report()
        self.hr = {"Content-Type": "application/json", **stack.auth("hr")}
        self.progress = False  # a line on stderr as each step ends (long runs)

    # -- plumbing --------------------------------------------------------------------------------
    def call(self, method: str, path: str, body: Any = None, role: str = "hr", ok: tuple[int, ...] = (200, 201)) -> Any:
        headers = {"Content-Type": "application/json", **self.stack.auth(role)}
        raw = json.dumps(body, ensure_ascii=False).encode() if body is not None else b""
        r = getattr(self.client.http, method.lower())(path, headers=headers, body=raw)
        assert r.status_code in ok, (method, path, r.status_code, r.body[:500])
        return json.loads(r.body) if r.body else None

    def drain(self, function: str, queue_env: str) -> None:
        from tests.support.events import drain

        drain(lambda e: self.client.lambda_.invoke(function, e).payload, self.stack.env[queue_env])

    # -- the event -------------------------------------------------------------------------------
    def requisition(self) -> None:
        body = json.loads((ROOT / "events" / "requisition-customer-manager.json").read_text("utf-8"))
        body["headcount"] = max(1, self.n // 100)  # the source: 1,000 hires from 100,000 resumes
        self.req = self.call("POST", "/requisitions", body)
        self.req_id = self.req["id"]
        self.dimensions = list(self.req["dimension_weights"])

    def people(self) -> None:
        from tests.support.ids import person

        everyone = [person(i) | {"external_ref": f"EXT-{i:06d}"} for i in range(self.n)]
        self.rng.shuffle(everyone)
        late = max(1, self.n // 100)  # 1 %: the vendor's result arrives before the import
        self.late, self.early = everyone[:late], everyone[late:]
        bad = max(1, self.n // 200)  # 0.5 % rows with a broken national ID: rejected with the reason
        broken = {"external_ref": ""}
        self.bad_rows = [p | broken | {"national_id": p["national_id"][:-3] + "XYZ"} for p in self.early[:bad]]
        self.early = self.early[bad:]
        self.dup_rows = self.early[: max(1, self.n // 200)]  # 0.5 % listed twice: one application each
        # half are interviewed; the late ones by definition (their result is what arrives early)
        self.interviewed = self.late + self.rng.sample(self.early, max(0, self.n // 2 - len(self.late)))

    def import_rows(self, rows: list[dict[str, str]], filename: str) -> dict[str, Any]:
        import boto3

        from tests.support.events import s3_object_created
        from tests.support.stack import REGION

        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=CSV_FIELDS)
        writer.writeheader()
        writer.writerows({k: r.get(k, "") for k in CSV_FIELDS} for r in rows)
        data = out.getvalue().encode()
        job = self.call("POST", "/imports", {"requisition_id": self.req_id, "filename": filename})
        key, bucket = job["upload"]["fields"]["key"], self.stack.env["BUCKET_NAME"]
        etag = boto3.client("s3", region_name=REGION).put_object(Bucket=bucket, Key=key, Body=data)["ETag"]
        self.meter.add("s3.PostObject (the browser's presigned upload)", 1, calls=True)
        self.meter.add("s3 bytes stored", len(data))
        self.client.lambda_.invoke("object_created", s3_object_created(bucket, key, etag, len(data)))
        self.drain("import_worker", "IMPORT_QUEUE_URL")
        status: dict[str, Any] = self.call("GET", f"/imports/{job['id']}")
        return status

    def bulk_import(self) -> None:
        rows = self.early + self.bad_rows + self.dup_rows
        self.rng.shuffle(rows)
        began = time.perf_counter()
        status = self.import_rows(rows, "campaign.csv")
        self.report.timed("bulk import (S3 event → SQS chunks → worker)", len(rows), began)
        self.report.counts["import rows"] = Counter({k: status[k] for k in ("accepted", "rejected", "duplicate")})
        self.report.check("import: rows accepted", len(self.early), status["accepted"])
        self.report.check("import: rows rejected with a reason", len(self.bad_rows), status["rejected"])
        self.report.check("import: rows recognised as duplicates", len(self.dup_rows), status["duplicate"])

    def result(self, p: dict[str, str], completed: datetime) -> dict[str, Any]:
        from infra.local.simulator import canonical_payload

        scores = {d: self.rng.randint(40, 99) for d in self.dimensions}
        return canonical_payload(
            self.req_id,
            scores=scores,
            overall_score=round(sum(scores.values()) / len(scores), 1),
            completed_at=completed.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            external_ref=p["external_ref"],
        )

    def webhooks(self) -> None:
        self.plan_webhooks()
        self.send_webhooks()

    def plan_webhooks(self) -> None:
        """What the vendor will send: each delivery's body, webhook id and signing key. Signatures
        are made when a delivery is sent (``send_webhooks``), as a vendor signs each attempt:
        Standard Webhooks allows ±5 minutes, and sending 55,000 deliveries takes longer than that."""
        import secrets as random_ids

        base = datetime.now(UTC) - timedelta(days=10)
        plan: list[tuple[str, dict[str, str], Planned]] = []
        self.expected_latest: dict[str, str] = {}

        def planned(body: dict[str, Any], secret: str | None = None) -> Planned:
            raw = json.dumps(body, ensure_ascii=False).encode()
            return Planned(raw, f"msg_{random_ids.token_hex(16)}", secret)

        for i, p in enumerate(self.interviewed):
            newest = self.result(p, base + timedelta(seconds=i))
            delivery = planned(newest)
            plan.append(("first", p, delivery))
            self.expected_latest[p["external_ref"]] = newest["completed_at"]
            roll = self.rng.random()
            if roll < 0.05:  # the vendor retries the same delivery (same webhook id, signed again)
                plan.append(("duplicate", p, delivery))
            elif roll < 0.10:  # an older result of the same person arrives after the newer one
                plan.append(("older", p, planned(self.result(p, base - timedelta(days=1, seconds=i)))))
        for _ in range(max(3, len(plan) // 500)):  # a few deliveries signed with a key we do not know
            p = self.rng.choice(self.interviewed)
            plan.append(("bad signature", p, planned(self.result(p, base), secret="whsec_" + "A" * 32)))
        self.plan = plan

    def send_webhooks(self) -> None:
        from infra.local.simulator import signed_request

        outcomes: Counter[str] = Counter()
        began = time.perf_counter()
        late_refs = {p["external_ref"] for p in self.late}
        for kind, p, delivery in self.plan:
            headers, raw = signed_request(delivery.raw, webhook_id=delivery.webhook_id, secret=delivery.secret)
            r = self.client.http.post(WEBHOOK, headers=headers, body=raw)
            status = json.loads(r.body).get("status", "error") if r.status_code < 300 else str(r.status_code)
            expected = {
                "first": "parked" if p["external_ref"] in late_refs else "stored",
                "duplicate": "duplicate",
                "older": "parked" if p["external_ref"] in late_refs else "stored",
                "bad signature": "401",
            }[kind]
            outcomes[f"{kind} → {status}"] += 1
            if status != expected:
                outcomes[f"UNEXPECTED {kind} → {status}"] += 1
        self.report.timed("AI interview webhooks (signed, through the API)", len(self.plan), began)
        self.report.counts["webhook deliveries"] = outcomes
        self.report.check("webhooks: unexpected answers", 0, sum(v for k, v in outcomes.items() if "UNEXPECTED" in k))

    def settle(self) -> int:
        """Deliver the table stream's new records to its consumers (Lambda does this in AWS)."""
        from tests.support.streams import Projector

        if not hasattr(self, "projector"):
            self.projector = Projector(self.client, self.stack.env["TABLE_NAME"])
        return self.projector.settle()

    def project_results(self) -> None:
        began = time.perf_counter()
        applied = self.settle()
        self.report.timed("AI results applied (table stream consumer)", applied, began)

    def late_import(self) -> None:
        began = time.perf_counter()
        status = self.import_rows(self.late, "late.csv")
        self.settle()
        self.report.timed("late import (parked results attached)", len(self.late), began)
        self.report.check("late import: rows accepted", len(self.late), status["accepted"])

    def stored_applications(self) -> list[dict[str, Any]]:
        """The audit's own read of the table: one pass over the emulator's items, outside the product
        and its API (a Scan through moto evaluates its filter on every item and would take longer than
        the event at 100,000 applicants)."""
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.dynamodb.models import dynamodb_backends

        from shared.store.items import deserialize
        from tests.support.stack import REGION

        table = dynamodb_backends[DEFAULT_ACCOUNT_ID][REGION].get_table(self.stack.env["TABLE_NAME"])
        wanted = {"type": {"S": "application"}, "requisition_id": {"S": self.req_id}}
        found = []
        for partition in list(table.items.values()):
            for item in list(partition.values()):
                attributes = item.to_json()["Attributes"]
                if all(attributes.get(k) == v for k, v in wanted.items()):
                    found.append(deserialize(attributes))
        return found

    def verify_scores(self) -> None:
        """Every interviewed person has exactly their newest result; the scored count has no double."""
        with self.meter.during(UNBILLED):
            self._verify_scores()

    def _verify_scores(self) -> None:
        stored = self.stored_applications()
        by_ref = {a.get("external_ref"): a for a in stored}
        held = 0
        for ref, completed in self.expected_latest.items():
            app = by_ref.get(ref)
            ai = (app or {}).get("ai") or {}
            held += ai.get("completed_at") == completed
        self.report.check("scores: interviewed people holding their newest result", len(self.expected_latest), held)
        self.report.check("scores: applications in the requisition", len(self.early) + len(self.late), len(stored))
        scored = self.call("GET", f"/requisitions/{self.req_id}")["scored_count"]
        self.report.check("scores: the requisition's scored count (no double count)", len(self.expected_latest), scored)

    def shortlist(self) -> None:
        began = time.perf_counter()
        proposal = self.call("POST", f"/requisitions/{self.req_id}/shortlist")
        confirm = {
            "proposal_id": proposal["proposal_id"],
            "interview": {"starts_at": "2027-01-11T09:30:00+08:00", "place": "郑州市金水路 1 号 总行 3 楼"},
        }
        confirmation = self.call("POST", f"/requisitions/{self.req_id}/shortlist/confirm", confirm)
        self.drain("notification_worker", "NOTIFICATION_QUEUE_URL")
        self.shortlisted = [r["application_id"] for r in confirmation["results"] if r["outcome"] == "moved"]
        self.report.timed("shortlist: propose, confirm, invitations sent", len(self.shortlisted), began)
        expected = -(-len(self.expected_latest) * int(self.req["shortlist_ratio"] * 100) // 100)
        self.report.check("shortlist: top 30 % proposed", expected, len(proposal["entries"]))
        self.report.check("shortlist: applications moved to shortlisted", expected, len(self.shortlisted))
        mail = self.stack_mail_count()
        self.report.check("shortlist: invitations sent (exactly one each)", expected, mail)

    def stack_mail_count(self) -> int:
        import boto3

        from tests.support.stack import REGION

        ses = boto3.client("ses", region_name=REGION)
        return int(ses.get_send_quota()["SentLast24Hours"])

    def second_interview(self) -> None:
        began = time.perf_counter()
        headcount = self.req["headcount"]
        chosen = self.shortlisted[: max(headcount * 2, 1)]
        items = [{"application_id": a, "to": "second_interview"} for a in chosen]
        self.call("POST", f"/requisitions/{self.req_id}/transitions", {"items": items, "reason": "二面安排"})
        for app_id in chosen:
            self.call("PUT", f"/applications/{app_id}/interviewers", {"usernames": ["interviewer.demo"]})
            ratings = {d: self.rng.randint(55, 95) for d in self.dimensions}
            body = {"ratings": ratings, "comment": "表达清晰，案例具体。", "recommendation": "hire"}
            self.call("POST", f"/applications/{app_id}/evaluations", body, role="interviewer")
        items = [{"application_id": a, "to": "evaluated"} for a in chosen]
        out = self.call("POST", f"/requisitions/{self.req_id}/transitions", {"items": items, "reason": "二面完成"})
        self.evaluated = [r["application_id"] for r in out["results"] if r["outcome"] == "moved"]
        self.report.timed("second interview: assign, evaluate, move", len(chosen), began)
        self.report.check("second interview: evaluated", len(chosen), len(self.evaluated))

    # -- background checks, offers, e-signature, onboarding -------------------------------------------
    def vendors(self) -> None:
        """The local stack's simulated vendors, reached over loopback by the product's real HTTP
        adapters; their signed callbacks are sent here, through the API, once the orders are in."""
        import os

        from infra.local.bgc_vendor import SimulatedBackgroundVendor
        from infra.local.esign_vendor import EsignVendorSimulator
        from shared.settings import reset_settings

        received: list[dict[str, Any]] = []

        class RecordingVendor(SimulatedBackgroundVendor):
            def take(self, order: dict[str, Any]) -> tuple[int, dict[str, Any]]:
                answer = super().take(order)
                if answer[0] == 201:
                    received.append(order)
                return answer

        self.bgc_orders = received
        self.bgc = RecordingVendor("http://unused", delay_seconds=86_400).start()
        self.esign = EsignVendorSimulator("http://unused", delay_seconds=-1)
        os.environ["BACKGROUND_VENDOR_URL"] = self.bgc.url
        os.environ["ESIGN_VENDOR_URL"] = self.esign.start()
        reset_settings()

    def signed_post(self, path: str, body: dict[str, Any], secret: str, webhook_id: str | None = None) -> Any:
        import secrets as random_ids

        from shared.security.webhooks import sign

        raw = json.dumps(body, ensure_ascii=False).encode()
        msg_id = webhook_id or f"msg_{random_ids.token_hex(16)}"
        ts = int(time.time())
        headers = {
            "Content-Type": "application/json",
            "webhook-id": msg_id,
            "webhook-timestamp": str(ts),
            "webhook-signature": sign(secret, msg_id, ts, raw),
        }
        r = self.client.http.post(path, headers=headers, body=raw)
        return r.status_code, json.loads(r.body) if r.body else {}

    def background_checks(self) -> None:
        from infra.local.bgc_vendor import result_for
        from infra.local.vendors import LOCAL_BACKGROUND_VENDOR_SECRETS

        self.vendors()
        began = time.perf_counter()
        order = {"checks": ["education", "employment", "credit"], "consent_reference": "授权书-2026"}
        for app_id in self.evaluated:
            self.call("POST", f"/applications/{app_id}/background-checks", order)
        self.drain("background_check_worker", "BACKGROUND_CHECK_QUEUE_URL")
        outcomes: Counter[str] = Counter()
        secret = next(iter(LOCAL_BACKGROUND_VENDOR_SECRETS.values()))[0]
        for order_sent in self.bgc_orders:
            vendor_ref = self.bgc.orders[order_sent["reference"]]
            found = result_for(order_sent, vendor_ref, kind=self.vendor_rng.randrange(10))
            status, body = self.signed_post("/webhooks/background-checks", found, secret)
            outcomes[f"{status} {body.get('status', '')}".strip()] += 1
        self.report.timed("background checks: order, vendor, signed result", len(self.evaluated), began)
        self.report.counts["background checks"] = outcomes
        self.report.check("background checks: orders the vendor received", len(self.evaluated), len(self.bgc_orders))
        self.clear = [a for a in self.evaluated if self.call("GET", f"/applications/{a}/offer-readiness")["ready"]]
        outcomes["clear (ready for an offer)"] = len(self.clear)

    def offers(self) -> None:
        from infra.local.vendors import LOCAL_ESIGN_SECRETS

        began = time.perf_counter()
        from shared.services.offers import beijing_today

        today = beijing_today()  # hires start tomorrow (the bank's day); probation moves the clock to that day
        body = {
            "grade": "P5",
            "start_date": (today + timedelta(days=1)).isoformat(),
            "work_location": "郑州市金水路 1 号",
            "expires_on": today.isoformat(),
        }
        self.offered = self.clear[: self.req["headcount"]]
        offer_ids = {}
        for app_id in self.offered:
            offer = self.call("POST", f"/applications/{app_id}/offers", body)
            decision = {"decision": "approve", "comment": "同意"}
            self.call("POST", f"/applications/{app_id}/offers/{offer['id']}/approvals", decision, "manager")
            offer_ids[offer["id"]] = app_id
        self.drain("esign_worker", "ESIGN_QUEUE_URL")
        envelopes = list(self.esign.envelopes.values())
        outcomes: Counter[str] = Counter()
        for envelope in envelopes:
            callback = {
                "type": "signed",
                "offer_id": envelope.offer_id,
                "envelope_id": envelope.envelope_id,
                "occurred_at": datetime.now(UTC).isoformat(),
            }
            webhook_id = f"msg_sim_{envelope.envelope_id}"
            status, answer = self.signed_post("/webhooks/esign", callback, LOCAL_ESIGN_SECRETS[0], webhook_id)
            outcomes[f"signed → {status} {answer.get('status', '')}".strip()] += 1
            if self.rng.random() < 0.05:  # the vendor calls back twice
                status, answer = self.signed_post("/webhooks/esign", callback, LOCAL_ESIGN_SECRETS[0], webhook_id)
                outcomes[f"repeated callback → {status} {answer.get('status', '')}".strip()] += 1
        self.report.timed("offers: create, approve, e-sign, callback", len(self.offered), began)
        self.report.counts["offers"] = outcomes
        self.report.check("offers: envelopes the e-sign vendor received", len(self.offered), len(envelopes))
        stages = {a["id"]: a["stage"] for a in self.stored_applications()}  # (the audit's own read)
        signed = sum(1 for a in self.offered if stages.get(a) == "offer_signed")
        self.report.check("offers: applications at offer_signed", len(self.offered), signed)

    def onboarding(self) -> None:
        import boto3

        from tests.support.stack import REGION

        sqs = boto3.client("sqs", region_name=REGION)
        attributes = sqs.get_queue_attributes(
            QueueUrl=self.stack.env["ONBOARDING_QUEUE_URL"], AttributeNames=["ApproximateNumberOfMessages"]
        )["Attributes"]
        queued = int(attributes["ApproximateNumberOfMessages"])
        began = time.perf_counter()
        self.drain("onboarding_worker", "ONBOARDING_QUEUE_URL")
        employees, token = [], None
        while True:
            query = f"?department={self.req['department']}&limit=200" + (f"&next_token={token}" if token else "")
            page = self.call("GET", f"/employees{query}")
            employees += page["items"]
            token = page.get("next_token")
            if not token:
                break
        self.employees = [e["id"] for e in employees]
        self.report.timed("onboarding: employees, tasks, welcome pack", len(employees), began)
        self.report.check("onboarding: exactly one message per signed offer", len(self.offered), queued)
        self.report.check("onboarding: employees created", len(self.offered), len(employees))

    # -- probation ---------------------------------------------------------------------------------
    def until(self, condition: Any, what: str, seconds: float = PROBATION_WAIT_SECONDS) -> Any:
        """Deliver the NotificationQueue to its consumer and poll ``condition`` until it holds: a bounded
        loop on a condition (the state machine's own waits are seconds long), never a fixed sleep."""
        from tests.support.running import wait_until

        def delivered_then_checked() -> Any:
            self.drain("notification_worker", "NOTIFICATION_QUEUE_URL")
            return condition()

        return wait_until(f"probation: {what}", delivered_then_checked, seconds, interval=0.05)

    def probation(self) -> None:
        """Every hire's probation, with compressed durations, in batches (each execution is a thread of
        moto's interpreter): confirm the goals, record progress, the manager decides once the final
        review waits, and the state machine writes the outcome."""
        began = time.perf_counter()
        self.first_working_day()
        outcomes: Counter[str] = Counter()
        self.expected_outcome: dict[str, str] = {}
        for start in range(0, len(self.employees), PROBATION_BATCH):
            batch = self.employees[start : start + PROBATION_BATCH]
            for employee_id in batch:
                started = self.call(
                    "POST", f"/employees/{employee_id}/probation/confirm", {"durations": PROBATION_DURATIONS}, ok=(201,)
                )
                view = started["probation"]
                progress = {"goal_id": view["goals"][0]["id"], "amount": 1, "note": "首月", "date": view["start_date"]}
                self.call("POST", f"/employees/{employee_id}/probation/progress", progress, role="manager")
                outcomes["confirmed, progress recorded"] += 1

            unseen = set(batch)  # asked again only until each is seen waiting

            def waiting(ids: set[str] = unseen) -> bool:
                ids -= {e for e in list(ids) if self.call("GET", f"/employees/{e}/probation")["awaiting_decision"]}
                return not ids

            self.until(waiting, "every final review of the batch waiting for the manager")
            for employee_id in batch:
                if self.rng.random() < 0.9:
                    decision, outcome = {"decision": "confirm"}, "confirmed"
                else:
                    decision, outcome = {"decision": "not_confirm", "reason": "目标未达成"}, "not_confirmed"
                self.call("POST", f"/employees/{employee_id}/probation/decision", decision, role="manager")
                self.expected_outcome[employee_id] = outcome

            running = set(batch)

            def completed(ids: set[str] = running) -> bool:
                ids -= {e for e in list(ids) if self.call("GET", f"/employees/{e}/probation")["status"] == "completed"}
                return not ids

            self.until(completed, "every probation of the batch completed")
        self.report.timed("probation: confirm, progress, decision, outcome", len(self.employees), began)
        self.reconcile_probation(outcomes)

    def reconcile_probation(self, outcomes: Counter[str]) -> None:
        with self.meter.during(UNBILLED):
            self._reconcile_probation(outcomes)

    def _reconcile_probation(self, outcomes: Counter[str]) -> None:
        import boto3

        from tests.support.stack import REGION

        sfn = boto3.client("stepfunctions", region_name=REGION)
        machine = self.stack.env["PROBATION_STATE_MACHINE_ARN"]
        pages = sfn.get_paginator("list_executions").paginate(stateMachineArn=machine)
        executions = [e for page in pages for e in page["executions"]]
        names = Counter(e["name"] for e in executions)
        self.state_machine_work(sfn, [e["executionArn"] for e in executions])
        hires = set(self.employees)
        self.report.check(
            "probation: hires with exactly one execution",
            len(hires),
            sum(1 for e in hires if names[f"probation-{e}"] == 1),
        )
        strays = sum(n for name, n in names.items() if name.removeprefix("probation-") not in hires)
        self.report.check("probation: executions of no hire", 0, strays)
        held = 0
        for employee_id, expected in self.expected_outcome.items():
            view = self.call("GET", f"/employees/{employee_id}/probation")
            outcomes[f"outcome {view['outcome']}"] += 1
            held += (view["status"], view["outcome"]) == ("completed", expected)
        self.report.counts["probation"] = outcomes
        self.report.check("probation: hires with the manager's outcome", len(hires), held)

    def state_machine_work(self, sfn: Any, arns: list[str]) -> None:
        """What the executions did, from their histories: state transitions (the Step Functions bill)
        and the SDK integrations the interpreter called itself (no botocore hook sees those)."""
        with self.meter.during("probation"):
            for arn in arns:
                pages = sfn.get_paginator("get_execution_history").paginate(executionArn=arn)
                for event in (e for page in pages for e in page["events"]):
                    if event["type"].endswith("StateEntered"):
                        self.meter.add("states.StateTransition", 1, calls=True)
                    elif event["type"] == "TaskScheduled":
                        details = event["taskScheduledEventDetails"]
                        operation = details["resource"].split(".")[0]
                        name = f"{details['resourceType']}.{operation[:1].upper()}{operation[1:]} (state machine)"
                        self.meter.add(name, 1, calls=True)

    def first_working_day(self) -> None:
        """Probation starts on the start date: the business clock moves to the hires' first day, as the
        local stack's clock moves (``infra/local/clock.py``)."""
        import os
        import tempfile

        from infra.local import clock as local_clock

        self.clock_dir = tempfile.TemporaryDirectory(prefix="sim-clock-")
        self.clock_env = os.environ.get(local_clock.clock.CLOCK_FILE_ENV)
        local_clock.use(Path(self.clock_dir.name) / local_clock.FILE_NAME, keep=False)
        local_clock.move({"days": 1})

    def close(self) -> None:
        for server in (getattr(self, "bgc", None), getattr(self, "esign", None)):
            if server is not None:
                server.stop()
        if getattr(self, "clock_dir", None) is not None:
            import os

            from shared.clock import CLOCK_FILE_ENV

            os.environ.pop(CLOCK_FILE_ENV, None)
            if self.clock_env is not None:
                os.environ[CLOCK_FILE_ENV] = self.clock_env
            self.clock_dir.cleanup()

    def print_figures(self, out: Any = sys.stdout) -> float:
        """AWS calls per stage, per applicant and per hire; the bill of a 100,000-applicant event."""
        from tests.sim.costs import print_calls, print_cost

        print_calls(self.meter, self.stage_items, self.n, len(getattr(self, "employees", [])), out)
        return print_cost(self.meter, self.n, out=out)

    def run(self) -> Report:
        try:
            return self._run()
        finally:
            self.close()

    def _run(self) -> Report:
        steps = [
            self.requisition,
            self.people,
            self.bulk_import,
            self.webhooks,
            self.project_results,
            self.late_import,
            self.verify_scores,
            self.shortlist,
            self.second_interview,
            self.background_checks,
            self.offers,
            self.onboarding,
            self.probation,
        ]
        self.meter.hook()
        try:
            began = time.perf_counter()
            for step in steps:
                before = len(self.report.stages)
                with self.meter.during(step.__name__):
                    step()
                if self.progress:
                    elapsed = time.perf_counter() - began
                    print(f"[{elapsed:7.0f} s] {step.__name__} done", file=sys.stderr, flush=True)
                if len(self.report.stages) > before:
                    self.stage_items[step.__name__] = self.report.stages[-1].items
        finally:
            self.meter.unhook()
        return self.report
