"""Probation goals from the interview competency profile, their progress in words, and lagging.

Pure rules, no I/O. A role family's template has three slots:

* **strength** — a goal that puts the hire's strongest dimension to work (largest score − bar);
* **development** — a goal that exercises the weakest dimension (smallest score − bar);
* **baseline** — the role's standing goal (for a risk manager: role training, aimed at the weak
  dimension like the onboarding training plan).

Each slot has a weight; the weights of a template sum to 100 (the templates, with the source
document's two examples: ``shared/domain/probation_templates.py``). A dimension without a bar is
compared with ``DEFAULT_BAR``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from shared.domain.probation_templates import GoalSpec, Measure, RoleTemplate, Slot, template_for
from shared.models.common import Dimension, RoleFamily
from shared.vocabulary import DIMENSION_ORDER

DEFAULT_BAR = 60.0


@dataclass(frozen=True)
class GoalLike:
    """What progress needs of a goal (a stored goal or a proposal)."""

    title_zh: str
    title_en: str
    label_zh: str
    label_en: str
    target: float
    unit_zh: str
    unit_en: str
    measure: Measure
    weight: int


@dataclass(frozen=True)
class ProposedGoal(GoalLike):
    id: str
    slot: Slot
    dimension: str


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _goal(goal_id: str, slot: Slot, dim: Dimension, spec: GoalSpec, weight: int) -> ProposedGoal:
    target = _number(spec.target)
    titles = {"title_zh": spec.title_zh.format(target=target), "title_en": spec.title_en.format(target=target)}
    return ProposedGoal(**(asdict(spec) | titles), weight=weight, id=goal_id, slot=slot, dimension=dim.value)


def margins(scores: Mapping[Any, float], bar: Mapping[Any, float]) -> dict[Dimension, float]:
    """score − bar for every scored dimension (``DEFAULT_BAR`` where the requisition sets none)."""
    return {Dimension(d): float(s) - float(bar.get(d, DEFAULT_BAR)) for d, s in scores.items() if d in DIMENSION_ORDER}


def strongest_and_weakest(
    scores: Mapping[Any, float], bar: Mapping[Any, float], template: RoleTemplate
) -> tuple[Dimension, Dimension]:
    """The dimension furthest above its bar and the one furthest below (or least above), distinct.

    Ties go to the role's core dimensions first (``preference``), then the fixed dimension order.
    Without two scored dimensions the role's first preferences fill in."""
    rank = {d: i for i, d in enumerate(template.preference)}

    def order(d: Dimension) -> tuple[int, int]:
        return (rank.get(d, len(rank)), DIMENSION_ORDER[d])

    m = margins(scores, bar)
    fallback = list(template.preference) + [d for d in Dimension if d not in template.preference]
    candidates = sorted(m, key=order)
    strongest = max(candidates, key=lambda d: m[d]) if candidates else fallback[0]
    rest = [d for d in candidates if d != strongest]
    spare = next(d for d in fallback if d != strongest)
    weakest = min(rest, key=lambda d: m[d]) if rest else spare
    return strongest, weakest


def propose(role_family: RoleFamily | str, scores: Mapping[Any, float], bar: Mapping[Any, float]) -> list[ProposedGoal]:
    """The proposed goals of a hire: strength, development, baseline; weights sum to 100."""
    template = template_for(role_family)
    strongest, weakest = strongest_and_weakest(scores, bar, template)
    strength = template.strength_goal(strongest)
    development = template.development_goal(weakest)
    baseline_dim = template.baseline_dimension or weakest
    w = template.weights
    return [
        _goal("g1", "strength", strongest, strength, w["strength"]),
        _goal("g2", "development", weakest, development, w["development"]),
        _goal("g3", "baseline", baseline_dim, template.baseline, w["baseline"]),
    ]


# --------------------------------------------------------------------------- summaries and progress


def summary_zh(goals: Sequence[GoalLike]) -> str:
    return " + ".join(f"{g.title_zh}（占比{g.weight}%）" for g in goals)


def summary_en(goals: Sequence[GoalLike]) -> str:
    return " + ".join(f"{g.title_en} ({g.weight} %)" for g in goals)


@dataclass(frozen=True)
class Progress:
    achieved: float
    remaining: float
    completion_pct: float  # of this goal, 0–100
    words_zh: str
    words_en: str


# (measure, target reached) -> the progress in words: 客户拜访完成3次，还差2次 / client visits: 3 of 5 done, 2 to go
PROGRESS_WORDS: dict[tuple[Measure, bool], tuple[str, str]] = {
    ("score", True): ("{label}当前{a}{unit}，已达成（目标{t}{unit}）", "{label}: {a} now, target {t} reached"),
    ("score", False): ("{label}当前{a}{unit}，还差{r}{unit}", "{label}: {a} now, target {t}, {r} to go"),
    ("count", True): ("{label}完成{a}{unit}，已达成", "{label}: {a} of {t} done, target reached"),
    ("count", False): ("{label}完成{a}{unit}，还差{r}{unit}", "{label}: {a} of {t} done, {r} to go"),
}


def progress(goal: GoalLike, achieved: float) -> Progress:
    """``achieved`` is the sum of counted achievements, or the latest score for a ``score`` goal."""
    target = float(goal.target)
    remaining = max(0.0, target - achieved)
    ratio = 1.0 if target <= 0 else min(1.0, max(0.0, achieved / target))
    words_zh, words_en = PROGRESS_WORDS[(goal.measure, remaining == 0)]
    values = {"a": _number(achieved), "r": _number(remaining), "t": _number(target), "unit": goal.unit_zh}
    zh = words_zh.format(label=goal.label_zh, **values)
    en = words_en.format(label=goal.label_en, **values)
    return Progress(achieved, remaining, round(ratio * 100, 1), zh, en)


def weighted_completion(parts: Sequence[tuple[int, float]]) -> float:
    """Σ weight × goal completion, in % (0–100): ``parts`` are (weight, completion %)."""
    return round(sum(w * pct for w, pct in parts) / 100, 1)


def elapsed_share(started: float, ends: float, now: float) -> float:
    """The share of the probation period gone by at ``now`` (epoch seconds), in % (0–100)."""
    if ends <= started:
        return 100.0
    return round(min(1.0, max(0.0, (now - started) / (ends - started))) * 100, 1)


LAGGING_RULE = "lagging: weighted completion (%) is below the share of the probation period already elapsed (%)"


def is_lagging(completion_pct: float, elapsed_pct: float) -> bool:
    return completion_pct < elapsed_pct


@dataclass(frozen=True)
class WeightProblem:
    field: str
    message: str


def check_goals(weights: Sequence[int], dimensions: Sequence[str | None]) -> list[WeightProblem]:
    """Weights sum to exactly 100; every goal names the dimension it develops."""
    problems = [
        WeightProblem(f"goals.{i}.dimension", "every goal states which dimension it develops")
        for i, d in enumerate(dimensions)
        if not d
    ]
    total = sum(weights)
    if total != 100:
        problems.append(WeightProblem("goals", f"the weights sum to {total}; they must sum to 100"))
    return problems
