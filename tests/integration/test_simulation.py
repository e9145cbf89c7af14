from __future__ import annotations

import io
from typing import Any

from tests.sim.__main__ import HiringEvent


def test_a_small_hiring_event_accounts_for_every_input(stack: Any, client: Any) -> None:
    # Given a hiring event of 120 applications (60 interviews) with a misbehaving vendor, through probation
    event = HiringEvent(client, stack, 120, seed=7)
    # When it runs through the product's handlers and consumers
    report = event.run()
    # Then every reconciliation check holds: nothing lost, nothing counted twice
    out = io.StringIO()
    report.print(out)
    assert report.ok, out.getvalue()
    assert report.counts["webhook deliveries"]["first → parked"] >= 1
    assert report.counts["import rows"]["rejected"] >= 1
    assert {s.name.split(":")[0] for s in report.stages} >= {"shortlist", "second interview", "probation"}
    # and every hire ran exactly one probation cycle to the manager's outcome
    hires = len(event.employees)
    assert hires >= 1
    assert report.checks["probation: hires with exactly one execution"] == (hires, hires)
    assert report.checks["probation: hires with the manager's outcome"] == (hires, hires)
