"""The second-interview kit: the AI report and probing questions aimed at the weak dimensions."""

from __future__ import annotations

from typing import Literal

from shared.models.common import Dimension, Request, Response, RoleFamily
from shared.models.interview import Provenance
from shared.models.question_bank import BankFamily
from shared.models.radar import RadarSummary
from shared.vocabulary import Stage


class InterviewKitQuery(Request):
    format: Literal["json", "html"] = "json"


class KitProvenance(Provenance):
    """Where the AI assessment came from: the vendor's delivery the report is built on."""


class KitAiReport(RadarSummary):
    provenance: KitProvenance


class KitQuestion(Response):
    question_id: str
    bank: BankFamily
    """The bank it came from: the requisition's role family, or ``general`` as a top-up."""
    version: int
    text_zh: str
    text_en: str
    strong_answer_zh: str
    strong_answer_en: str


class TranscriptExcerpt(Response):
    question_id: str
    score: float
    transcript_excerpt: str


class KitFocus(Response):
    """One dimension to probe: why (``weak``: below the bar; ``lowest``: no weak dimension, so the
    lowest scores), the questions chosen for it and what the applicant said in the AI interview."""

    dimension: Dimension
    label: str
    reason: Literal["weak", "lowest"]
    score: float | None
    bar: float | None
    questions: list[KitQuestion]
    transcript: list[TranscriptExcerpt]


class InterviewKit(Response):
    application_id: str
    requisition_id: str
    requisition_title: str
    department: str
    role_family: RoleFamily
    name: str
    stage: Stage
    ai: KitAiReport
    focus: list[KitFocus]
    selection_rule: str
