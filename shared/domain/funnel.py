"""The hiring funnel of a requisition: per-stage counts folded into the six steps HR reads.

Steps: applied → screened → interviewed → shortlisted → offer → hired. A step counts the
applications that reached it *and are still in the process* (their current stage is that step
or a later one); ``applied`` counts every application, including those rejected or withdrawn,
whose furthest step is not recorded on the application (the audit trail has it).
"""

from __future__ import annotations

from collections.abc import Mapping

from shared.domain.stages import Stage

STEPS: tuple[str, ...] = ("applied", "screened", "interviewed", "shortlisted", "offer", "hired")

# The furthest funnel step a current stage stands for; rejected / withdrawn stand for none.
STEP_OF_STAGE: dict[Stage, str | None] = {
    Stage.applied: "applied",
    Stage.screened: "screened",
    Stage.ai_interviewed: "interviewed",
    Stage.shortlisted: "shortlisted",
    Stage.second_interview: "shortlisted",
    Stage.supplementary_assessment: "shortlisted",
    Stage.evaluated: "shortlisted",
    Stage.background_check: "shortlisted",
    Stage.offer: "offer",
    Stage.offer_signed: "offer",
    Stage.hired: "hired",
    Stage.rejected: None,
    Stage.withdrawn: None,
}

RULE = (
    "applied = every application; each later step = applications whose current stage is that step "
    "or a later one (rejected and withdrawn applications count only in applied)"
)


def fold(stage_counts: Mapping[Stage, int]) -> list[tuple[str, int]]:
    """``[(step, count)]`` in funnel order from the count of applications in each stage."""
    total = sum(stage_counts.values())
    reached = dict.fromkeys(STEPS, 0)
    for stage, n in stage_counts.items():
        step = STEP_OF_STAGE[stage]
        if step is None:
            continue
        for later in STEPS[1 : STEPS.index(step) + 1]:
            reached[later] += n
    reached["applied"] = total
    return [(step, reached[step]) for step in STEPS]
