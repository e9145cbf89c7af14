"""The nightly analytics run at scale: 100,000 employees with four quarterly cycles of history.

``python -m tests.bench.analytics [--employees N] [--cycles N]`` prints, never asserts:

* the size of one cycle record as stored (with its nine targets) and as analytics reads it (the
  projection ``RECORD_FIELDS``),
* decoding the projected cycle records as DynamoDB returns them (typed attribute values → rows),
* the nightly snapshot per cycle (validity overall / per family / per family × cohort with Holm's
  adjustment, the conditional statements with Wilson intervals, re-weighting per family with its
  5-fold cross-validated gain, high potentials, band vs performance),
* attrition by band and the risk model (fit on the mature hires, held-out validation with DeLong's
  interval, risk and explanation for every current employee),

with wall time and peak memory (tracemalloc: Python and numpy allocations; and the process's
maximum resident set size). DynamoDB read time is not simulated here; docs/benchmarks.md
estimates it from the data volume.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import resource
import time
import tracemalloc
from typing import Any

from shared.domain import analytics as stats
from shared.domain import attrition_model
from shared.models.common import Dimension
from shared.services.analytics import compute_snapshot
from shared.services.analytics_inputs import DIMENSIONS, RECORD_FIELDS, Minimums, hiring_score, row_of
from shared.store.items import deserialize, serialize

FAMILIES = ["customer_manager", "risk_manager", "teller_operations", "it_data"]
WEIGHTS = {d: round(1 / len(DIMENSIONS), 4) for d in DIMENSIONS} | {"logic": 0.2, "customer_orientation": 0.05}


def make_people(n: int, seed: int = 1) -> list[dict[str, Any]]:
    rnd = random.Random(seed)
    people = []
    for i in range(n):
        scores = {d: round(min(100, max(0, rnd.gauss(74, 9))), 1) for d in DIMENSIONS}
        people.append(
            {
                "employee_id": f"e{i:06d}",
                "role_family": FAMILIES[i % 4],
                "department": f"dept-{i % 40:02d}",
                "start_date": f"202{5 + i % 2}-{1 + i % 12:02d}-01",
                "scores": scores,
            }
        )
    return people


def record_items(people: list[dict[str, Any]], cycle: int, seed: int) -> list[dict[str, Any]]:
    """The cycle's records as DynamoDB's typed items, projected to what analytics reads (a Query page)."""
    rnd = random.Random(seed)
    items = []
    for p in people:
        perf = 80 + 0.5 * (p["scores"]["logic"] - 74) + 0.3 * (p["scores"]["customer_orientation"] - 74)
        score = round(min(100, max(0, perf + rnd.gauss(0, 7))), 2)
        items.append(
            serialize(
                {
                    "employee_id": p["employee_id"],
                    "role_family": p["role_family"],
                    "department": p["department"],
                    "start_date": p["start_date"],
                    "requisition_id": f"req-{p['role_family']}-{p['start_date'][:7]}",
                    "dimension_scores": p["scores"],
                    "dimension_weights": WEIGHTS,
                    "status": "scored",
                    "overall_score": round(score - 2.5, 2),
                    "baseline_score": score,
                }
            )
        )
    return items


def record_sizes() -> tuple[int, int]:
    """Bytes of one realistic cycle record as stored (nine targets with their reasons) and projected."""
    from datetime import date

    from shared.domain import indicators
    from shared.domain import performance as rules
    from shared.models.common import RoleFamily
    from shared.services.performance import Performance
    from shared.store.performance import record_item
    from tests.support import performance
    from tests.support.employees import employee

    cycle = performance.cycle(name="2027 Q1 季度绩效")
    emp = employee(
        "e000001",
        offer_id="o1",
        title="零售客户经理",
        start_date=date(2026, 7, 1),
        dimension_scores={Dimension(d): 74.5 for d in DIMENSIONS},
        dimension_weights={Dimension(d): w for d, w in WEIGHTS.items()},
        created_at="2026-06-01T00:00:00Z",
    )
    record = Performance.new_record(cycle, emp, indicators.effective(RoleFamily.customer_manager, [], None))
    targets = [
        t.model_copy(
            update={"actual": t.target, "score": rules.score_kpi(t.scoring_rule, t.direction, t.target, t.target)}
        )
        for t in record.targets
    ]
    item = record_item(record.model_copy(update={"targets": targets, "overall_score": 80.0, "status": "scored"}), cycle)
    whole = len(json.dumps(item, ensure_ascii=False).encode())
    projected = len(json.dumps({k: item[k] for k in RECORD_FIELDS if k in item}, ensure_ascii=False).encode())
    return whole, projected


def hires(people: list[dict[str, Any]], seed: int = 2) -> list[dict[str, Any]]:
    rnd = random.Random(seed)
    out = []
    for p in people:
        risk = 1 / (1 + math.exp(-(-2.2 - 0.08 * (p["scores"]["stress_tolerance"] - 74))))
        out.append(
            {
                "employee_id": p["employee_id"],
                "cohort": p["start_date"][:7],
                "scores": p["scores"],
                "hiring_score": hiring_score(p["scores"], WEIGHTS),
                "bar": {Dimension.logic.value: 70, Dimension.teamwork.value: 70},
                "left_within_window": rnd.random() < risk,
                "departed": False,
                "mature": True,
            }
        )
    return out


def timed(label: str, fn: Any) -> Any:
    tracemalloc.start()
    started = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<58} {seconds:8.2f} s   peak {peak / 2**20:8.1f} MiB")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=100_000)
    parser.add_argument("--cycles", type=int, default=4)
    args = parser.parse_args()
    people = make_people(args.employees)
    limits = Minimums()
    whole, projected = record_sizes()
    print(f"nightly analytics over {args.employees:,} employees × {args.cycles} cycles")
    print(f"    one cycle record: {whole:,} bytes stored (JSON), {projected:,} bytes as analytics reads it")
    total = time.perf_counter()
    for c in range(1, args.cycles + 1):
        items = record_items(people, c, seed=c)
        rows = timed(
            f"cycle {c}: decode {len(items):,} records", lambda items=items: [row_of(deserialize(i)) for i in items]
        )
        del items
        snap = timed(
            f"cycle {c}: snapshot (validity, conditional, weights, HP)",
            lambda rows=rows: compute_snapshot(rows, {}, None, limits),
        )
        gains = {f: (p["expected_gain"], p["gain_low"], p["gain_high"]) for f, p in snap["reweighting"].items()}
        print(f"    validity groups {len(snap['validity'])}, high potentials {len(snap['high_potential'])}")
        print(f"    out-of-sample gain per family (gain, low, high): {gains}")
    all_hires = hires(people)
    timed("attrition by band × cohort", lambda: stats.attrition_by_band(all_hires, limits.band))
    model = timed("risk model: fit + held-out validation", lambda: attrition_model.train(all_hires, DIMENSIONS))
    assert model is not None
    m = model.metrics
    print(f"    held-out AUC {m['holdout_auc']} ({m['holdout_auc_low']}–{m['holdout_auc_high']}), n {m['holdout_n']:,}")
    feats = [attrition_model.features(h, DIMENSIONS) for h in all_hires]
    timed("risk model: score every current employee", lambda: model.predict(feats))
    timed("risk model: explain every current employee", lambda: [model.explain(f) for f in feats])
    print(f"{'total wall time':<58} {time.perf_counter() - total:8.2f} s")
    print(f"{'process max RSS':<58} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:8.1f} MiB")


if __name__ == "__main__":
    main()
