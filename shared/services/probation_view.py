"""What a probation looks like to people: the goals (proposed from the competency profile until HR
sets them), each goal's progress in words and numbers, the weighted completion against the time
elapsed, and whether the probationer is lagging."""

from __future__ import annotations

from shared.domain import probation as rules
from shared.models.employee import Employee
from shared.models.probation import Goal, GoalView, Probation, ProbationView
from shared.services.probation_time import parse_ts


def proposed_goals(employee: Employee) -> list[Goal]:
    return [
        Goal(**{k: v for k, v in vars(g).items()})
        for g in rules.propose(employee.role_family, employee.dimension_scores, employee.competency_bar)
    ]


def goal_like(g: Goal) -> rules.GoalLike:
    return rules.GoalLike(
        g.title_zh, g.title_en, g.label_zh, g.label_en, g.target, g.unit_zh, g.unit_en, g.measure, g.weight
    )


def completion(goals: list[Goal]) -> tuple[list[tuple[Goal, rules.Progress]], float]:
    parts = [(g, rules.progress(goal_like(g), g.achieved)) for g in goals]
    return parts, rules.weighted_completion([(g.weight, p.completion_pct) for g, p in parts])


def elapsed(prob: Probation, now: float) -> float | None:
    started, ends = parse_ts(prob.started_at), parse_ts(prob.ends_at)
    if started is None or ends is None:
        return None
    return rules.elapsed_share(started, ends, now)


_GOAL_SHOWN = {"id", "slot", "dimension", "title_zh", "title_en", "target", "unit_zh", "unit_en", "measure", "weight"}
"""What a goal's view shows of the goal as stored (its progress is computed)."""


def view(employee: Employee, prob: Probation | None, now: float) -> ProbationView:
    goals = prob.goals if prob else proposed_goals(employee)
    parts, weighted = completion(goals)
    elapsed_pct = elapsed(prob, now) if prob and prob.status == "running" else None
    return ProbationView(
        employee_id=employee.id,
        name=employee.name,
        department=employee.department,
        role_family=employee.role_family.value,
        status=prob.status if prob else "proposed",
        phase=prob.phase if prob else None,
        outcome=prob.outcome if prob else None,
        cycle=prob.cycle if prob else 1,
        start_date=employee.start_date,
        end_date=prob.end_date if prob else None,
        goals=[
            GoalView(
                **g.model_dump(include=_GOAL_SHOWN),
                achieved=p.achieved,
                remaining=p.remaining,
                completion_pct=p.completion_pct,
                progress_zh=p.words_zh,
                progress_en=p.words_en,
            )
            for g, p in parts
        ],
        summary_zh=rules.summary_zh([goal_like(g) for g in goals]),
        summary_en=rules.summary_en([goal_like(g) for g in goals]),
        weighted_completion=weighted,
        elapsed_pct=elapsed_pct,
        lagging=elapsed_pct is not None and rules.is_lagging(weighted, elapsed_pct),
        execution_arn=prob.execution_arn if prob else None,
        awaiting_decision=bool(prob and prob.phase == "awaiting_decision" and prob.task_token),
        decision=prob.decision if prob else None,
        history=prob.history if prob else [],
        version=prob.version if prob else 0,
    )
