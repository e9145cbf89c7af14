"""``python -m infra.local.simulator --requisition ID (--refs A,B | --count N)``: a vendor for the local stack.

Sends signed AI-interview results to ``POST /webhooks/interview-results`` of a running stack the
way the vendors would: Standard Webhooks signatures with the local vendor secrets
(``infra.local.vendors``), in both payload formats (``aivendor``: canonical, 0–100;
``mianshi``: nested, 1–5 ratings), with plausible scores for every dimension the requisition
weighs (read through ``GET /requisitions/{id}`` with an HR token). Optionally it behaves like a
real vendor does on a bad day: it retries deliveries with the same ``webhook-id``
(``--duplicates``), sends an older result after a newer one (``--out-of-order``) and signs with a
key the stack does not know (``--bad-signatures``).

One line per delivery (webhook id, vendor, reference, HTTP status, outcome, what was sent), then a
summary. The exit status is 0 when every answer was the expected one (stored or parked for a new
or an older result — an older one is kept in the history as superseded —, duplicate for a retry,
401 for a bad signature).

``--seed`` fixes the scores, vendors and which deliveries are retried or reordered; webhook ids
are new on every run, so running twice delivers new results rather than retries. The payload
builders (``canonical_payload``, ``mianshi_payload``, ``signed_request``) are shared with the tests.
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import re
import secrets
import signal
import statistics
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from types import FrameType
from typing import Any, Literal, TextIO

from infra.local.loopback import LoopbackServer, LoopbackService
from infra.local.state import DEFAULT_STATE_DIR
from infra.local.vendors import LOCAL_VENDOR_SECRETS, signature_headers
from shared.clock import wall
from shared.domain.vendors import MIANSHI_CODES

DEFAULT_API = "http://127.0.0.1:8000"
WEBHOOK_PATH = "/webhooks/interview-results"
VENDORS = ("aivendor", "mianshi")
MODEL_VERSIONS = {"aivendor": "aivendor-scoring-2026.11", "mianshi": "mianshi-engine-3.2"}
MIANSHI_CODE = {dimension.value: code for code, dimension in MIANSHI_CODES.items()}
CHINA = timezone(timedelta(hours=8), "CST")

Kind = Literal["first", "older", "duplicate", "bad_signature"]
# what the stack should answer to each kind of delivery: (HTTP status, outcome)
EXPECTED: dict[str, set[tuple[int, str]]] = {
    "first": {(200, "stored"), (202, "parked")},
    "older": {(200, "stored"), (202, "parked")},
    "duplicate": {(200, "duplicate")},
    "bad_signature": {(401, "unauthenticated")},
}

TRANSCRIPTS = {
    "logic": "首先拆解问题，其次比较三种方案的成本与收益，最后给出结论。",
    "expression": "我会用简单的例子向客户解释理财产品的风险和收益。",
    "customer_orientation": "我会先了解客户的资金用途和风险偏好，再推荐合适的产品。",
    "risk_awareness": "放款前要核实还款来源，关注担保和抵押的真实性。",
    "innovation": "可以用小程序把预约开户的流程从三天缩短到半天。",
    "teamwork": "项目紧张时我主动承担了数据整理，让同事专注客户沟通。",
    "stress_tolerance": "季度末任务集中时，我会按优先级排好每天的工作。",
    "data_analysis": "我用透视表分析了网点三年的存款结构，找出流失客户的共同特征。",
}


# -- payload builders (also used by the tests) -----------------------------------------------------


def canonical_payload(
    requisition_id: str,
    *,
    scores: Mapping[str, Any],
    overall_score: Any,
    completed_at: str,
    application_id: str | None = None,
    external_ref: str | None = None,
    questions: Sequence[Mapping[str, Any]] = (),
    model_version: str = MODEL_VERSIONS["aivendor"],
    video_url: str | None = None,
    vendor_id: str = "aivendor",
) -> dict[str, Any]:
    """The canonical format (``shared.models.interview.CanonicalResult``): scores 0–100."""
    body: dict[str, Any] = {
        "vendor_id": vendor_id,
        "requisition_id": requisition_id,
        "dimension_scores": dict(scores),
        "overall_score": overall_score,
        "questions": [dict(q) for q in questions],
        "model_version": model_version,
        "completed_at": completed_at,
    }
    if application_id:
        body["application_id"] = application_id
    if external_ref:
        body["external_ref"] = external_ref
    if video_url:
        body["video_url"] = video_url
    return body


def to_rating(score: float) -> float:
    """A 0–100 score on mianshi's 1–5 scale, to one decimal (0 → 1, 50 → 3, 100 → 5)."""
    return round(1 + max(0.0, min(100.0, score)) * 4 / 100, 1)


