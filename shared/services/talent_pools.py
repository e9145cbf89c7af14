"""Talent pools: a proposal (from a scored record at or above the talent threshold, or the nightly
high-potential run) that HR accepts or declines, and the membership HR may end; each step is an
event of the membership's history, each write conditional on the version read and audited."""

from __future__ import annotations

from shared.domain import performance as rules
from shared.errors import Conflict, NotFound
from shared.models.common import iso, utcnow
from shared.models.employee import Employee
from shared.models.performance import PoolDecision, PoolEvent, PoolMember
from shared.store.audit import AuditEntry
from shared.store.employees import EmployeeStore
from shared.store.performance import PerformanceStore, pool_item
from shared.store.repository import Repository


def proposed_member(pool: str, employee: Employee, event: PoolEvent, current: PoolMember | None = None) -> PoolMember:
    """``employee`` proposed for ``pool`` with the proposal's ``event``, after the membership ``current``
    (a declined or removed one) if any."""
    who = employee.model_dump(include={"name", "department", "role_family"})
    history = [*(current.history if current else []), event]
    version = (current.version + 1) if current else 1
    return PoolMember(pool=pool, employee_id=employee.id, status="proposed", history=history, version=version, **who)


def may_propose(current: PoolMember | None) -> bool:
    """Whether a proposal is due: not when the employee is proposed or a member already."""
    return current is None or current.status not in ("proposed", "member")


class TalentPools:
    def __init__(self, repo: Repository | None = None) -> None:
        self.repo = repo or Repository()
        self.store = PerformanceStore(self.repo)
        self.employees = EmployeeStore(self.repo)

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
        if not may_propose(current):
            return False
        event = PoolEvent(at=iso(utcnow()), by=actor, event="proposed", reason=reason)
        member = proposed_member(pool, employee, event, current)
        audit = AuditEntry(f"employee:{employee.id}", actor, "talent_pool.propose", {"pool": pool}, None)
        try:
            self.store.write([(pool_item(member), current.version if current else None)], audit, "the membership")
        except Conflict:
            return False
        return True
