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

from shared import clock
from shared.domain import performance as rules
from shared.domain import time_rules
from shared.errors import Conflict, NotFound, ValidationFailed
from shared.models.common import Dimension, iso, new_id, utcnow
from shared.models.employee import Employee
from shared.models.performance import (
    Closure,
    Cycle,
    CycleCreate,
    DevelopmentConfirm,
    DevelopmentItem,
    EnrolOutcome,
    PerformanceRecord,
    PoolDecision,
    PoolEvent,
    PoolMember,
    RecordClose,
    ResultsCreate,
    TargetOverride,
    TargetsReopen,
)
from shared.security.policy import Action, authorize
from shared.security.tokens import Principal
from shared.services.courses import Courses
from shared.services.indicators import Indicators
from shared.store.audit import AuditEntry
from shared.store.employees import EmployeeStore
from shared.store.performance import PerformanceStore, cycle_item, pool_item, record_item
from shared.store.repository import Repository

MAX_COURSES = 3


def has_results(record: PerformanceRecord) -> bool:
    return any(t.actual is not None for t in record.targets)


class Performance:
    def __init__(self, repo: Repository | None = None) -> None:
        self.repo = repo or Repository()
        self.store = PerformanceStore(self.repo)
        self.employees = EmployeeStore(self.repo)

    # -- cycles ------------------------------------------------------------------------------------
    def open_cycle(self, body: CycleCreate, actor: str, ip: str | None) -> Cycle:
        cycle = Cycle(id=new_id(), created_at=iso(utcnow()), created_by=actor, **body.model_dump())
        audit = AuditEntry(f"cycle:{cycle.id}", actor, "cycle.open", {"name": cycle.name}, ip)
        self.store.write([(cycle_item(cycle), None)], audit, f"cycle {cycle.id}")
        return cycle

    def cycle(self, cycle_id: str) -> Cycle:
        cycle = self.store.cycle(cycle_id)
        if cycle is None:
            raise NotFound(f"performance cycle {cycle_id} does not exist")
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
        return PerformanceRecord(
            employee_id=e.id,
            cycle_id=cycle.id,
            cycle_name=cycle.name,
            period=cycle.period,
            department=e.department,
            role_family=e.role_family,
            start_date=e.start_date,
            requisition_id=e.requisition_id,
            dimension_scores=e.dimension_scores,
            dimension_weights=e.dimension_weights,
            targets=rules.build_targets(kpis, e.dimension_scores, cycle.target_rule),
            created_at=now,
            updated_at=now,
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

    def record(self, cycle: Cycle, employee_id: str) -> PerformanceRecord:
        record = self.store.record(employee_id, cycle)
        if record is None:
            raise NotFound(f"employee {employee_id} has no targets in cycle {cycle.id}")
        return record

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
        self.store.write([(record_item(after, cycle), before.version)], audit, f"the record of {employee_id}")
        return after

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
        self.store.write([(record_item(after, cycle), before.version)], audit, f"the record of {employee_id}")
        return after

    # -- results and feedback ----------------------------------------------------------------------
    def record_results(
        self, cycle_id: str, employee: Employee, body: ResultsCreate, actor: str, ip: str | None
    ) -> PerformanceRecord:
        cycle = self.cycle(cycle_id)
        time_rules.require_results_window(cycle.start_date, cycle.end_date, clock.today())
        before = self._at_version(cycle, employee.id, body.version)
        targets = [t.model_copy() for t in before.targets]
        by_id = {t.kpi_id: t for t in targets}
        unknown = [r.kpi_id for r in body.results if r.kpi_id not in by_id]
        dupes = {r.kpi_id for r in body.results if sum(x.kpi_id == r.kpi_id for x in body.results) > 1}
        if unknown or dupes:
            raise ValidationFailed(
                "results must name the record's KPIs, each once",
                [{"field": "results", "message": f"unknown: {unknown}; repeated: {sorted(dupes)}"}],
            )
        excluded = [r.kpi_id for r in body.results if by_id[r.kpi_id].excluded]
        if excluded:
            raise Conflict(
                f"HR closed this record without {', '.join(excluded)}: excluded KPIs take no result",
                [{"field": "results", "message": f"excluded: {excluded}"}],
            )
        for r in body.results:
            t = by_id[r.kpi_id]
            t.actual = r.actual
            t.score = rules.score_kpi(t.scoring_rule, t.direction, t.target, r.actual)
        rescored = self._rescored(before, targets).model_copy(update={"targets_reopened": None})  # locked again
        after = self._feedback(rescored, employee, cycle)
        details = {
            "cycle_id": cycle.id,
            "status": after.status,
            "overall_score": after.overall_score,
            "below_target": [d.kpi_id for d in after.development],
        }
        return self._save(
            before,
            after,
            employee,
            cycle,
            AuditEntry(f"employee:{employee.id}", actor, "performance.results", details, ip),
        )

    def close(
        self, cycle_id: str, employee: Employee, body: RecordClose, actor: str, ip: str | None
    ) -> PerformanceRecord:
        """HR closes an incomplete record: the KPIs without a result are excluded and the record is
        scored on those with one (409 when it is complete already or has no result at all)."""
        cycle = self.cycle(cycle_id)
        before = self._at_version(cycle, employee.id, body.version)
        if before.status == "scored":
            raise Conflict(f"the record of {employee.id} is scored already: nothing to close")
        missing = [t.kpi_id for t in rules.counted(before.targets) if t.score is None]
        if len(missing) == len(rules.counted(before.targets)):
            raise Conflict(f"the record of {employee.id} has no result: there is nothing to score it on")
        targets = [t.model_copy(update={"excluded": t.excluded or t.kpi_id in missing}) for t in before.targets]
        closure = Closure(by=actor, at=iso(utcnow()), reason=body.reason, excluded=missing)
        after = self._feedback(self._rescored(before, targets).model_copy(update={"closure": closure}), employee, cycle)
        details = {
            "cycle_id": cycle.id,
            "excluded": missing,
            "reason": body.reason,
            "overall_score": after.overall_score,
        }
        return self._save(
            before,
            after,
            employee,
            cycle,
            AuditEntry(f"employee:{employee.id}", actor, "performance.close", details, ip),
        )

    def _save(
        self, before: PerformanceRecord, after: PerformanceRecord, employee: Employee, cycle: Cycle, audit: AuditEntry
    ) -> PerformanceRecord:
        """The record, conditional on the version read, with the new talent-pool proposals, in one transaction."""
        writes: list[tuple[dict[str, Any], int | None]] = [(record_item(after, cycle), before.version)]
        new_pools = [p for p in after.talent_proposals if p not in before.talent_proposals]
        audit.details["talent_proposals"] = new_pools
        now = iso(utcnow())
        for pool in new_pools:
            current = self.store.member(pool, employee.department, employee.id)
            if current is not None and current.status in ("proposed", "member"):
                continue
            event = PoolEvent(
                at=now, by="system", event="proposed", reason=self._why(after, pool, cycle), cycle_id=cycle.id
            )
            member = PoolMember(
                pool=pool,
                employee_id=employee.id,
                name=employee.name,
                department=employee.department,
                role_family=employee.role_family,
                status="proposed",
                history=[*(current.history if current else []), event],
                version=(current.version + 1) if current else 1,
            )
            writes.append((pool_item(member), current.version if current else None))
        self.store.write(writes, audit, f"the record of {employee.id}")
        return after

    def _feedback(self, record: PerformanceRecord, employee: Employee, cycle: Cycle) -> PerformanceRecord:
        """Development items for KPIs below target (kept when already confirmed) and, once the record is
        scored, talent-pool proposals."""
        kept = {d.kpi_id: d for d in record.development if d.status == "confirmed"}
        development = []
        reports: dict[Dimension, dict[str, object]] = {}
        for t in record.targets:
            if not rules.below_target(t):
                continue
            if t.kpi_id in kept:
                development.append(kept[t.kpi_id])
                continue
            if t.dimension not in reports:
                reports[t.dimension] = self.interview_report(employee, t.dimension)
            courses = [
                {"course_id": c.course_id, "title_zh": c.title_zh, "title_en": c.title_en, "hours": c.hours}
                for c in Courses(self.repo).catalogue(t.dimension)[:MAX_COURSES]
            ]
            development.append(
                DevelopmentItem(
                    kpi_id=t.kpi_id,
                    dimension=t.dimension,
                    kpi_score=t.score or 0.0,
                    interview_report=reports[t.dimension],
                    recommended_courses=courses,
                )
            )
        pools = list(record.talent_proposals)
        for t in record.targets if record.status == "scored" else ():  # partial records propose no one
            pool = rules.pool_for(t, cycle.talent_threshold)
            if pool and pool not in pools:
                pools.append(pool)
        return record.model_copy(update={"development": development, "talent_proposals": pools})

    def interview_report(self, employee: Employee, dimension: Dimension) -> dict[str, object]:
        """What the AI interview said of ``dimension``: score, the bar, flagged or not, and the
        dimension's questions with their scores and transcript excerpts (the application's archive)."""
        from shared.services.archive import load

        score = employee.dimension_scores.get(dimension)
        bar = employee.competency_bar.get(dimension)
        report: dict[str, object] = {
            "dimension": dimension.value,
            "interview_score": score,
            "competency_bar": bar,
            "flagged_in_interview": score is not None and bar is not None and score < bar,
            "archive": f"/applications/{employee.application_id}",
            "questions": [],
        }
        try:
            archive = load(self.repo, employee.application_id, with_rank=False)
        except NotFound:
            return report
        report["questions"] = [q.model_dump() for q in archive.questions if q.dimension is dimension]
        if archive.application.ai is not None:
            report["overall_score"] = archive.application.ai.overall_score
        return report

    def confirm_development(
        self, cycle_id: str, employee_id: str, kpi_id: str, body: DevelopmentConfirm, actor: str, ip: str | None
    ) -> PerformanceRecord:
        cycle = self.cycle(cycle_id)
        before = self._at_version(cycle, employee_id, body.version)
        items = [d.model_copy() for d in before.development]
        hit = next((d for d in items if d.kpi_id == kpi_id), None)
        if hit is None:
            raise NotFound(f"there is no development item for {kpi_id}")
        if hit.status == "confirmed":
            raise Conflict(f"the development action for {kpi_id} is confirmed already")
        hit.status, hit.action, hit.confirmed_by, hit.confirmed_at = "confirmed", body.action, actor, iso(utcnow())
        after = before.model_copy(
            update={"development": items, "version": before.version + 1, "updated_at": iso(utcnow())}
        )
        audit = AuditEntry(
            f"employee:{employee_id}",
            actor,
            "performance.development_confirmed",
            {"cycle_id": cycle.id, "kpi_id": kpi_id, "action": body.action},
            ip,
        )
        self.store.write([(record_item(after, cycle), before.version)], audit, f"the record of {employee_id}")
        return after

    def _at_version(self, cycle: Cycle, employee_id: str, version: int) -> PerformanceRecord:
        record = self.record(cycle, employee_id)
        if record.version != version:
            raise Conflict(
                f"the record of {employee_id} is at version {record.version}, not {version}; reload and retry",
                [{"field": "version", "message": f"stale: the current version is {record.version}"}],
            )
        return record

    @staticmethod
    def _rescored(before: PerformanceRecord, targets: list[Any]) -> PerformanceRecord:
        return before.model_copy(
            update={
                "targets": targets,
                "overall_score": rules.overall(targets),
                "baseline_score": rules.baseline_overall(targets),
                "status": rules.status(targets),
                "version": before.version + 1,
                "updated_at": iso(utcnow()),
            }
        )

    @staticmethod
    def _why(record: PerformanceRecord, pool: str, cycle: Cycle) -> str:
        hits = [
            f"{t.name_en} {t.score:g}"
            for t in record.targets
            if t.score is not None and rules.pool_for(t, cycle.talent_threshold) == pool
        ]
        return f"{cycle.name}: {', '.join(hits)} (threshold {cycle.talent_threshold:g})"

    # -- talent pools ------------------------------------------------------------------------------
    def decide(self, pool: str, employee_id: str, body: PoolDecision, actor: str, ip: str | None) -> PoolMember:
        if pool not in rules.POOLS:
            raise NotFound(f"talent pool {pool} does not exist")
        employee = self.employees.require(employee_id)
        current = self.store.member(pool, employee.department, employee_id)
        if current is None:
            raise NotFound(f"{employee_id} is not proposed for or in the {pool} pool")
        allowed = {"accept": "proposed", "decline": "proposed", "remove": "member"}
        if current.status != allowed[body.decision]:
            raise Conflict(f"cannot {body.decision}: the membership is {current.status}")
        if current.version != body.version:
            raise Conflict(
                f"the membership is at version {current.version}, not {body.version}; reload and retry",
                [{"field": "version", "message": f"stale: the current version is {current.version}"}],
            )
        status = {"accept": "member", "decline": "declined", "remove": "removed"}[body.decision]
        event = {"accept": "accepted", "decline": "declined", "remove": "removed"}[body.decision]
        after = current.model_copy(
            update={
                "status": status,
                "history": [*current.history, PoolEvent(at=iso(utcnow()), by=actor, event=event, reason=body.reason)],
                "version": current.version + 1,
            }
        )
        audit = AuditEntry(
            f"employee:{employee_id}", actor, f"talent_pool.{body.decision}", {"pool": pool, "reason": body.reason}, ip
        )
        self.store.write([(pool_item(after), current.version)], audit, f"the membership of {employee_id}")
        return after

    def propose(self, pool: str, employee: Employee, reason: str, actor: str) -> bool:
        """Propose ``employee`` for ``pool`` (e.g. the nightly high-potential run); False when they are
        proposed or a member already."""
        current = self.store.member(pool, employee.department, employee.id)
        if current is not None and current.status in ("proposed", "member"):
            return False
        event = PoolEvent(at=iso(utcnow()), by=actor, event="proposed", reason=reason)
        member = PoolMember(
            pool=pool,
            employee_id=employee.id,
            name=employee.name,
            department=employee.department,
            role_family=employee.role_family,
            status="proposed",
            history=[*(current.history if current else []), event],
            version=(current.version + 1) if current else 1,
        )
        audit = AuditEntry(f"employee:{employee.id}", actor, "talent_pool.propose", {"pool": pool}, None)
        try:
            self.store.write([(pool_item(member), current.version if current else None)], audit, "the membership")
        except Conflict:
            return False
        return True
