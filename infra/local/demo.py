"""A small, deterministic demo history for the local stack only, so the console's performance and
analytics pages are not empty on a fresh ``make run``.

Never imported by ``functions/`` or ``shared/``: the AWS package has no demo data. Built with
the product's own rules and item shapes (the same items the API writes), in the current table:

* 215 hires: 200 active hires of the last year (130 零售金融部 customer managers — manager.demo's department —
  and 70 风险管理部 risk managers) with interview scores and the weights of the requisition they were
  hired through, plus 14 hires of the older cohorts who left within three months (the attrition
  trend falls towards the recent months) each with the departure HR recorded, and one hire on probation;
* the two requisitions they were hired for, ``demo-req-retail`` and ``demo-req-risk``;
* a closed half-year cycle ``demo-h1`` with targets and results for the 200 (performance follows the
  logic and customer-orientation scores). The cohort is sized for the analytics minimums
  (docs/analytics.md): validity, conditional statements, high potentials and most score bands have
  findings, and the customer managers' re-weighting (130 rated hires ≥ 100) can be approved; the
  risk managers' (70) shows "not enough data" for approval, and so does the attrition-risk model
  (14 leavers among far fewer than 200 mature hires). KPIs far above target propose talent-pool
  members for HR;
* the open quarter ``demo-q`` with targets for twelve 零售金融部 hires, results not yet entered,
  except two partial records (three KPIs each: shown as partial, left out of analytics);
* ``demo-probation`` (零售金融部, started three weeks ago) whose probation goals are still proposed.

Idempotent: nothing is written when ``demo-h1`` exists (a ``--persist`` restart). Ids are fixed and
start with ``demo-``; the random numbers come from a fixed seed, dates are relative to today.
"""

from __future__ import annotations

import logging
import random
from collections import Counter
from datetime import date, timedelta
from typing import Any

from infra.local.cognito import RETAIL_BANKING, RISK_MANAGEMENT
from shared import clock

log = logging.getLogger("infra.local.demo")

ACTIVE = 200
RETAIL = 130  # the first 130 are 零售金融部 customer managers, the rest 风险管理部 risk managers
LEFT = 14
OPEN_CYCLE_ENROLLED = 12
PARTIAL = ("demo-010", "demo-011")  # open-quarter records with some results only
PARTIAL_RESULTS = 3
PAST_CYCLE = "demo-h1"
OPEN_CYCLE = "demo-q"
PROBATION_EMPLOYEE = "demo-probation"
RETAIL_REQUISITION = "demo-req-retail"
RISK_REQUISITION = "demo-req-risk"
ACTOR = "hr.demo"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "磊",
    "洋",
    "艳",
    "勇",
    "军",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "桂英",
    "晓东",
    "海燕",
    "建华",
]
DIMENSIONS = [
    "logic",
    "expression",
    "customer_orientation",
    "risk_awareness",
    "innovation",
    "teamwork",
    "stress_tolerance",
    "data_analysis",
]
# The interview weights of the two demo requisitions (what their shortlists ranked by).
RETAIL_WEIGHTS = {
    "logic": 0.2,
    "customer_orientation": 0.3,
    "expression": 0.1,
    "risk_awareness": 0.05,
    "innovation": 0.1,
    "teamwork": 0.1,
    "stress_tolerance": 0.1,
    "data_analysis": 0.05,
}
RISK_WEIGHTS = {
    "logic": 0.2,
    "customer_orientation": 0.05,
    "expression": 0.05,
    "risk_awareness": 0.3,
    "innovation": 0.05,
    "teamwork": 0.1,
    "stress_tolerance": 0.1,
    "data_analysis": 0.15,
}


