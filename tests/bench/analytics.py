"""The nightly analytics run at scale: 100,000 employees with four quarterly cycles of history.

``python -m tests.bench.analytics [--employees N] [--cycles N]`` prints, never asserts:

* decoding the cycle records as DynamoDB returns them (typed attribute values → rows),
* the nightly snapshot per cycle (validity overall / per family / per family × cohort, the
  conditional statements, re-weighting per family, high potentials, band vs performance),
* attrition by band and the risk model (fit on the mature hires, held-out validation, risk and
  explanation for every current employee),

with wall time and peak memory (tracemalloc: Python and numpy allocations; and the process's
maximum resident set size). DynamoDB read time is not simulated here; docs/benchmarks.md
estimates it from the data volume.
"""

from __future__ import annotations

import argparse
import math
import random
import resource
import time
import tracemalloc
from typing import Any

from shared.domain import analytics as stats
from shared.domain import attrition_model
from shared.models.common import Dimension
from shared.services.analytics import DIMENSIONS, compute_snapshot, row_of
from shared.store.items import deserialize, serialize

FAMILIES = ["customer_manager", "risk_manager", "teller_operations", "it_data"]


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
    """The cycle's records as DynamoDB's typed items (what a Query page holds)."""
    rnd = random.Random(seed)
    items = []
    for p in people:
        perf = 80 + 0.5 * (p["scores"]["logic"] - 74) + 0.3 * (p["scores"]["customer_orientation"] - 74)
        items.append(
            serialize(
                {
                    "pk": f"EMP#{p['employee_id']}",
                    "sk": f"PERF#2027-0{cycle}#c{cycle}",
                    "employee_id": p["employee_id"],
                    "role_family": p["role_family"],
                    "department": p["department"],
                    "start_date": p["start_date"],
                    "dimension_scores": p["scores"],
                    "overall_score": round(min(100, max(0, perf + rnd.gauss(0, 7))), 2),
                }
            )
        )
    return items


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
    print(f"nightly analytics over {args.employees:,} employees × {args.cycles} cycles")
    total = time.perf_counter()
    for c in range(1, args.cycles + 1):
        items = record_items(people, c, seed=c)
        rows = timed(
            f"cycle {c}: decode {len(items):,} records", lambda items=items: [row_of(deserialize(i)) for i in items]
        )
        del items
        snap = timed(
            f"cycle {c}: snapshot (validity, conditional, weights, HP)", lambda rows=rows: compute_snapshot(rows, {})
        )
        print(f"    validity groups {len(snap['validity'])}, high potentials {len(snap['high_potential'])}")
    all_hires = hires(people)
    timed("attrition by band × cohort", lambda: stats.attrition_by_band(all_hires))
    model = timed("risk model: fit + held-out validation", lambda: attrition_model.train(all_hires, DIMENSIONS))
    assert model is not None
    print(f"    held-out AUC {model.metrics['holdout_auc']}, n {model.metrics['holdout_n']:,}")
    feats = [attrition_model.features(h, DIMENSIONS) for h in all_hires]
    timed("risk model: score every current employee", lambda: model.predict(feats))
    timed("risk model: explain every current employee", lambda: [model.explain(f) for f in feats])
    print(f"{'total wall time':<58} {time.perf_counter() - total:8.2f} s")
    print(f"{'process max RSS':<58} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:8.1f} MiB")


if __name__ == "__main__":
    main()
