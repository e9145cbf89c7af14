"""The application stage model: the allowed transitions between the stages and who may trigger each.

One table, used by every handler (docs/features.md shows it as a diagram). ``system`` is the
service itself (screening on intake, the e-signature callback).

    applied ─▶ screened ─▶ ai_interviewed ─▶ shortlisted ─▶ second_interview ─▶ evaluated
       │            └──────────────────────────▲                 │        ▲          │
       │                                                          ▼        │          ▼
       │                                          supplementary_assessment ┘   background_check
       │                                                                              │
       └─▶ rejected / withdrawn (from any stage before hired)          offer ◀────────┘
                                                                          │
                                                              offer_signed ─▶ hired
"""

from __future__ import annotations

from shared.errors import Conflict, Forbidden

# The stages themselves are vocabulary (shared/vocabulary.py); importable from here with their rules.
from shared.vocabulary import Stage as Stage

TERMINAL = frozenset({Stage.hired, Stage.rejected, Stage.withdrawn})

# (from, to) -> roles that may trigger it.
TRANSITIONS: dict[tuple[Stage, Stage], frozenset[str]] = {
    (Stage.applied, Stage.screened): frozenset({"system", "hr"}),
    # re-screening after a new resume file, before any human decision
    (Stage.screened, Stage.applied): frozenset({"system"}),
    (Stage.screened, Stage.ai_interviewed): frozenset({"system", "hr"}),
    (Stage.screened, Stage.shortlisted): frozenset({"hr"}),
    (Stage.ai_interviewed, Stage.shortlisted): frozenset({"hr"}),
    (Stage.shortlisted, Stage.second_interview): frozenset({"hr"}),
    (Stage.second_interview, Stage.evaluated): frozenset({"hr"}),
    (Stage.second_interview, Stage.supplementary_assessment): frozenset({"hr"}),
    (Stage.evaluated, Stage.supplementary_assessment): frozenset({"hr"}),
    (Stage.supplementary_assessment, Stage.evaluated): frozenset({"hr"}),
    (Stage.evaluated, Stage.background_check): frozenset({"hr"}),
    (Stage.background_check, Stage.offer): frozenset({"hr"}),
    (Stage.offer, Stage.offer_signed): frozenset({"system"}),
    (Stage.offer_signed, Stage.hired): frozenset({"system", "hr"}),
    # a person can be turned down or withdraw at any point before being hired
    **{(s, Stage.rejected): frozenset({"hr"}) for s in Stage if s not in TERMINAL and s is not Stage.offer_signed},
    **{(s, Stage.withdrawn): frozenset({"hr"}) for s in Stage if s not in TERMINAL},
    (Stage.offer, Stage.rejected): frozenset({"hr", "system"}),  # declined or expired offer
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
