"""Shortlist rules (pure)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TypeVar

D = TypeVar("D", bound=str)


def shortlist_size(ratio: float, scored: int) -> int:
    """ceil(ratio × scored): the top 30 % of 10 scored applications is 3, of 11 it is 4."""
    return min(scored, math.ceil(round(ratio * scored, 9)))


def weighted_score(scores: Mapping[D, float], weights: Mapping[D, float]) -> float:
    """The hiring score: Σ weight × score over the dimensions the result has, divided by the sum of
    those weights (0 when none of them is weighted). The shortlist ranks by it; analytics measures
    its validity."""
    present = [d for d in scores if weights.get(d, 0) > 0]
    total = sum(weights[d] for d in present)
    if not total:
        return 0.0
    return round(sum(weights[d] * scores[d] for d in present) / total, 4)


def below_bar(scores: Mapping[D, float], bar: Mapping[D, int]) -> dict[D, float]:
    """The dimensions whose score is under the requisition's hard bar (flagged, never auto-rejected)."""
    return {d: s for d, s in scores.items() if d in bar and s < bar[d]}
