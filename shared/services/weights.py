"""The interview dimension weights a new requisition gets when it names none: the weights HR last
approved for its role family (``POST /analytics/reweighting/{family}/approval``), else the default.
Requisitions keep the weights they were created with."""

from __future__ import annotations

from shared.models.common import Dimension, RoleFamily
from shared.store.performance import PerformanceStore


def approved_weights(family: RoleFamily, default: dict[Dimension, float]) -> dict[Dimension, float]:
    approved = PerformanceStore().approved_weights(family)
    if not approved:
        return default
    return {Dimension(d): float(w) for d, w in approved["weights"].items()}
