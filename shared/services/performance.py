"""Performance cycles, targets, results, the feedback loop and talent pools.

* HR opens a cycle (quarter / half / year) with its target rule and talent threshold, then enrols
  employees: each gets a record with targets from the indicator library of their role family, moved
  by their interview scores (``shared/domain/performance.py``), every target with its reason.
* HR may override one target with a reason. Managers (own department) and HR record results; the
  record is scored per KPI, and overall once every KPI has a result (until then it is ``partial``).
  HR may close an incomplete record with a reason: the KPIs without a result are excluded.
* Below target → a development item: the interview report for the KPI's dimension and courses of
  the catalogue for it; the manager confirms a development action. At or above the talent
  threshold → a proposal for the dimension's talent pool, which HR accepts or declines.
"""

from __future__ import annotations

from typing import Any

from shared.domain import performance as rules
from shared.domain import time_rules
from shared.errors import Conflict, NotFound, ValidationFailed
from shared.models.common import iso, new_id, utcnow
from shared.models.employee import Employee
from shared.models.performance import (
    Cycle,
    CycleCreate,
    EnrolOutcome,
    PerformanceRecord,
    TargetOverride,
    TargetsReopen,
)
from shared.security.policy import Action, authorize
from shared.security.tokens import Principal
from shared.services.indicators import Indicators
from shared.services.performance_records import PerformanceRecords
from shared.store.audit import AuditEntry
from shared.store.performance import cycle_item, record_item

# what a record keeps of the hire (the analytics read them from the record)
HIRE_FIELDS = {"department", "role_family", "start_date", "requisition_id", "dimension_scores", "dimension_weights"}


def has_results(record: PerformanceRecord) -> bool:
    return any(t.actual is not None for t in record.targets)


class Performance(PerformanceRecords):
    """Cycles and targets; results and feedback (``performance_records``); talent pools (``talent_pools``)."""

    # -- cycles ------------------------------------------------------------------------------------
    def open_cycle(self, body: CycleCreate, actor: str, ip: str | None) -> Cycle:
        cycle = Cycle(id=new_id(), created_at=iso(utcnow()), created_by=actor, **body.model_dump())
        audit = AuditEntry(f"cycle:{cycle.id}", actor, "cycle.open", {"name": cycle.name}, ip)
        self.store.write([(cycle_item(cycle), None)], audit, f"cycle {cycle.id}")
        return cycle

    # -- targets -----------------------------------------------------------------------------------
    def enrol(self, cycle_id: str, employee_ids: list[str], actor: str, ip: str | None) -> EnrolOutcome:
        cycle = self.cycle(cycle_id)
        if cycle.status != "open":
            raise Conflict(f"cycle {cycle_id} is closed")
        employees = [self.employees.require(e) for e in dict.fromkeys(employee_ids)]
        departed = [e.id for e in employees if e.status == "departed"]
        if departed:
            raise ValidationFailed(
                "departed employees cannot be enrolled",
                [{"field": "employee_ids", "message": f"departed: {', '.join(departed)}"}],
            )
        indicators = Indicators(self.repo)
        libraries: dict[str, list[Any]] = {}
        created, existing = [], []
        for e in employees:
            kpis = libraries.setdefault(e.role_family.value, indicators.library(e.role_family))
            record = self.new_record(cycle, self.with_hiring_weights(e), kpis)
            audit = AuditEntry(
                f"employee:{e.id}", actor, "performance.targets_set", {"cycle_id": cycle.id, "targets": len(kpis)}, ip
            )
            try:
                self.store.write([(record_item(record, cycle), None)], audit, f"the record of {e.id}")
                created.append(e.id)
            except Conflict:
                existing.append(e.id)
        return EnrolOutcome(cycle_id=cycle.id, created=created, already_enrolled=existing)

    @staticmethod
    def new_record(cycle: Cycle, e: Employee, kpis: list[Any], at: str | None = None) -> PerformanceRecord:
        """An enrolled employee's record: targets from the cycle's rule over their KPIs."""
        now = at or iso(utcnow())
        hire = e.model_dump(include=HIRE_FIELDS)
        targets = rules.build_targets(kpis, e.dimension_scores, cycle.target_rule)
        cycle_fields = {"cycle_id": cycle.id, "cycle_name": cycle.name, "period": cycle.period}
        return PerformanceRecord(
            employee_id=e.id, targets=targets, created_at=now, updated_at=now, **cycle_fields, **hire
        )

    def with_hiring_weights(self, employee: Employee) -> Employee:
        """The employee with the interview weights of the requisition they were hired through (hires
        onboarded before the weights were kept on the employee get them from the requisition)."""
        if employee.dimension_weights:
            return employee
        req = self.repo.requisitions.get(employee.requisition_id)
        if req is None:
            return employee
        return employee.model_copy(update={"dimension_weights": dict(req.dimension_weights)})

    def authorized(self, who: Principal, action: Action, employee_id: str) -> Employee:
        authorize(who, action)
        employee = self.employees.require(employee_id)
        authorize(who, action, employee.department)
        return employee

    def records_of(self, cycle: Cycle, employee_ids: list[str]) -> list[PerformanceRecord]:
        """The records of these employees in the cycle (one BatchGetItem; the not enrolled have none)."""
        return self.store.records(employee_ids, cycle)

    def override(
        self, cycle_id: str, employee_id: str, kpi_id: str, body: TargetOverride, actor: str, ip: str | None
    ) -> PerformanceRecord:
        cycle = self.cycle(cycle_id)
        before = self._at_version(cycle, employee_id, body.version)
        time_rules.require_unlocked(has_results(before), before.targets_reopened is not None)
        targets = [t.model_copy() for t in before.targets]
        hit = next((t for t in targets if t.kpi_id == kpi_id), None)
        if hit is None:
            raise NotFound(f"KPI {kpi_id} is not among the targets of {employee_id} in this cycle")
        old = hit.target
        hit.target = body.target
        hit.reason = f"HR override of {old:g} → {body.target:g}: {body.reason}"
        hit.overridden_by = actor
        if hit.actual is not None:
            hit.score = rules.score_kpi(hit.scoring_rule, hit.direction, hit.target, hit.actual)
        after = self._rescored(before, targets)
        details = {"cycle_id": cycle.id, "kpi_id": kpi_id, "from": old, "to": body.target, "reason": body.reason}
        audit = AuditEntry(f"employee:{employee_id}", actor, "performance.target_override", details, ip)
        return self._update(cycle, before, after, audit)

    def reopen_targets(
        self, cycle_id: str, employee_id: str, body: TargetsReopen, actor: str, ip: str | None
    ) -> PerformanceRecord:
        """HR reopens targets that results locked, with a reason (audited)."""
        cycle = self.cycle(cycle_id)
        before = self._at_version(cycle, employee_id, body.version)
        if not has_results(before) or before.targets_reopened is not None:
            state = "open already" if before.targets_reopened else "not locked: no result is recorded"
            raise Conflict(f"the targets are {state}", [{"field": "targets", "message": state}])
        reopened = {"by": actor, "at": iso(utcnow()), "reason": body.reason}
        after = before.model_copy(
            update={"targets_reopened": reopened, "version": before.version + 1, "updated_at": reopened["at"]}
        )
        details = {"cycle_id": cycle.id, "reason": body.reason}
        audit = AuditEntry(f"employee:{employee_id}", actor, "performance.targets_reopened", details, ip)
        return self._update(cycle, before, after, audit)
