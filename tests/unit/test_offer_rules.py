"""Offers, the pure rules: salary proposal, dates, who approves which step, the letter."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from shared.domain import offers as rules
from shared.models.offer import ApprovalStep, Offer, OfferStatus

BAND = (120_000, 220_000)


@pytest.mark.parametrize(
    ("score", "salary"),
    [(80, 170_000), (60, 120_000), (45, 120_000), (100, 220_000), (120, 220_000), (95, 207_500), (None, 170_000)],
)
def test_proposed_salary_follows_the_weighted_score_within_the_band(score: float | None, salary: int) -> None:
    # Given the band and a weighted AI score / When proposed / Then linear from 60 (min) to 100 (max)
    proposal = rules.propose_salary(BAND, score)
    assert proposal.annual_salary == salary and proposal.source == "proposed"
    assert ("no AI interview score" in proposal.basis) is (score is None)


def test_proposal_rounds_to_a_hundred_without_leaving_the_band() -> None:
    assert rules.propose_salary((100_050, 100_080), 99).annual_salary in range(100_050, 100_081)
    assert rules.propose_salary((120_000, 220_000), 61).annual_salary == 122_500
    assert "clamped" in rules.propose_salary(BAND, 30).basis


def test_monthly_bands_count_twelve_months_and_given_salaries_must_fit() -> None:
    assert rules.annual_band(10_000, 15_000, "month") == (120_000, 180_000)
    assert rules.annual_band(10_000, 15_000, "year") == (10_000, 15_000)
    assert rules.given_salary(BAND, 220_000) is not None
    assert rules.given_salary(BAND, 220_001) is None and rules.given_salary(BAND, 0) is None


def test_date_rules() -> None:
    today = date(2026, 11, 28)
    assert rules.date_problems(date(2027, 1, 4), date(2026, 12, 10), today) == []
    fields = [p["field"] for p in rules.date_problems(today, date(2026, 11, 27), today)]
    assert fields == ["start_date", "expires_on"]
    assert [p["field"] for p in rules.date_problems(date(2027, 1, 4), date(2027, 1, 4), today)] == ["expires_on"]


def test_who_may_decide_which_step() -> None:
    manager = rules.Approver("m", ("manager",), "零售金融部")
    other = rules.Approver("m2", ("manager",), "风险管理部")
    hr, hr2 = rules.Approver("hr.demo", ("hr",), None), rules.Approver("hr.director", ("hr",), None)
    step = ApprovalStep.department_manager
    assert rules.refusal(step, manager, "零售金融部", "hr.demo") is None
    assert rules.refusal(step, other, "零售金融部", "hr.demo")
    assert rules.refusal(step, hr, "零售金融部", "hr.demo")
    director = ApprovalStep.hr_director
    assert rules.refusal(director, hr, "零售金融部", "hr.demo")  # four eyes
    assert rules.refusal(director, hr2, "零售金融部", "hr.demo") is None
    assert rules.refusal(director, manager, "零售金融部", "hr.demo")


def offer(**changes: object) -> Offer:
    values: dict[str, object] = {
        "id": "o1",
        "application_id": "a1",
        "requisition_id": "r1",
        "department": "零售金融部",
        "role_family": "customer_manager",
        "title": "对公客户经理",
        "name": "王<b>小明</b>",
        "email": "x@example.com",
        "grade": "P5",
        "annual_salary": 168_000,
        "currency": "CNY",
        "salary_source": "proposed",
        "salary_basis": "…",
        "benefits": ["五险一金"],
        "start_date": date(2027, 1, 4),
        "work_location": "郑州",
        "documents_to_bring": rules.DEFAULT_DOCUMENTS,
        "expires_on": date(2026, 12, 10),
        "note": "请准时 & 带齐材料",
        "status": OfferStatus.pending_approval,
        "approval_chain": [ApprovalStep.department_manager],
        "html_key": "k.html",
        "pdf_key": "k.pdf",
        "created_by": "hr.demo",
        "created_at": "2026-11-28T00:00:00Z",
        "updated_at": "2026-11-28T00:00:00Z",
    }
    return Offer.model_validate(values | changes)


def test_html_letter_is_chinese_with_english_subtitles_and_escapes_everything() -> None:
    page = rules.render_html(rules.letter(offer()))
    assert '<html lang="zh-CN">' in page and "录用通知书" in page and "Offer of Employment" in page
    assert "王&lt;b&gt;小明&lt;/b&gt;" in page and "<b>" not in page and "&amp; 带齐材料" in page
    assert "人民币 168,000 元" in page and "<script" not in page and "http" not in page


def test_pdf_letter_text_is_extractable_chinese() -> None:
    pdf = rules.render_pdf(rules.letter(offer(name="王小明")))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "王小明" in text and "对公客户经理" in text and "168,000" in text and "身份证" in text
    # the user's markup characters are text, not reportlab markup
    pdf = rules.render_pdf(rules.letter(offer(note="<font size=40>x</font> & y")))
    assert "<font size=40>x</font> & y" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_next_step_walks_the_chain() -> None:
    chain = [ApprovalStep.department_manager, ApprovalStep.hr_director]
    assert offer(approval_chain=chain).next_step is ApprovalStep.department_manager
    one = {"step": "department_manager", "decision": "approve", "by": "m", "at": "t"}
    assert offer(approval_chain=chain, approvals=[one]).next_step is ApprovalStep.hr_director
    assert offer(status=OfferStatus.approved).next_step is None


def test_sample_esign_event_is_a_valid_callback_body() -> None:
    from pathlib import Path

    from shared.models.offer import EsignEvent

    event = EsignEvent.model_validate_json(Path("events/webhooks/esign-signed.json").read_text("utf-8"))
    assert event.type == "signed"