def mianshi_payload(
    requisition_id: str,
    *,
    ratings: Mapping[str, float],
    total_rating: float,
    finished_at: int | str,
    external_ref: str | None = None,
    application_id: str | None = None,
    items: Sequence[Mapping[str, Any]] = (),
    engine: str = MODEL_VERSIONS["mianshi"],
    replay_url: str | None = None,
) -> dict[str, Any]:
    """mianshi's nested format: ``ratings`` maps our dimension names to 1–5 ratings; ``items`` are
    ``{"dimension", "rating", "answer_text"}``."""
    candidate: dict[str, Any] = {"jobCode": requisition_id}
    if external_ref:
        candidate["ref"] = external_ref
    if application_id:
        candidate["appId"] = application_id
    data: dict[str, Any] = {
        "candidate": candidate,
        "assessment": {
            "competencies": [{"code": MIANSHI_CODE[d], "rating": r} for d, r in ratings.items()],
            "totalRating": total_rating,
            "items": [
                {
                    "qid": f"MS-{n + 1:02d}",
                    "competency": MIANSHI_CODE[i["dimension"]],
                    "rating": i["rating"],
                    "answerText": i.get("answer_text", ""),
                }
                for n, i in enumerate(items)
            ],
            "engine": engine,
            "finishedAt": finished_at,
        },
    }
    if replay_url:
        data["media"] = {"replayUrl": replay_url}
    return {"event": "interview.completed", "vendor": "mianshi", "data": data}


def signed_request(
    body: Mapping[str, Any] | bytes,
    vendor: str = "aivendor",
    *,
    webhook_id: str | None = None,
    timestamp: int | None = None,
    secret: str | None = None,
) -> tuple[dict[str, str], bytes]:
    """Headers and raw body of a delivery signed with the vendor's current local secret."""
    raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    msg_id = webhook_id or f"msg_{secrets.token_hex(16)}"
    ts = int(wall()) if timestamp is None else timestamp
    return signature_headers(raw, msg_id, ts, secret or LOCAL_VENDOR_SECRETS[vendor][0]), raw


