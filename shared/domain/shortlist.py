"""Shortlist rules (pure)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TypeVar

D = TypeVar("D", bound=str)


def shortlist_size(ratio: float, scored: int) -> int:
    """ceil(ratio × scored): the top 30 % of 10 scored applications is 3, of 11 it is 4."""
    return min(scored, math.ceil(round(ratio * scored, 9)))


def below_bar(scores: Mapping[D, float], bar: Mapping[D, int]) -> dict[D, float]:
    """The dimensions whose score is under the requisition's hard bar (flagged, never auto-rejected)."""
    return {d: s for d, s in scores.items() if d in bar and s < bar[d]}
