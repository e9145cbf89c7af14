"""The competency indicator library's pure rules: seed content, KPI ids, HR's overrides.

* The seed (``shared/data/indicator_library.json``, packaged with the code) maps every interview
  dimension to one or two KPIs per role family, in Chinese and English, each with a unit, a
  direction, a role baseline target, how far the target moves per interview point, and a scoring
  rule. Seed KPIs have version 1.
* A KPI id is ``<role_family>.<dimension>.<slug>``; the service reads family and dimension from it,
  so reading or changing one KPI is one GetItem on its own key.
* A stored KPI with a seed KPI's id replaces that seed entry; the others are HR's additions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from shared.domain.catalogue import family_entries, make_family_id, parse_family_id, read_seed
from shared.models.common import Dimension, RoleFamily
from shared.models.performance import Kpi, ScoringRule
from shared.vocabulary import DIMENSION_ORDER

SEED_RESOURCE = "data/indicator_library.json"
_SLUG = re.compile(r"^[0-9a-z_]{2,40}$")


@cache
def seed() -> tuple[Kpi, ...]:
    return tuple(
        Kpi(
            kpi_id=make_id(RoleFamily(family), dimension, e["slug"]),
            role_family=RoleFamily(family),
            dimension=dimension,
            name_zh=e["name_zh"],
            name_en=e["name_en"],
            unit=e["unit"],
            direction=e["direction"],
            baseline_target=float(e["baseline_target"]),
            adjust_per_point=float(e["adjust_per_point"]),
            decimals=int(e["decimals"]),
            scoring_rule=ScoringRule(e["scoring_rule"]),
            weight=float(e["weight"]),
            origin="seed",
        )
        for family, dimension, e in family_entries(read_seed(SEED_RESOURCE))
    )


@cache
def _seed_by_id() -> dict[str, Kpi]:
    return {k.kpi_id: k for k in seed()}


def seed_kpi(kpi_id: str) -> Kpi | None:
    return _seed_by_id().get(kpi_id)


def make_id(family: RoleFamily, dimension: Dimension, slug: str) -> str:
    return make_family_id(
        family, dimension, slug, _SLUG, "KPI id suffix {suffix} must be 2–40 lowercase letters, digits or _"
    )


def parse_id(kpi_id: str) -> tuple[RoleFamily, Dimension] | None:
    return parse_family_id(kpi_id, _SLUG, RoleFamily)


def effective(family: RoleFamily, stored: Iterable[Kpi], dimension: Dimension | None = None) -> list[Kpi]:
    """The family's library: seed entries replaced by stored ones with the same id, plus HR's
    additions, ordered by dimension then id."""
    by_id = {k.kpi_id: k for k in seed() if k.role_family is family}
    by_id.update({k.kpi_id: k for k in stored})
    kpis = [k for k in by_id.values() if dimension is None or k.dimension is dimension]
    return sorted(kpis, key=lambda k: (DIMENSION_ORDER[k.dimension], k.origin != "seed", k.kpi_id))