def unknown_secret() -> str:
    """A well-formed secret no vendor has (what a misconfigured vendor would sign with)."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


# -- one simulated hiring event ---------------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    seq: int
    kind: Kind
    vendor: str
    ref: str
    webhook_id: str
    body: bytes
    completed_at: datetime  # when the interview finished (what decides newest-wins)
    secret: str

    @property
    def expected(self) -> set[tuple[int, str]]:
        return EXPECTED[self.kind]


@dataclass(frozen=True)
class Sent:
    delivery: Delivery
    status: int  # 0: no HTTP answer
    outcome: str  # the answer's ``status``, or its error code, or why there was no answer
    application_id: str | None = None

    @property
    def as_expected(self) -> bool:
        return (self.status, self.outcome) in self.delivery.expected


@dataclass
class Report:
    url: str
    sent: list[Sent] = field(default_factory=list)
    seconds: float = 0.0

    def by_status(self) -> Counter[int]:
        return Counter(s.status for s in self.sent)

    def by_outcome(self) -> Counter[str]:
        return Counter(s.outcome for s in self.sent)

    def unexpected(self) -> list[Sent]:
        return [s for s in self.sent if not s.as_expected]

    def of_kind(self, kind: Kind) -> list[Sent]:
        return [s for s in self.sent if s.delivery.kind == kind]

    def newest_for(self, ref: str) -> Sent:
        """The valid delivery with the latest ``completed_at`` for a reference (the one that wins)."""
        valid = [s for s in self.sent if s.delivery.ref == ref and s.delivery.kind in ("first", "older")]
        return max(valid, key=lambda s: s.delivery.completed_at)


@dataclass(frozen=True)
class Plan:
    """What to send: see ``python -m infra.local.simulator --help``."""

    requisition_id: str
    refs: tuple[str, ...]
    dimensions: tuple[str, ...]
    vendor: Literal["aivendor", "mianshi", "both"] = "both"
    duplicates: float = 0.0
    out_of_order: float = 0.0
    bad_signatures: int = 0
    seed: int | None = None
    video_base: str | None = None  # e.g. http://127.0.0.1:8125 → <base>/videos/<ref>.mp4


def _share(fraction: float, n: int) -> int:
    """How many of ``n`` a fraction means: at least one when the fraction is positive."""
    if fraction <= 0 or n == 0:
        return 0
    return min(n, max(1, round(fraction * n)))


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


class Simulator:
    def __init__(self, plan: Plan, now: float | None = None, run_id: str | None = None) -> None:
        self.plan = plan
        self.rng = random.Random(plan.seed)  # simulated scores, not security
        self.now = wall() if now is None else now
        self.run_id = run_id or secrets.token_hex(3)

    def _vendor(self, index: int) -> str:
        if self.plan.vendor == "both":
            return VENDORS[index % 2]
        return self.plan.vendor

    def _scores(self) -> dict[str, int]:
        """One candidate: a general level around 72 and a spread per dimension, 30–99."""
        level = self.rng.gauss(72, 9)
        return {d: round(_clamp(level + self.rng.gauss(0, 8), 30, 99)) for d in self.plan.dimensions}

    def _body(self, vendor: str, ref: str, finished: datetime) -> bytes:
        scores = self._scores()
        overall = round(statistics.fmean(scores.values()), 1)
        asked = self.rng.sample(list(scores), k=min(2, len(scores)))
        video = f"{self.plan.video_base}/videos/{ref}.mp4" if self.plan.video_base else None
        if vendor == "mianshi":
            payload = mianshi_payload(
                self.plan.requisition_id,
                ratings={d: to_rating(s) for d, s in scores.items()},
                total_rating=to_rating(overall),
                finished_at=int(finished.timestamp()),
                external_ref=ref,
                items=[
                    {
                        "dimension": d,
                        "rating": to_rating(_clamp(scores[d] + self.rng.gauss(0, 5), 0, 100)),
                        "answer_text": TRANSCRIPTS[d],
                    }
                    for d in asked
                ],
                replay_url=video,
            )
        else:
            payload = canonical_payload(
                self.plan.requisition_id,
                scores=scores,
                overall_score=overall,
                completed_at=finished.astimezone(CHINA).isoformat(timespec="seconds"),
                external_ref=ref,
                questions=[
                    {
                        "question_id": f"Q{n + 1}",
                        "dimension": d,
                        "score": round(_clamp(scores[d] + self.rng.gauss(0, 5), 0, 100)),
                        "transcript_excerpt": TRANSCRIPTS[d],
                    }
                    for n, d in enumerate(asked)
                ],
                model_version=MODEL_VERSIONS[vendor],
                video_url=video,
                vendor_id=vendor,
            )
        return json.dumps(payload, ensure_ascii=False).encode()

    def deliveries(self) -> list[Delivery]:
        """Every result once (an older one right after its newer one when reordered), bad signatures
        at random places among them, then the retries."""
        plan, rng = self.plan, self.rng
        if not plan.refs or not plan.dimensions:
            raise ValueError("a plan needs at least one reference and one dimension")
        seq = 0

        def make(kind: Kind, vendor: str, ref: str, finished: datetime, body: bytes, secret: str) -> Delivery:
            nonlocal seq
            seq += 1
            webhook_id = f"msg_sim_{self.run_id}_{seq:04d}"
            return Delivery(seq, kind, vendor, ref, webhook_id, body, finished, secret)

        reordered = set(rng.sample(range(len(plan.refs)), _share(plan.out_of_order, len(plan.refs))))
        main: list[Delivery] = []
        for index, ref in enumerate(plan.refs):
            vendor = self._vendor(index)
            secret = LOCAL_VENDOR_SECRETS[vendor][0]
            # finished a few minutes to a few hours ago, whole seconds (mianshi sends Unix seconds)
            finished = datetime.fromtimestamp(int(self.now - rng.uniform(300, 6 * 3600)), tz=UTC)
            main.append(make("first", vendor, ref, finished, self._body(vendor, ref, finished), secret))
            if index in reordered:  # an earlier attempt that the vendor delivers late
                earlier = finished - timedelta(seconds=int(rng.uniform(3600, 3 * 86400)))
                main.append(make("older", vendor, ref, earlier, self._body(vendor, ref, earlier), secret))
        retried = rng.sample(main, _share(plan.duplicates, len(main)))
        for _ in range(plan.bad_signatures):
            index = rng.randrange(len(plan.refs))
            ref = plan.refs[index]
            vendor = self._vendor(index)
            finished = datetime.fromtimestamp(int(self.now - rng.uniform(300, 6 * 3600)), tz=UTC)
            bad = make("bad_signature", vendor, ref, finished, self._body(vendor, ref, finished), unknown_secret())
            main.insert(rng.randrange(len(main) + 1), bad)
        rng.shuffle(retried)
        return main + [replace(d, kind="duplicate") for d in retried]


# -- sending -------------------------------------------------------------------------------------


def post(url: str, headers: Mapping[str, str], body: bytes, timeout: float = 30) -> tuple[int, Any]:
    request = urllib.request.Request(url, data=body, headers=dict(headers), method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
            return response.status, _json(raw)
    except urllib.error.HTTPError as err:
        return err.code, _json(err.read())


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return {"raw": raw[:200].decode("utf-8", "replace")}


def outcome_of(status: int, answer: Any) -> tuple[str, str | None]:
    if isinstance(answer, dict) and isinstance(answer.get("error"), dict):
        return str(answer["error"].get("code", f"http_{status}")), None
    if isinstance(answer, dict) and "status" in answer:
        return str(answer["status"]), answer.get("application_id")
    return f"http_{status}", None


def line(sent: Sent) -> str:
    d = sent.delivery
    flag = "" if sent.as_expected else "   UNEXPECTED"
    return f"{d.webhook_id:<24} {d.vendor:<9} {d.ref:<14} {sent.status:>3} {sent.outcome:<16} {d.kind}{flag}"


def send_all(api: str, deliveries: Sequence[Delivery], out: TextIO | None = None) -> Report:
    url = api.rstrip("/") + WEBHOOK_PATH
    report = Report(url)
    if out is not None:
        print(f"{'webhook-id':<24} {'vendor':<9} {'reference':<14} {'HTTP':>3} {'outcome':<16} sent as", file=out)
    started = time.monotonic()
    for d in deliveries:
        # signed at send time, as a vendor's retry is: a new timestamp, the same id and body
        headers = signature_headers(d.body, d.webhook_id, int(wall()), d.secret)
        try:
            status, answer = post(url, headers, d.body)
            outcome, app_id = outcome_of(status, answer)
        except (urllib.error.URLError, OSError) as exc:
            status, outcome, app_id = 0, f"no answer: {getattr(exc, 'reason', exc)}", None
        sent = Sent(d, status, outcome, app_id)
        report.sent.append(sent)
        if out is not None:
            print(line(sent), file=out, flush=True)
    report.seconds = time.monotonic() - started
    return report


def summary(report: Report) -> str:
    statuses = ", ".join(f"HTTP {k}: {v}" for k, v in sorted(report.by_status().items()))
    outcomes = ", ".join(f"{k} {v}" for k, v in report.by_outcome().most_common())
    unexpected = report.unexpected()
    verdict = "every answer as expected" if not unexpected else f"{len(unexpected)} unexpected answer(s)"
    return (
        f"summary: {len(report.sent)} deliveries to {report.url} in {report.seconds:.2f} s\n"
        f"  by status:  {statuses or '-'}\n"
        f"  by outcome: {outcomes or '-'}\n"
        f"  {verdict}"
    )


def requisition_dimensions(api: str, requisition_id: str, token: str) -> tuple[str, ...]:
    """The dimensions the requisition weighs (``GET /requisitions/{id}``, any role that may read it)."""
    request = urllib.request.Request(
        f"{api.rstrip('/')}/requisitions/{requisition_id}",
        headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            body = json.loads(response.read())
    except urllib.error.HTTPError as err:
        answer = _json(err.read())
        message = answer.get("error", {}).get("message") if isinstance(answer, dict) else None
        raise SystemExit(f"GET /requisitions/{requisition_id}: HTTP {err.code} {message or ''}".rstrip()) from err
    except urllib.error.URLError as exc:
        raise SystemExit(f"no API at {api} ({exc.reason}): is the local stack running (make run)?") from exc
    weights = body.get("dimension_weights") or {}
    if not weights:
        raise SystemExit(f"requisition {requisition_id} weighs no dimension")
    return tuple(weights)


def simulate(
    api: str,
    plan: Plan,
    out: TextIO | None = None,
    now: float | None = None,
) -> Report:
    """Send the plan's deliveries to the stack at ``api``; one line per delivery to ``out``."""
    return send_all(api, Simulator(plan, now=now).deliveries(), out)