def name_of(n: int) -> str:
    """A name, different for each of the first 400 ``n``."""
    return SURNAMES[n % len(SURNAMES)] + GIVEN[(n // len(SURNAMES) + n * 7) % len(GIVEN)]


def seed(today: date | None = None) -> dict[str, int]:
    """Write the demo history into the table named by the environment (the running local stack).

    The records are built in memory with the product's own rules (targets, scoring, talent-pool
    proposals) and written with BatchWriteItem: a few dozen calls, so the stack starts quickly."""
    from shared.domain import analytics as stats
    from shared.models.performance import Cycle, Period, TargetRule
    from shared.services.analytics_inputs import minimums, row_of
    from shared.services.indicators import Indicators
    from shared.store.performance import PerformanceStore, cycle_item
    from shared.store.repository import Repository

    today = today or clock.today()
    repo = Repository()
    store = PerformanceStore(repo)
    if store.cycle(PAST_CYCLE) is not None:
        return {"employees": 0, "results": 0}
    rnd = random.Random(2024)
    items: list[dict[str, Any]] = []
    active = [_hire(items, rnd, n, today, left=False) for n in range(ACTIVE)]
    leavers = [_hire(items, rnd, ACTIVE + n, today, left=True) for n in range(LEFT)]
    _hire_on_probation(items, today)

    past_start = date(today.year - 1, 7, 1) if today.month <= 6 else date(today.year, 1, 1)
    past = Cycle(
        id=PAST_CYCLE,
        name=f"{past_start.year} {'下半年' if past_start.month == 7 else '上半年'}绩效（示例）",
        period=Period.half,
        start_date=past_start,
        end_date=past_start.replace(month=past_start.month + 5, day=30 if past_start.month == 1 else 31),
        target_rule=TargetRule(),
        talent_threshold=95,
        status="closed",
        created_at=f"{past_start.isoformat()}T01:00:00Z",
        created_by=ACTOR,
    )
    quarter = (today.month - 1) // 3
    q_start = date(today.year, quarter * 3 + 1, 1)
    q_end = date(today.year + (quarter == 3), (quarter * 3 + 3) % 12 + 1, 1) - timedelta(days=1)
    now = Cycle(
        id=OPEN_CYCLE,
        name=f"{today.year} Q{quarter + 1} 季度绩效",
        period=Period.quarter,
        start_date=q_start,
        end_date=q_end,
        target_rule=TargetRule(),
        talent_threshold=95,
        created_at=f"{q_start.isoformat()}T01:00:00Z",
        created_by=ACTOR,
    )
    items += [cycle_item(past), cycle_item(now)]
    indicators = Indicators(repo)
    libraries = {f: indicators.library(f) for f in {e.role_family for e in active}}
    courses: dict[Any, list[dict[str, Any]]] = {}
    rows = []
    for n, emp in enumerate(active):
        with_development = n < OPEN_CYCLE_ENROLLED  # the records the demo shows in detail
        scored = _scored_record(
            repo, rnd, past, emp, libraries[emp.role_family], _performance(rnd, emp), courses, with_development
        )
        items.append(_record_item(scored, past))
        items += [_pool_item(pool, emp, past, scored) for pool in scored.talent_proposals]
        rows.append(row_of(_record_item(scored, past)))
    # What the nightly run proposes for the management-trainee pool: the high potentials.
    by_id = {e.id: e for e in active}
    high_potentials, _ = stats.high_potential([r for r in rows if r is not None], minimums().high_potential)
    for hp in high_potentials:
        emp = by_id[hp["employee_id"]]
        if not any(i.get("pk") == "POOL#management_trainee" and i.get("employee_id") == emp.id for i in items):
            items.append(_high_potential_item(emp, past, hp))
    for emp in active[:OPEN_CYCLE_ENROLLED]:
        record = _new_record(now, emp, libraries[emp.role_family])
        if emp.id in PARTIAL:
            record = _partial(rnd, record)
        items.append(_record_item(record, now))
    repo.put_all(items)
    hired = Counter(e.requisition_id for e in [*active, *leavers]) + Counter({RETAIL_REQUISITION: 1})  # + probation
    _requisitions(repo, today, hired)
    _departures(repo, leavers)
    log.info("demo history seeded: %d hires, %d results", ACTIVE + LEFT + 1, len(active))
    return {"employees": ACTIVE + LEFT + 1, "results": len(active)}


def _partial(rnd: random.Random, record: Any) -> Any:
    """The record with results for its first few KPIs only: partial, no overall score."""
    from shared.domain import performance as rules

    targets = list(record.targets)
    for i, t in enumerate(targets[:PARTIAL_RESULTS]):
        actual = _actual(t, 80 + rnd.gauss(0, 5))
        targets[i] = t.model_copy(
            update={"actual": actual, "score": rules.score_kpi(t.scoring_rule, t.direction, t.target, actual)}
        )
    return record.model_copy(update={"targets": targets, "status": rules.status(targets), "version": 2})


def _new_record(cycle: Any, emp: Any, kpis: list[Any]) -> Any:
    from shared.services.performance import Performance

    return Performance.new_record(cycle, emp, kpis, at=f"{cycle.start_date.isoformat()}T02:00:00Z")


def _scored_record(
    repo: Any,
    rnd: random.Random,
    cycle: Any,
    emp: Any,
    kpis: list[Any],
    level: float,
    courses: dict[Any, list[dict[str, Any]]],
    with_development: bool,
) -> Any:
    """The record with every KPI's result, scored; development items below target, pool proposals above."""
    from shared.domain import performance as rules
    from shared.models.performance import DevelopmentItem
    from shared.services.courses import Courses

    record = _new_record(cycle, emp, kpis)
    targets = []
    for t in record.targets:
        # Each KPI also follows the interview score of its own dimension: strengths score higher.
        own = float(emp.dimension_scores.get(t.dimension, 74))
        actual = _actual(t, max(30.0, min(110.0, level + 0.3 * (own - 74) + rnd.gauss(0, 4))))
        targets.append(
            t.model_copy(
                update={"actual": actual, "score": rules.score_kpi(t.scoring_rule, t.direction, t.target, actual)}
            )
        )
    development = []
    for t in targets:
        if not with_development or not rules.below_target(t):
            continue
        if t.dimension not in courses:
            courses[t.dimension] = [
                {"course_id": c.course_id, "title_zh": c.title_zh, "title_en": c.title_en, "hours": c.hours}
                for c in Courses(repo).catalogue(t.dimension)[:3]
            ]
        report = {
            "dimension": t.dimension.value,
            "interview_score": emp.dimension_scores.get(t.dimension),
            "competency_bar": emp.competency_bar.get(t.dimension),
            "flagged_in_interview": False,
            "questions": [],
        }
        development.append(
            DevelopmentItem(
                kpi_id=t.kpi_id,
                dimension=t.dimension,
                kpi_score=t.score or 0.0,
                interview_report=report,
                recommended_courses=courses[t.dimension],
            )
        )
    pools = list(dict.fromkeys(p for p in (rules.pool_for(t, cycle.talent_threshold) for t in targets) if p))
    return record.model_copy(
        update={
            "targets": targets,
            "overall_score": rules.overall(targets),
            "baseline_score": rules.baseline_overall(targets),
            "status": "scored",
            "development": development,
            "talent_proposals": pools,
            "updated_at": f"{cycle.end_date.isoformat()}T08:00:00Z",
            "version": 2,
        }
    )


def _record_item(record: Any, cycle: Any) -> dict[str, Any]:
    from shared.store.performance import record_item

    return record_item(record, cycle)


def _pool_item(pool: str, emp: Any, cycle: Any, record: Any) -> dict[str, Any]:
    from shared.models.performance import PoolEvent

    hits = ", ".join(f"{t.name_en} {t.score:g}" for t in record.targets if t.score is not None and t.score >= 95)
    event = PoolEvent(
        at=f"{cycle.end_date.isoformat()}T08:00:00Z",
        by="system",
        event="proposed",
        reason=f"cycle {cycle.name}: {hits} (at or above {cycle.talent_threshold:g})",
        cycle_id=cycle.id,
    )
    return _proposed(pool, emp, event)


def _high_potential_item(emp: Any, cycle: Any, hp: dict[str, Any]) -> dict[str, Any]:
    from shared.models.performance import PoolEvent

    reason = (
        f"high potential in cycle {cycle.id}: hiring score {hp['hiring_score']:g} (top 20 %), "
        f"performance {hp['performance']:g} (top 10 %) of {hp['population']} rated hires"
    )
    event = PoolEvent(at=f"{cycle.end_date.isoformat()}T20:00:00Z", by="system", event="proposed", reason=reason)
    return _proposed("management_trainee", emp, event)


def _proposed(pool: str, emp: Any, event: Any) -> dict[str, Any]:
    """The employee proposed for the talent pool, with the proposal's event."""
    from shared.models.performance import PoolMember
    from shared.store.performance import pool_item

    member = PoolMember(
        pool=pool,
        employee_id=emp.id,
        name=emp.name,
        department=emp.department,
        role_family=emp.role_family,
        status="proposed",
        history=[event],
    )
    return pool_item(member)


def _requisitions(repo: Any, today: date, hired: Counter[str]) -> None:
    """The requisitions the demo hires were hired for (what HR created a year and a half ago), each
    with the headcount it hired."""
    from shared.models.requisition import Requisition
    from shared.store.audit import AuditEntry

    created = f"{(today - timedelta(days=540)).isoformat()}T01:00:00Z"
    band = {"min": 120000, "max": 220000, "currency": "CNY", "period": "year"}
    for req_id, title, department, family, dimension in (
        (RETAIL_REQUISITION, "零售客户经理（示例）", RETAIL_BANKING, "customer_manager", "customer_orientation"),
        (RISK_REQUISITION, "风险经理（示例）", RISK_MANAGEMENT, "risk_manager", "risk_awareness"),
    ):
        requisition = Requisition(
            id=req_id,
            title=title,
            department=department,
            role_family=family,
            headcount=hired[req_id],
            salary_band=band,
            competency_bar={"logic": 70, dimension: 75},
            created_at=created,
            created_by=ACTOR,
        )
        repo.requisitions.create(requisition, AuditEntry(f"requisition:{req_id}", ACTOR, "requisition.create", {}))


def _departures(repo: Any, leavers: list[Any]) -> None:
    """Each leaver's departure, recorded as HR records one (``POST /employees/{id}/departure``)."""
    from shared.models.people import DepartureCreate, DepartureReason
    from shared.security.tokens import Principal
    from shared.services.people import People

    people = People(repo)
    hr = Principal(sub="demo", username=ACTOR, roles=frozenset({"hr"}))
    for n, emp in enumerate(leavers):
        reason = DepartureReason.probation_failed if n % 4 == 3 else DepartureReason.resigned
        body = DepartureCreate(
            date=emp.start_date + timedelta(days=20 + (ACTIVE + n) % 60),
            reason_code=reason,
            reason="试用期考核未通过（示例）" if reason is DepartureReason.probation_failed else "个人原因离职（示例）",
        )
        people.depart(emp, body, hr, None)


def _scores(rnd: random.Random) -> dict[str, float]:
    return {d: round(min(98.0, max(45.0, rnd.gauss(74, 9))), 1) for d in DIMENSIONS}


def _hire(items: list[dict[str, Any]], rnd: random.Random, n: int, today: date, *, left: bool) -> Any:
    """An employee with its hiring-cohort entry (what onboarding writes), started 4–15 months ago."""
    from shared.models.employee import Employee
    from shared.store.employees import employee_item
    from shared.store.onboarding import cohort_item

    # Leavers come from the older cohorts: the attrition trend falls towards the recent months. The hires
    # enrolled in the open quarter are the earliest of the year, so the cycle page (a department's first
    # employees by start date) lists them.
    months_ago = 15 - (n - ACTIVE) // 2 if left else 15 if n < OPEN_CYCLE_ENROLLED else 4 + n % 12
    start = (today.replace(day=1) - timedelta(days=30 * months_ago)).replace(day=1 + n % 20)
    retail = n < RETAIL or (left and n % 2 == 0)
    emp = Employee(
        id=f"demo-{n:03d}",
        offer_id=f"demo-offer-{n:03d}",
        application_id=f"demo-{n:03d}",
        requisition_id=RETAIL_REQUISITION if retail else RISK_REQUISITION,
        name=name_of(n),
        email=f"demo{n:03d}@example.com",
        department=RETAIL_BANKING if retail else RISK_MANAGEMENT,
        role_family="customer_manager" if retail else "risk_manager",
        title="零售客户经理" if retail else "风险经理",
        grade="P5",
        start_date=start,
        status="active",  # a leaver's departure is recorded once every item is written (_departures)
        dimension_scores=_scores(rnd),
        competency_bar={"logic": 70, "customer_orientation": 75} if retail else {"logic": 70, "risk_awareness": 75},
        dimension_weights=RETAIL_WEIGHTS if retail else RISK_WEIGHTS,
        created_at=f"{start.isoformat()}T00:00:00Z",
    )
    items += [employee_item(emp), cohort_item(emp)]
    return emp


def _hire_on_probation(items: list[dict[str, Any]], today: date) -> None:
    from shared.models.employee import Employee
    from shared.store.employees import employee_item
    from shared.store.onboarding import cohort_item

    emp = Employee(
        id=PROBATION_EMPLOYEE,
        offer_id="demo-offer-probation",
        application_id=PROBATION_EMPLOYEE,
        requisition_id=RETAIL_REQUISITION,
        name="周晓明",
        email="demo.probation@example.com",
        department=RETAIL_BANKING,
        role_family="customer_manager",
        title="零售客户经理",
        grade="P4",
        start_date=today - timedelta(days=21),
        status="active",
        dimension_scores={"data_analysis": 88, "expression": 66, "customer_orientation": 80, "logic": 76},
        competency_bar={"expression": 75, "customer_orientation": 75},
        dimension_weights=RETAIL_WEIGHTS,
        created_at=f"{(today - timedelta(days=30)).isoformat()}T00:00:00Z",
    )
    items += [employee_item(emp), cohort_item(emp)]


def _performance(rnd: random.Random, emp: Any) -> float:
    """The cycle score this hire should reach: follows logic and customer orientation, plus noise."""
    get = {str(k): v for k, v in emp.dimension_scores.items()}
    level = 80 + 0.6 * (get["logic"] - 74) + 0.4 * (get["customer_orientation"] - 74) + rnd.gauss(0, 6)
    return max(40.0, min(100.0, level))


def _actual(target: Any, level: float) -> float:
    """The KPI result that scores about ``level`` against the role baseline target (what the person
    achieves does not depend on the target HR set them) under the target's scoring rule."""
    if target.scoring_rule == "stepped":
        achievement = 1 + (level - 80) / 500 if level >= 80 else 1 - (80 - level) / 1000
    else:
        achievement = level / 80
    base = target.baseline_target
    value = base * achievement if target.direction == "higher" else base / achievement
    return round(max(0.0, value), 2)
