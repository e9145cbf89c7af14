"""The competency indicator library (能力指标库): read by HR and managers, maintained by HR.

Seed ⊕ HR's changes, like the question bank: every change is a new version of the KPI written
conditionally on the version read (409 when stale), with its audit record in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping

from shared.domain import indicators as rules
from shared.errors import Conflict
from shared.models.common import Dimension, RoleFamily, iso, new_id, utcnow
from shared.models.performance import Kpi, KpiCreate, KpiUpdate
from shared.services.catalogue import Status, current, next_version, refuse_when_full, with_status
from shared.store.audit import AuditEntry
from shared.store.performance import PerformanceStore
from shared.store.repository import Repository

MAX_STORED_PER_FAMILY = 200


class Indicators:
    def __init__(self, repo: Repository | None = None) -> None:
        self.store = PerformanceStore(repo)

    def library(self, family: RoleFamily, dimension: Dimension | None = None, status: Status = "active") -> list[Kpi]:
        return with_status(rules.effective(family, self.store.kpis(family, dimension), dimension), status)

    def get(self, kpi_id: str) -> Kpi:
        return self._current(kpi_id)[0]

    def _current(self, kpi_id: str) -> tuple[Kpi, bool]:
        where = rules.parse_id(kpi_id)
        return current("KPI", kpi_id, where, lambda w: self.store.kpi(w[0], w[1], kpi_id), rules.seed_kpi)

    def add(self, body: KpiCreate, actor: str, source_ip: str | None) -> Kpi:
        added = len([k for k in self.store.kpis(body.role_family) if k.origin == "hr"])
        full = f"the {body.role_family.value} library already holds {MAX_STORED_PER_FAMILY} added KPIs"
        refuse_when_full(added, MAX_STORED_PER_FAMILY, full, "role_family", "this family's library is full")
        kpi = Kpi(
            kpi_id=rules.make_id(body.role_family, body.dimension, new_id()[:12]),
            origin="hr",
            updated_at=iso(utcnow()),
            updated_by=actor,
            **body.model_dump(),
        )
        audit = self._audit(kpi, actor, "indicator.create", source_ip, {"after": kpi.model_dump(mode="json")})
        self.store.write([(PerformanceStore.kpi_item(kpi), None)], audit, f"KPI {kpi.kpi_id}")
        return kpi

    def edit(self, kpi_id: str, body: KpiUpdate, actor: str, source_ip: str | None) -> Kpi:
        current, stored = self._current(kpi_id)
        if current.version != body.version:
            raise Conflict(
                f"KPI {kpi_id} is at version {current.version}, not {body.version}; reload and retry",
                [{"field": "version", "message": f"stale: the current version is {current.version}"}],
            )
        after = next_version(current, actor, body.model_dump(exclude={"version"}))
        details = {"before": current.model_dump(mode="json"), "after": after.model_dump(mode="json")}
        self.store.write(
            [(PerformanceStore.kpi_item(after), current.version if stored else None)],
            self._audit(after, actor, "indicator.update", source_ip, details),
            f"KPI {kpi_id}",
        )
        return after

    @staticmethod
    def _audit(kpi: Kpi, actor: str, action: str, ip: str | None, details: Mapping[str, object]) -> AuditEntry:
        return AuditEntry(
            subject=f"indicator:{kpi.kpi_id}",
            actor=actor,
            action=action,
            details={"version": kpi.version, **details},
            source_ip=ip,
        )
