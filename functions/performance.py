"""Performance management: the indicator library, cycles, targets, results, development actions,
and talent pools (人才库)."""

from __future__ import annotations

from typing import Any

from functions.catalogues import Catalogue
from functions.http import Call, ok
from functions.idempotency import created
from functions.verbs import Routes
from shared.domain.performance import POOLS
from shared.errors import NotFound
from shared.models.performance import (
    CycleCreate,
    CycleList,
    CycleQuery,
    CycleView,
    DevelopmentConfirm,
    EnrolOutcome,
    EnrolRequest,
    KpiCreate,
    KpiList,
    KpiQuery,
    KpiUpdate,
    KpiView,
    PerformanceHistory,
    PerformanceRecordView,
    PoolDecision,
    PoolList,
    PoolMembers,
    PoolMemberView,
    PoolQuery,
    PoolSummary,
    RecordClose,
    RecordList,
    RecordsQuery,
    ResultsCreate,
    TargetOverride,
    TargetsReopen,
)
from shared.security.policy import Action, Scope, authorize
from shared.services.indicators import Indicators
from shared.services.performance import Performance

bp = Routes(__name__)
INDICATORS = Catalogue(Indicators, KpiView, Action.indicator_read, Action.indicator_write, "indicators.add")
RECORD = "/performance/cycles/{cycle_id}/employees/{employee_id}"


def _record(record: Any) -> PerformanceRecordView:
    return PerformanceRecordView.model_validate(record.model_dump())


# -- the indicator library ---------------------------------------------------------------------------
@bp.get("/indicators", query=KpiQuery, response=KpiList)
def list_indicators(call: Call[None, KpiQuery]) -> Any:
    """The competency indicator library of one role family (optionally one dimension) (hr; manager).

    Seed content with HR's additions and edits applied: each interview dimension → KPIs, each with a
    unit, direction, role baseline target, points per interview point and scoring rule."""
    authorize(call.who, Action.indicator_read)
    query = call.query
    items = [INDICATORS.shown(k) for k in Indicators().library(query.role_family, query.dimension, query.status)]
    return ok(KpiList(role_family=query.role_family, dimension=query.dimension, status=query.status, items=items))


@bp.get("/indicators/{kpi_id}", response=KpiView)
def get_indicator(call: Call, kpi_id: str) -> Any:
    """One KPI of the library with its version (hr; manager)."""
    return INDICATORS.get(call, kpi_id)


@bp.post("/indicators", body=KpiCreate, response=KpiView, status=201)
def add_indicator(call: Call[KpiCreate, None]) -> Any:
    """Add a KPI for a role family and dimension (hr); version 1, audited. ``Idempotency-Key`` accepted."""
    return INDICATORS.add(call)


@bp.put("/indicators/{kpi_id}", body=KpiUpdate, response=KpiView)
def edit_indicator(call: Call[KpiUpdate, None], kpi_id: str) -> Any:
    """Replace a KPI's content or retire it (hr), conditional on the version read (409 when stale).

    Records already enrolled in a cycle keep the targets they were given."""
    return INDICATORS.edit(call, kpi_id)


# -- cycles and targets -----------------------------------------------------------------------------
@bp.post("/performance/cycles", body=CycleCreate, response=CycleView, status=201)
def open_cycle(call: Call[CycleCreate, None]) -> Any:
    """Open a performance cycle (hr): quarter, half or year, with its target rule and talent threshold."""
    authorize(call.who, Action.cycle_manage)
    body = call.body

    def make() -> CycleView:
        return CycleView.model_validate(Performance().open_cycle(body, call.who.username, call.source_ip).model_dump())

    return created(call, "performance.open_cycle", body, make)


@bp.get("/performance/cycles", query=CycleQuery, response=CycleList)
def list_cycles(call: Call[None, CycleQuery]) -> Any:
    """Performance cycles, latest start first (hr; manager)."""
    authorize(call.who, Action.performance_read)
    query = call.query
    cycles, token = Performance().store.cycles(query.limit, query.next_token)
    return ok(CycleList(items=[CycleView.model_validate(c.model_dump()) for c in cycles], next_token=token))


@bp.get("/performance/cycles/{cycle_id}", response=CycleView)
def get_cycle(call: Call, cycle_id: str) -> Any:
    """One performance cycle (hr; manager)."""
    authorize(call.who, Action.performance_read)
    return ok(CycleView.model_validate(Performance().cycle(cycle_id).model_dump()))


@bp.post("/performance/cycles/{cycle_id}/enrolments", body=EnrolRequest, response=EnrolOutcome)
def enrol(call: Call[EnrolRequest, None], cycle_id: str) -> Any:
    """Set the cycle's targets for up to 100 employees (hr); an employee already enrolled is kept as is.

    Targets start from the role baseline of each KPI of the employee's family and move with the
    interview score of the KPI's dimension; every target carries its reason."""
    authorize(call.who, Action.cycle_manage)
    return ok(Performance().enrol(cycle_id, call.body.employee_ids, call.who.username, call.source_ip))


@bp.get("/performance/cycles/{cycle_id}/records", query=RecordsQuery, response=RecordList)
def list_records(call: Call[None, RecordsQuery], cycle_id: str) -> Any:
    """The records of up to 100 employees in one cycle at once (hr; a manager: those of their own
    department) — one BatchGetItem, where a page of employees would otherwise ask once per employee
    and get a 404 for each one not enrolled."""
    scope = authorize(call.who, Action.performance_read)
    perf = Performance()
    records = perf.records_of(perf.cycle(cycle_id), call.query.ids)
    if scope is Scope.department:
        records = [r for r in records if r.department == call.who.department]
    return ok(RecordList(items=[_record(r) for r in records]))


