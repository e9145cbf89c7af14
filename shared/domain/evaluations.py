"""Human ratings next to the AI view: the per-dimension gap (human − AI).

A positive gap means the interviewer rated the dimension higher than the AI interview did. A
dimension the AI did not score has no gap. Pure logic.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from shared.models.common import Dimension
from shared.vocabulary import DIMENSION_ORDER, dimension_zh


@dataclass(frozen=True)
class Comparison:
    dimension: str
    label: str
    human: int
    ai: float | None
    gap: float | None


def compare(ratings: Mapping[Dimension, int], ai_scores: Mapping[Dimension, float] | None) -> list[Comparison]:
    """One row per rated dimension, in canonical dimension order."""
    rows = []
    for d in sorted(ratings, key=lambda d: DIMENSION_ORDER[d]):
        name = Dimension(d).value
        ai = float(ai_scores[d]) if ai_scores is not None and d in ai_scores else None
        human = int(ratings[d])
        rows.append(Comparison(name, dimension_zh(name), human, ai, None if ai is None else round(human - ai, 2)))
    return rows


def outside(ratings: Iterable[Dimension], dimensions: Iterable[Dimension]) -> list[str]:
    """The rated dimensions that are not among the requisition's, in canonical order."""
    allowed = {Dimension(d) for d in dimensions}
    return sorted((Dimension(d).value for d in ratings if Dimension(d) not in allowed), key=DIMENSION_ORDER.__getitem__)
