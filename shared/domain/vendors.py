"""Vendor payload adapters: each turns one vendor's webhook body into the canonical result.

Adding a vendor means adding an adapter here (and its secret); handlers do not change.

* ``canonical`` — our own format (``CanonicalResult``), scores 0–100.
* ``mianshi`` — a vendor that nests the candidate and assessment, names competencies with its own
  codes, rates on a 1–5 scale and sends ``finishedAt`` as Unix seconds or ISO-8601.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, StringConstraints

from shared.models.common import Dimension
from shared.models.interview import CanonicalResult, QuestionResult

Adapter = Callable[[str, dict[str, Any]], CanonicalResult]


def canonical(vendor_id: str, payload: dict[str, Any]) -> CanonicalResult:
    return CanonicalResult.model_validate(payload)


# -- 面试邦 (mianshi): nested, 1–5 ratings ---------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


MIANSHI_CODES: dict[str, Dimension] = {
    "LOGIC": Dimension.logic,
    "COMMUNICATION": Dimension.expression,
    "CUSTOMER_FOCUS": Dimension.customer_orientation,
    "RISK": Dimension.risk_awareness,
    "INNOVATION": Dimension.innovation,
    "TEAMWORK": Dimension.teamwork,
    "RESILIENCE": Dimension.stress_tolerance,
    "DATA": Dimension.data_analysis,
}
Code = Literal["LOGIC", "COMMUNICATION", "CUSTOMER_FOCUS", "RISK", "INNOVATION", "TEAMWORK", "RESILIENCE", "DATA"]
Rating = Annotated[float, Field(ge=1, le=5)]
Ident = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class _Candidate(_Strict):
    ref: Ident | None = None
    app_id: Ident | None = Field(default=None, alias="appId")
    job_code: Ident = Field(alias="jobCode")


class _Competency(_Strict):
    code: Code
    rating: Rating


class _Item(_Strict):
    qid: Ident
    competency: Code
    rating: Rating
    answer_text: Annotated[str, StringConstraints(max_length=2_000)] = Field(default="", alias="answerText")


class _Assessment(_Strict):
    competencies: list[_Competency] = Field(min_length=1, max_length=20)
    total_rating: Rating = Field(alias="totalRating")
    items: list[_Item] = Field(default_factory=list, max_length=200)
    engine: Ident
    finished_at: int | str = Field(alias="finishedAt")


class _Media(_Strict):
    replay_url: str | None = Field(default=None, alias="replayUrl")


class _Data(_Strict):
    candidate: _Candidate
    assessment: _Assessment
    media: _Media | None = None


class MianshiPayload(_Strict):
    event: Literal["interview.completed"]
    vendor: Ident
    data: _Data


def five_to_hundred(rating: float) -> float:
    """1 → 0, 3 → 50, 5 → 100."""
    return round((rating - 1) / 4 * 100, 2)


def _iso(value: int | str) -> str:
    if isinstance(value, int):
        return datetime.fromtimestamp(value, UTC).isoformat().replace("+00:00", "Z")
    return value


def mianshi(vendor_id: str, payload: dict[str, Any]) -> CanonicalResult:
    body = MianshiPayload.model_validate(payload)
    assessment = body.data.assessment
    codes = [c.code for c in assessment.competencies]
    if len(set(codes)) != len(codes):
        raise ValueError("data.assessment.competencies: a competency code appears twice")
    return CanonicalResult(
        vendor_id=body.vendor,
        requisition_id=body.data.candidate.job_code,
        application_id=body.data.candidate.app_id,
        external_ref=body.data.candidate.ref,
        dimension_scores={MIANSHI_CODES[c.code]: five_to_hundred(c.rating) for c in assessment.competencies},
        overall_score=five_to_hundred(assessment.total_rating),
        questions=[
            QuestionResult(
                question_id=i.qid,
                dimension=MIANSHI_CODES[i.competency],
                score=five_to_hundred(i.rating),
                transcript_excerpt=i.answer_text,
            )
            for i in assessment.items
        ],
        model_version=assessment.engine,
        video_url=body.data.media.replay_url if body.data.media else None,
        completed_at=_iso(assessment.finished_at),
    )


ADAPTERS: dict[str, Adapter] = {"canonical": canonical, "mianshi": mianshi}

# Vendor id → payload format. A vendor's id is also the name of its secret in Parameter Store.
VENDOR_FORMATS: dict[str, str] = {"aivendor": "canonical", "mianshi": "mianshi"}


def adapter_for(vendor_id: str) -> Adapter:
    return ADAPTERS[VENDOR_FORMATS.get(vendor_id, "canonical")]


class VendorPayload(RootModel[CanonicalResult | MianshiPayload]):
    """A webhook body: the canonical form, or a vendor's own shape (chosen by the signing key)."""
