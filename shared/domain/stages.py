"""The application stage model: the stages, the allowed transitions and who may trigger each.

One table, used by every handler; later capabilities add their transitions here.
"""

from __future__ import annotations

from enum import StrEnum

from shared.errors import Conflict, Forbidden


class Stage(StrEnum):
    applied = "applied"
    screened = "screened"
    ai_interviewed = "ai_interviewed"
    shortlisted = "shortlisted"
    second_interview = "second_interview"
    evaluated = "evaluated"
    background_check = "background_check"
    offer = "offer"
    offer_signed = "offer_signed"
    hired = "hired"
    rejected = "rejected"
    withdrawn = "withdrawn"


# (from, to) -> roles that may trigger it. "system" is the service itself (screening on intake).
TRANSITIONS: dict[tuple[Stage, Stage], frozenset[str]] = {
    (Stage.applied, Stage.screened): frozenset({"system", "hr"}),
    # re-screening after a new resume file, before any human decision
    (Stage.screened, Stage.applied): frozenset({"system"}),
    (Stage.applied, Stage.rejected): frozenset({"hr"}),
    (Stage.screened, Stage.rejected): frozenset({"hr"}),
    (Stage.applied, Stage.withdrawn): frozenset({"hr"}),
    (Stage.screened, Stage.withdrawn): frozenset({"hr"}),
}


def allowed_from(stage: Stage) -> list[str]:
    return sorted(to.value for (frm, to) in TRANSITIONS if frm == stage)


def check_transition(current: Stage, target: Stage, role: str) -> None:
    roles = TRANSITIONS.get((current, target))
    if roles is None:
        raise Conflict(
            f"cannot move from {current.value} to {target.value}",
            [{"current_stage": current.value, "allowed": allowed_from(current)}],
        )
    if role not in roles:
        raise Forbidden(f"role {role} may not move an application from {current.value} to {target.value}")