# -- interview videos ------------------------------------------------------------------------------

# the start of an ISO base media file (an ``ftyp`` box) and a little padding: enough to look like a video
FAKE_MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00\x00\x00\x08free" + bytes(64)
VIDEO_PATH = re.compile(r"^/videos/[A-Za-z0-9._-]{1,100}\.mp4$")


class _VideoHandler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _answer(self, with_body: bool) -> None:
        path = self.path.split("?", 1)[0]
        if not VIDEO_PATH.match(path):
            self.send_response(404)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "9")
            self.end_headers()
            if with_body:
                self.wfile.write(b"not found")
            return
        self.send_response(200)
        self.send_header("Content-Type", "video/mp4")
        self.send_header("Content-Length", str(len(FAKE_MP4)))
        self.end_headers()
        if with_body:
            self.wfile.write(FAKE_MP4)

    def do_GET(self) -> None:
        self._answer(True)

    def do_HEAD(self) -> None:
        self._answer(False)


class VideoServer(LoopbackService):
    """``GET /videos/<ref>.mp4`` on 127.0.0.1 answers a few bytes of ``video/mp4`` (port 0: any free one)."""

    def __init__(self, port: int = 0, host: str = "127.0.0.1") -> None:
        self._loopback = LoopbackServer(host, port, _VideoHandler, "videos", daemon_threads=True)


