"""Supplementary assessments: which stages allow a request, an approval and a result, and how the
stage moves. Pure rules; the service reads and writes.

    second_interview | evaluated ──request──▶ requested ──approve──▶ approved ──result──▶ completed
                                                   └──decline──▶ declined

An approval inserts the stage (``supplementary_assessment``); the result of the last open approved
assessment moves the application back to ``evaluated``. A request changes no stage, nor does a
decline.
"""

from __future__ import annotations

import re
import unicodedata

from shared.domain.stages import Stage, check_transition
from shared.errors import Conflict

REQUESTABLE = (Stage.second_interview, Stage.evaluated)
APPROVABLE = (*REQUESTABLE, Stage.supplementary_assessment)


def name_key(name: str) -> str:
    """The assessment name as compared for "one open request per name": NFKC (full-width →
    half-width), case-folded, whitespace collapsed. 客户模拟谈判 and ' 客户模拟谈判 ' are one name."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", name)).strip().casefold()


def check_requestable(stage: Stage) -> None:
    if stage not in REQUESTABLE:
        raise Conflict(
            f"a supplementary assessment can be requested only at second_interview or evaluated; "
            f"the application is at {stage.value}",
            [{"current_stage": stage.value, "allowed": [s.value for s in REQUESTABLE]}],
        )


def stage_after_approval(stage: Stage) -> Stage:
    """Approving inserts the assessment stage; an application already in it stays there."""
    if stage is Stage.supplementary_assessment:
        return stage
    if stage not in APPROVABLE:
        raise Conflict(
            f"the assessment cannot be approved while the application is at {stage.value}",
            [{"current_stage": stage.value, "allowed": [s.value for s in APPROVABLE]}],
        )
    check_transition(stage, Stage.supplementary_assessment, "hr")
    return Stage.supplementary_assessment


def stage_after_result(stage: Stage, other_approved_open: bool) -> Stage:
    """The last open approved assessment's result moves the application back to ``evaluated``;
    an application that left the assessment stage meanwhile (e.g. rejected) stays where it is."""
    if stage is Stage.supplementary_assessment and not other_approved_open:
        check_transition(stage, Stage.evaluated, "hr")
        return Stage.evaluated
    return stage


def result_problems(score: float | None, passed: bool | None) -> list[dict[str, str]]:
    """A result needs a score, a pass/fail or both."""
    if score is None and passed is None:
        return [{"field": "score", "message": "give a score (0–100), passed (true/false) or both"}]
    return []
