"""Vendor payload adapters."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from shared.domain.shortlist import weighted_score
from shared.domain.vendors import adapter_for, five_to_hundred
from shared.models.common import Dimension
from shared.services.intake import normalise_timestamp

EVENTS = Path(__file__).resolve().parents[2] / "events" / "webhooks"


def test_canonical_sample_is_valid() -> None:
    result = adapter_for("aivendor")("aivendor", json.loads((EVENTS / "canonical-result.json").read_text("utf-8")))
    assert result.dimension_scores[Dimension.logic] == 85 and result.external_ref == "VENDOR-REF-0001"


def test_mianshi_is_normalised_to_the_canonical_form() -> None:
    payload = json.loads((EVENTS / "mianshi-result.json").read_text("utf-8"))
    result = adapter_for("mianshi")("mianshi", payload)
    assert result.vendor_id == "mianshi"
    assert result.external_ref == "VENDOR-REF-0002"
    assert result.dimension_scores == {
        "logic": 85.0,
        "expression": 55.0,
        "customer_orientation": 90.0,
        "teamwork": 70.0,
        "risk_awareness": 75.0,
        "data_analysis": 80.0,
    }
    assert result.overall_score == 77.5
    assert result.questions[0].dimension == "expression" and result.questions[0].score == 50.0
    assert result.completed_at == "2026-11-28T07:13:20Z"  # 1795850000 s after the epoch
    assert str(result.video_url).endswith(".webm")


def test_scale_conversion() -> None:
    assert (five_to_hundred(1), five_to_hundred(3), five_to_hundred(5)) == (0, 50, 100)


@pytest.mark.parametrize(
    "change",
    [
        lambda p: p["data"]["assessment"]["competencies"].append({"code": "CHARM", "rating": 3}),
        lambda p: p["data"]["assessment"]["competencies"].__setitem__(0, {"code": "LOGIC", "rating": 6}),
        lambda p: p["data"]["candidate"].pop("jobCode"),
        lambda p: p.__setitem__("surprise", 1),
    ],
)
def test_mianshi_bad_payloads_are_refused(change: Callable[[dict[str, Any]], object]) -> None:
    payload = json.loads((EVENTS / "mianshi-result.json").read_text("utf-8"))
    change(payload)
    with pytest.raises(ValidationError):
        adapter_for("mianshi")("mianshi", payload)


def test_timestamps_normalise_to_comparable_utc() -> None:
    now = 1_900_000_000.0
    assert normalise_timestamp("2026-11-28T09:30:00+08:00", now) == "2026-11-28T01:30:00.000000Z"
    assert normalise_timestamp("2026-11-28T01:30:00.5Z", now) == "2026-11-28T01:30:00.500000Z"
    with pytest.raises(ValueError, match="time zone"):
        normalise_timestamp("2026-11-28T01:30:00", now)
    with pytest.raises(ValueError, match="future"):
        normalise_timestamp("2099-01-01T00:00:00Z", now)


def test_weighted_score_uses_the_weights_of_present_dimensions() -> None:
    assert weighted_score({"logic": 80, "expression": 60}, {"logic": 0.5, "expression": 0.25, "teamwork": 0.25}) == (
        round((0.5 * 80 + 0.25 * 60) / 0.75, 4)
    )
    assert weighted_score({"innovation": 90}, {"logic": 1.0}) == 0.0