# -- command line ----------------------------------------------------------------------------------


def _fraction(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return value


def _refs(text: str) -> tuple[str, ...]:
    refs = tuple(r.strip() for r in text.split(",") if r.strip())
    if not refs:
        raise argparse.ArgumentTypeError("name at least one reference")
    if len(set(refs)) != len(refs):
        raise argparse.ArgumentTypeError("a reference appears twice")
    return refs


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m infra.local.simulator",
        description="Send signed AI interview results to the running local stack, as the vendors would.",
    )
    parser.add_argument("--api", default=DEFAULT_API, help=f"the stack's API (default {DEFAULT_API})")
    parser.add_argument("--requisition", required=True, help="the requisition the interviews were for")
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--refs", type=_refs, help="applicants' external references, comma-separated")
    who.add_argument("--count", type=int, help="N applicants with generated references SIM-0001…")
    parser.add_argument("--vendor", choices=[*VENDORS, "both"], default="both", help="default: both, alternating")
    parser.add_argument("--duplicates", type=_fraction, default=0.0, help="share of deliveries retried (same id)")
    parser.add_argument(
        "--out-of-order", type=_fraction, default=0.0, help="share of applicants whose older result arrives last"
    )
    parser.add_argument("--bad-signatures", type=int, default=0, help="deliveries signed with an unknown key")
    parser.add_argument("--seed", type=int, default=None, help="fix scores, vendors and the choice of retries")
    parser.add_argument("--token", default=None, help="a bearer token that may read the requisition")
    parser.add_argument(
        "--state-dir", type=Path, default=DEFAULT_STATE_DIR, help="the stack's state (for an HR token if no --token)"
    )
    parser.add_argument(
        "--serve-videos",
        type=int,
        metavar="PORT",
        default=None,
        help="serve /videos/<ref>.mp4 on 127.0.0.1:PORT, put its URL in every result, keep serving until Ctrl-C",
    )
    args = parser.parse_args(argv)
    if args.count is not None and not 1 <= args.count <= 9999:
        parser.error("--count must be between 1 and 9999")
    if args.bad_signatures < 0:
        parser.error("--bad-signatures must not be negative")
    return args


def _interrupt(signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


def serve_until_interrupted() -> None:
    """Block until Ctrl-C or SIGTERM (also when started in the background, where SIGINT is ignored)."""
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    refs = args.refs or tuple(f"SIM-{n:04d}" for n in range(1, args.count + 1))
    if args.token:
        token = args.token
    else:
        from infra.local.token import fresh_token

        token = fresh_token(args.state_dir, "hr")
    dimensions = requisition_dimensions(args.api, args.requisition, token)
    videos = VideoServer(args.serve_videos).start() if args.serve_videos is not None else None
    plan = Plan(
        requisition_id=args.requisition,
        refs=refs,
        dimensions=dimensions,
        video_base=videos.url if videos else None,
        **{name: getattr(args, name) for name in ("vendor", "duplicates", "out_of_order", "bad_signatures", "seed")},
    )
    try:
        report = simulate(args.api, plan, out=sys.stdout)
        print(summary(report), flush=True)
        if videos is not None:
            print(f"serving videos on {videos.url}/videos/<ref>.mp4 — Ctrl-C to stop", flush=True)
            serve_until_interrupted()
    finally:
        if videos is not None:
            videos.stop()
    return 0 if not report.unexpected() else 1


if __name__ == "__main__":
    sys.exit(main())
