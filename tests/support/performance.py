"""Performance cycles for tests of what reads them (records, analytics, its benchmark)."""

from __future__ import annotations

from datetime import date
from typing import Any

from shared.models.performance import Cycle, TargetRule


def cycle(**fields: Any) -> Cycle:
    """The first quarter of 2027 (``c1``), the default target rule and a talent threshold of 95;
    ``fields`` override any attribute."""
    defaults: dict[str, Any] = {
        "id": "c1",
        "name": "2027 Q1",
        "period": "quarter",
        "start_date": date(2027, 1, 1),
        "end_date": date(2027, 3, 31),
        "target_rule": TargetRule(),
        "talent_threshold": 95,
        "created_at": "2027-01-01T00:00:00Z",
        "created_by": "hr",
    }
    return Cycle(**(defaults | fields))
