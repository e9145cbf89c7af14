"""Performance management in the talent table.

======================  ==========================  ================================  ================================
item                    pk                          sk                                indexes
======================  ==========================  ================================  ================================
library KPI (HR's)      KPILIB#<role_family>        <dimension>#<kpi_id>              -
performance cycle       PERFCYCLE#<id>              META                              gsi1 PERFCYCLES / <start>#<id>
cycle record            EMP#<employee id>           PERF#<cycle start>#<cycle id>     gsi1 PERFCYCLE#<id>#RECORDS /
                                                                                      <role_family>#<employee id>
talent pool membership  POOL#<name>                 <department>#<employee id>        -
approved weights        WEIGHTS#<role_family>       CURRENT                           -
analytics snapshot      ANALYTICS#<cycle id>        SNAPSHOT                          -
audit record            AUDIT#<subject>             <ts>#<id>                         -
======================  ==========================  ================================  ================================

* An employee's history is one Query on ``EMP#<id>`` with ``begins_with(sk, "PERF#")`` (oldest first).
* A cycle's records (what nightly analytics reads) are one paged Query on gsi1; each record carries
  the snapshot analytics needs, so no other item is read per person.
* A pool's members of one department are one Query with ``begins_with(sk, "<department>#")``.

Every change is a whole-item Put conditional on the version read, with its audit record, in one
transaction: of two racing writers exactly one wins, the other gets ``Conflict`` (409).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from shared.models.common import Dimension, RoleFamily
from shared.models.employee import Employee, employee_key
from shared.models.performance import Cycle, Kpi, PerformanceRecord, PoolMember
from shared.store.audit import AuditEntry
from shared.store.table import Store


def kpi_key(kpi: Kpi) -> dict[str, str]:
    return {"pk": f"KPILIB#{kpi.role_family.value}", "sk": f"{kpi.dimension.value}#{kpi.kpi_id}"}


def cycle_item(cycle: Cycle) -> dict[str, Any]:
    return {
        "pk": f"PERFCYCLE#{cycle.id}",
        "sk": "META",
        "type": "performance_cycle",
        "gsi1pk": "PERFCYCLES",
        "gsi1sk": f"{cycle.start_date.isoformat()}#{cycle.id}",
        **cycle.model_dump(mode="json"),
    }


def record_sk(cycle: Cycle) -> str:
    return f"PERF#{cycle.start_date.isoformat()}#{cycle.id}"


def record_item(record: PerformanceRecord, cycle: Cycle) -> dict[str, Any]:
    return {
        "pk": f"EMP#{record.employee_id}",
        "sk": record_sk(cycle),
        "type": "performance_record",
        "gsi1pk": f"PERFCYCLE#{cycle.id}#RECORDS",
        "gsi1sk": f"{record.role_family.value}#{record.employee_id}",
        **record.model_dump(mode="json"),
    }


def pool_item(member: PoolMember) -> dict[str, Any]:
    return {
        "pk": f"POOL#{member.pool}",
        "sk": f"{member.department}#{member.employee_id}",
        "type": "pool_member",
        **member.model_dump(mode="json"),
    }


class PerformanceStore(Store):
    # -- writes ------------------------------------------------------------------------------------
    def write(self, items: list[tuple[dict[str, Any], int | None]], audit: AuditEntry, what: str) -> None:
        """Each item conditional on its expected version (None: must be new), with the audit record,
        in one transaction; ``Conflict`` when any condition fails."""
        self.table.write_versioned(items, audit, f"{what} was changed by someone else; reload and retry")

    # -- library -----------------------------------------------------------------------------------
    def kpis(self, family: RoleFamily, dimension: Dimension | None = None) -> list[Kpi]:
        prefix = f"{dimension.value}#" if dimension else None
        return [Kpi.model_validate(i) for i in self.table.query_all(f"KPILIB#{family.value}", sk_prefix=prefix)]

    def kpi(self, family: RoleFamily, dimension: Dimension, kpi_id: str) -> Kpi | None:
        item = self.table.get_item(f"KPILIB#{family.value}", f"{dimension.value}#{kpi_id}")
        return Kpi.model_validate(item) if item else None

    @staticmethod
    def kpi_item(kpi: Kpi) -> dict[str, Any]:
        return {**kpi_key(kpi), "type": "library_kpi", **kpi.model_dump(mode="json")}

    # -- cycles ------------------------------------------------------------------------------------
    def cycle(self, cycle_id: str) -> Cycle | None:
        item = self.table.get_item(f"PERFCYCLE#{cycle_id}", "META")
        return Cycle.model_validate(item) if item else None

    def cycles(self, limit: int, token: str | None) -> tuple[list[Cycle], str | None]:
        page = self.table.query("PERFCYCLES", index="gsi1", limit=limit, token=token, descending=True)
        return [Cycle.model_validate(i) for i in page.items], page.next_token

    # -- records -----------------------------------------------------------------------------------
    def record(self, employee_id: str, cycle: Cycle) -> PerformanceRecord | None:
        item = self.table.get_item(f"EMP#{employee_id}", record_sk(cycle))
        return PerformanceRecord.model_validate(item) if item else None

    def history(self, employee_id: str) -> list[PerformanceRecord]:
        items = self.table.query_all(f"EMP#{employee_id}", sk_prefix="PERF#")
        return [PerformanceRecord.model_validate(i) for i in items]

    def cycle_records(
        self, cycle_id: str, family: RoleFamily | None = None, fields: Sequence[str] | None = None
    ) -> list[dict[str, Any]]:
        """Every record of a cycle (of one family): one paged index Query; ``fields`` projects each
        record to those attributes (what nightly analytics reads: not the targets)."""
        prefix = f"{family.value}#" if family else None
        names = {f"#f{i}": f for i, f in enumerate(fields or ())}
        return self.table.query_all(
            f"PERFCYCLE#{cycle_id}#RECORDS",
            index="gsi1",
            sk_prefix=prefix,
            projection=", ".join(names) if names else None,
            names=names or None,
        )

    def records(self, employee_ids: Sequence[str], cycle: Cycle) -> list[PerformanceRecord]:
        """Whole records of one cycle for many employees (BatchGetItem)."""
        keys = [{"pk": f"EMP#{e}", "sk": record_sk(cycle)} for e in employee_ids]
        return [PerformanceRecord.model_validate(i) for i in self.table.get_many(keys)]

    # -- pools -------------------------------------------------------------------------------------
    def member(self, pool: str, department: str, employee_id: str) -> PoolMember | None:
        item = self.table.get_item(f"POOL#{pool}", f"{department}#{employee_id}")
        return PoolMember.model_validate(item) if item else None

    def members(self, pool: str, department: str | None) -> list[PoolMember]:
        items = self.table.query_all(f"POOL#{pool}", sk_prefix=f"{department}#" if department else None)
        return [PoolMember.model_validate(i) for i in items]

    # -- approved interview weights ----------------------------------------------------------------
    def approved_weights(self, family: RoleFamily) -> dict[str, Any] | None:
        return self.table.get_item(f"WEIGHTS#{family.value}", "CURRENT")

    # -- analytics snapshots -----------------------------------------------------------------------
    def put_snapshot(self, cycle_id: str, payload: dict[str, Any], at: str) -> None:
        item = {
            "pk": f"ANALYTICS#{cycle_id}",
            "sk": "SNAPSHOT",
            "type": "analytics_snapshot",
            "at": at,
            "payload": json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
        }
        self.table.put_item(item)

    def snapshot(self, cycle_id: str) -> dict[str, Any] | None:
        item = self.table.get_item(f"ANALYTICS#{cycle_id}", "SNAPSHOT")
        return {"at": item["at"], **json.loads(item["payload"])} if item else None

    # -- employees in bulk (nightly analytics) -----------------------------------------------------
    def employees(self, ids: list[str]) -> list[Employee]:
        """``EMP#<id>`` / ``META`` of many employees: BatchGetItem, 100 keys a call, retrying unprocessed keys."""
        return [Employee.model_validate(i) for i in self.table.get_many([employee_key(i) for i in ids])]

    def put_weights(self, item: dict[str, Any], expected: int | None, audit: AuditEntry) -> None:
        self.write([(item, expected)], audit, f"the approved weights of {item['role_family']}")