@bp.get(RECORD, response=PerformanceRecordView)
def get_record(call: Call, cycle_id: str, employee_id: str) -> Any:
    """An employee's targets, results, development items and talent proposals in one cycle (hr; manager)."""
    perf = Performance()
    perf.authorized(call.who, Action.performance_read, employee_id)
    return ok(_record(perf.record(perf.cycle(cycle_id), employee_id)))


@bp.put(RECORD + "/targets/{kpi_id}", body=TargetOverride, response=PerformanceRecordView)
def override_target(call: Call[TargetOverride, None], cycle_id: str, employee_id: str, kpi_id: str) -> Any:
    """Override one target (hr) with a reason, conditional on the record's version (409 when stale)."""
    perf = Performance()
    perf.authorized(call.who, Action.target_override, employee_id)
    return ok(_record(perf.override(cycle_id, employee_id, kpi_id, call.body, call.who.username, call.source_ip)))


@bp.post(RECORD + "/reopen", body=TargetsReopen, response=PerformanceRecordView)
def reopen_targets(call: Call[TargetsReopen, None], cycle_id: str, employee_id: str) -> Any:
    """Reopen targets locked by recorded results (hr), with a reason; audited. 409 when not locked."""
    perf = Performance()
    perf.authorized(call.who, Action.target_override, employee_id)
    return ok(_record(perf.reopen_targets(cycle_id, employee_id, call.body, call.who.username, call.source_ip)))


@bp.post(RECORD + "/results", body=ResultsCreate, response=PerformanceRecordView)
def record_results(call: Call[ResultsCreate, None], cycle_id: str, employee_id: str) -> Any:
    """Record results per KPI (hr; the department's manager): scored against the targets, and overall
    once every KPI has a result (until then the record is ``partial``: no overall score, never in
    analytics or pools).

    Below target → a development item with the interview report of the dimension and courses;
    at or above the talent threshold → a talent-pool proposal for HR once the record is scored."""
    perf = Performance()
    employee = perf.authorized(call.who, Action.performance_record, employee_id)
    return ok(_record(perf.record_results(cycle_id, employee, call.body, call.who.username, call.source_ip)))


@bp.post(RECORD + "/closure", body=RecordClose, response=PerformanceRecordView)
def close_record(call: Call[RecordClose, None], cycle_id: str, employee_id: str) -> Any:
    """Close an incomplete record (hr) with a reason: the KPIs without a result are excluded and the
    record is scored on the others (409 when it is complete already, has no result, or is stale)."""
    perf = Performance()
    employee = perf.authorized(call.who, Action.record_close, employee_id)
    return ok(_record(perf.close(cycle_id, employee, call.body, call.who.username, call.source_ip)))


@bp.post(RECORD + "/development/{kpi_id}", body=DevelopmentConfirm, response=PerformanceRecordView)
def confirm_development(call: Call[DevelopmentConfirm, None], cycle_id: str, employee_id: str, kpi_id: str) -> Any:
    """Confirm the development action for a KPI below target (the department's manager; hr)."""
    perf = Performance()
    perf.authorized(call.who, Action.development_confirm, employee_id)
    return ok(
        _record(perf.confirm_development(cycle_id, employee_id, kpi_id, call.body, call.who.username, call.source_ip))
    )


@bp.get("/employees/{employee_id}/performance", response=PerformanceHistory)
def history(call: Call, employee_id: str) -> Any:
    """Every cycle record of one employee, oldest first (hr; manager of the department)."""
    perf = Performance()
    perf.authorized(call.who, Action.performance_read, employee_id)
    items = [_record(r) for r in perf.store.history(employee_id)]
    return ok(PerformanceHistory(employee_id=employee_id, items=items))


# -- talent pools -----------------------------------------------------------------------------------
def _pool_department(who: Any, asked: str | None) -> str | None:
    """Managers see their own department only; HR any (or all, when none is named)."""
    scope = authorize(who, Action.talent_pool_read)
    if scope is Scope.department:
        authorize(who, Action.talent_pool_read, asked or who.department)
        return str(who.department)
    return asked


@bp.get("/talent-pools", response=PoolList)
def list_pools(call: Call) -> Any:
    """The talent pools with their proposed and member counts (hr; manager: own department's)."""
    department = _pool_department(call.who, None)
    store = Performance().store
    items = []
    for pool in POOLS.values():
        members = store.members(pool.name, department)
        items.append(
            PoolSummary(
                name=pool.name,
                name_zh=pool.name_zh,
                description=pool.description,
                proposed=sum(m.status == "proposed" for m in members),
                members=sum(m.status == "member" for m in members),
            )
        )
    return ok(PoolList(items=items))


@bp.get("/talent-pools/{name}", query=PoolQuery, response=PoolMembers)
def get_pool(call: Call[None, PoolQuery], name: str) -> Any:
    """A pool's memberships with their history (hr; manager: own department's members only)."""
    query = call.query
    department = _pool_department(call.who, query.department)  # the role first: never "exists?" to outsiders
    if name not in POOLS:
        raise NotFound(f"talent pool {name} does not exist")
    members = Performance().store.members(name, department)
    items = [PoolMemberView.model_validate(m.model_dump()) for m in members if query.status in (None, m.status)]
    return ok(PoolMembers(pool=name, items=items))


@bp.post("/talent-pools/{name}/members/{employee_id}", body=PoolDecision, response=PoolMemberView)
def decide_member(call: Call[PoolDecision, None], name: str, employee_id: str) -> Any:
    """HR's decision: accept or decline a proposal, or remove a member, with a reason (409 when stale)."""
    authorize(call.who, Action.talent_pool_decide)
    member = Performance().decide(name, employee_id, call.body, call.who.username, call.source_ip)
    return ok(PoolMemberView.model_validate(member.model_dump()))
