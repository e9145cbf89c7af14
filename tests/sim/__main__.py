"""``python -m tests.sim [--applications N]``: one whole hiring event through the product's own
handlers and consumers, in-process over moto, ending with a reconciliation report.

``make simulate N=...`` runs it with ``--progress``. The event itself is ``tests/sim/event.py``; the
exit status is 1 on any loss or double count.
"""

from __future__ import annotations

import argparse
import logging
import time

from tests.sim.event import HiringEvent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applications", type=int, default=10_000, help="resumes imported (interviews: half)")
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--progress", action="store_true", help="a line on stderr as each step of the event ends")
    args = parser.parse_args()
    logging.disable(logging.WARNING)

    from tests.support.inprocess import product

    began = time.perf_counter()
    with product() as (stack, client, out):
        event = HiringEvent(client, stack, args.applications, args.seed)
        event.progress = args.progress
        report = event.run()
        print(
            f"hiring event: {args.applications:,} applications, {args.applications // 2:,} interviews, "
            f"{time.perf_counter() - began:.0f} s",
            file=out,
        )
        report.print(out)
        event.print_figures(out)
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
