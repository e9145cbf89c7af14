"""Performance records after their targets: results (scored per KPI, overall once every KPI has
one), HR's closing of an incomplete record, and the feedback loop — below target a development item
(the interview report for the KPI's dimension, courses of the catalogue) the manager confirms; at or
above the talent threshold a proposal for the dimension's talent pool."""

from __future__ import annotations

from typing import Any

from shared import clock
from shared.domain import performance as rules
from shared.domain import time_rules
from shared.errors import Conflict, NotFound, ValidationFailed
from shared.models.common import Dimension, iso, utcnow
from shared.models.employee import Employee
from shared.models.performance import (
    Closure,
    Cycle,
    DevelopmentConfirm,
    DevelopmentItem,
    PerformanceRecord,
    PoolEvent,
    RecordClose,
    ResultsCreate,
)
from shared.services.courses import Courses
from shared.services.talent_pools import TalentPools, may_propose, proposed_member
from shared.store.audit import AuditEntry
from shared.store.performance import pool_item, record_item

MAX_COURSES = 3


class PerformanceRecords(TalentPools):
    def cycle(self, cycle_id: str) -> Cycle:
        cycle = self.store.cycle(cycle_id)
        if cycle is None:
            raise NotFound(f"performance cycle {cycle_id} does not exist")
        return cycle

    def record(self, cycle: Cycle, employee_id: str) -> PerformanceRecord:
        record = self.store.record(employee_id, cycle)
        if record is None:
            raise NotFound(f"employee {employee_id} has no targets in cycle {cycle.id}")
        return record

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

    def _update(
        self, cycle: Cycle, before: PerformanceRecord, after: PerformanceRecord, audit: AuditEntry
    ) -> PerformanceRecord:
        """``after`` written conditional on the version ``before`` was read at, with its audit record."""
        target = f"the record of {after.employee_id}"
        self.store.write([(record_item(after, cycle), before.version)], audit, target)
        return after

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
        audit = AuditEntry(f"employee:{employee.id}", actor, "performance.results", details, ip)
        return self._save(before, after, employee, cycle, audit)

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
        audit = AuditEntry(f"employee:{employee.id}", actor, "performance.close", details, ip)
        return self._save(before, after, employee, cycle, audit)

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
            if not may_propose(current):
                continue
            event = PoolEvent(
                at=now, by="system", event="proposed", reason=self._why(after, pool, cycle), cycle_id=cycle.id
            )
            member = proposed_member(pool, employee, event, current)
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
        return self._update(cycle, before, after, audit)

    @staticmethod
    def _why(record: PerformanceRecord, pool: str, cycle: Cycle) -> str:
        hits = [
            f"{t.name_en} {t.score:g}"
            for t in record.targets
            if t.score is not None and rules.pool_for(t, cycle.talent_threshold) == pool
        ]
        return f"{cycle.name}: {', '.join(hits)} (threshold {cycle.talent_threshold:g})"
