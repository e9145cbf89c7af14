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
from typing import Any

from botocore.exceptions import ClientError

from shared.errors import Conflict
from shared.models.common import Dimension, RoleFamily
from shared.models.employee import Employee, employee_key
from shared.models.performance import Cycle, Kpi, PerformanceRecord, PoolMember
from shared.store.failures import unavailable
from shared.store.items import deserialize, serialize, value
from shared.store.repository import AuditEntry, PartitionStore


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


class PerformanceStore(PartitionStore):
    # -- writes ------------------------------------------------------------------------------------
    def write(self, items: list[tuple[dict[str, Any], int | None]], audit: AuditEntry, what: str) -> None:
        """Each item conditional on its expected version (None: must be new), with the audit record,
        in one transaction; ``Conflict`` when any condition fails."""
        writes = []
        for item, expected in items:
            put: dict[str, Any] = {"TableName": self.table_name, "Item": serialize(item)}
            if expected is None:
                put["ConditionExpression"] = "attribute_not_exists(pk)"
            else:
                put["ConditionExpression"] = "#v = :v"
                put["ExpressionAttributeNames"] = {"#v": "version"}
                put["ExpressionAttributeValues"] = {":v": value(expected)}
            writes.append({"Put": put})
        writes.append({"Put": {"TableName": self.table_name, "Item": serialize(audit.item())}})
        try:
            self._ddb.transact_write_items(TransactItems=writes)
        except ClientError as exc:
            reasons = exc.response.get("CancellationReasons") or []
            if any(r.get("Code") == "ConditionalCheckFailed" for r in reasons):
                raise Conflict(
                    f"{what} was changed by someone else; reload and retry",
                    [{"field": "version", "message": "changed by someone else; reload"}],
                ) from exc
            raise (unavailable(exc) or exc) from exc

    def _all(self, pk: str, *, index: str | None = None, sk_prefix: str | None = None) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        token = None
        while True:
            page = self.repo.query(pk, index=index, sk_prefix=sk_prefix, limit=1000, token=token)
            items += page.items
            token = page.next_token
            if not token:
                return items

    # -- library -----------------------------------------------------------------------------------
    def kpis(self, family: RoleFamily, dimension: Dimension | None = None) -> list[Kpi]:
        prefix = f"{dimension.value}#" if dimension else None
        return [Kpi.model_validate(i) for i in self._all(f"KPILIB#{family.value}", sk_prefix=prefix)]

    def kpi(self, family: RoleFamily, dimension: Dimension, kpi_id: str) -> Kpi | None:
        item = self.repo.get_item(f"KPILIB#{family.value}", f"{dimension.value}#{kpi_id}")
        return Kpi.model_validate(item) if item else None

    @staticmethod
    def kpi_item(kpi: Kpi) -> dict[str, Any]:
        return {**kpi_key(kpi), "type": "library_kpi", **kpi.model_dump(mode="json")}

    # -- cycles ------------------------------------------------------------------------------------
    def cycle(self, cycle_id: str) -> Cycle | None:
        item = self.repo.get_item(f"PERFCYCLE#{cycle_id}", "META")
        return Cycle.model_validate(item) if item else None

    def cycles(self, limit: int, token: str | None) -> tuple[list[Cycle], str | None]:
        page = self.repo.query("PERFCYCLES", index="gsi1", limit=limit, token=token, descending=True)
        return [Cycle.model_validate(i) for i in page.items], page.next_token

    # -- records -----------------------------------------------------------------------------------
    def record(self, employee_id: str, cycle: Cycle) -> PerformanceRecord | None:
        item = self.repo.get_item(f"EMP#{employee_id}", record_sk(cycle))
        return PerformanceRecord.model_validate(item) if item else None

    def history(self, employee_id: str) -> list[PerformanceRecord]:
        items = self._all(f"EMP#{employee_id}", sk_prefix="PERF#")
        return [PerformanceRecord.model_validate(i) for i in items]

    def cycle_records(self, cycle_id: str, family: RoleFamily | None = None) -> list[dict[str, Any]]:
        """Every record of a cycle (of one family): one paged index Query."""
        prefix = f"{family.value}#" if family else None
        return self._all(f"PERFCYCLE#{cycle_id}#RECORDS", index="gsi1", sk_prefix=prefix)

    # -- pools -------------------------------------------------------------------------------------
    def member(self, pool: str, department: str, employee_id: str) -> PoolMember | None:
        item = self.repo.get_item(f"POOL#{pool}", f"{department}#{employee_id}")
        return PoolMember.model_validate(item) if item else None

    def members(self, pool: str, department: str | None) -> list[PoolMember]:
        items = self._all(f"POOL#{pool}", sk_prefix=f"{department}#" if department else None)
        return [PoolMember.model_validate(i) for i in items]

    # -- approved interview weights ----------------------------------------------------------------
    def approved_weights(self, family: RoleFamily) -> dict[str, Any] | None:
        return self.repo.get_item(f"WEIGHTS#{family.value}", "CURRENT")

    # -- analytics snapshots -----------------------------------------------------------------------
    def put_snapshot(self, cycle_id: str, payload: dict[str, Any], at: str) -> None:
        item = {
            "pk": f"ANALYTICS#{cycle_id}",
            "sk": "SNAPSHOT",
            "type": "analytics_snapshot",
            "at": at,
            "payload": json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
        }
        try:
            self._ddb.put_item(TableName=self.table_name, Item=serialize(item))
        except ClientError as exc:
            raise (unavailable(exc) or exc) from exc

    def snapshot(self, cycle_id: str) -> dict[str, Any] | None:
        item = self.repo.get_item(f"ANALYTICS#{cycle_id}", "SNAPSHOT")
        return {"at": item["at"], **json.loads(item["payload"])} if item else None

    # -- employees in bulk (nightly analytics) -----------------------------------------------------
    def employees(self, ids: list[str]) -> list[Employee]:
        """``EMP#<id>`` / ``META`` of many employees: BatchGetItem, 100 keys a call, retrying unprocessed keys."""
        out: list[Employee] = []
        for start in range(0, len(ids), 100):
            keys = [serialize(employee_key(i)) for i in ids[start : start + 100]]
            request: dict[str, Any] = {self.table_name: {"Keys": keys}}
            for _ in range(10):
                try:
                    resp = self._ddb.batch_get_item(RequestItems=request)
                except ClientError as exc:
                    raise (unavailable(exc) or exc) from exc
                out += [Employee.model_validate(deserialize(i)) for i in resp["Responses"].get(self.table_name, [])]
                request = resp.get("UnprocessedKeys") or {}
                if not request:
                    break
        return out

    def put_weights(self, item: dict[str, Any], expected: int | None, audit: AuditEntry) -> None:
        self.write([(item, expected)], audit, f"the approved weights of {item['role_family']}")
