"""Confidence that changes decisions, through the handlers: the vendor's facts compared with what the
applicant declared, HR's review of a check, and the confidence-weighted scores the candidate view,
the offer's salary proposal and the training plan use (each saying so in its explanation)."""

from __future__ import annotations

from typing import Any

import pytest
from chalice.test import Client

from tests.support.api import Api
from tests.support.background import FakeVendor, consume, fake_vendor, order, result, send_result, write_completed_check
from tests.support.background import checks as background
from tests.support.hiring import at_stage, deliver, evaluate, new_app, offer_body
from tests.support.onboarding import Onboard
from tests.support.stack import Stack
from tests.support.webhooks import canonical

DECLARED: dict[str, Any] = {
    "education": "本科 郑州大学 金融学",
    "experience": "2019-2024 某城市商业银行 对公客户经理",
    "experience_years": 5,
}
OVERSTATED: dict[str, Any] = {
    "education": "硕士 北京大学 金融学",
    "experience": "2012-2024 某股份制银行 客户经理",
    "experience_years": 12,
}


@pytest.fixture
def vendor(monkeypatch: pytest.MonkeyPatch) -> FakeVendor:
    return fake_vendor(monkeypatch)


def checked(api: Api, client: Client, stack: Stack, req_id: str, n: int, declared: dict[str, Any]) -> str:
    """An application that declared ``declared``, scored by the AI, with the vendor's sample result in."""
    app_id = str(new_app(api, req_id, n, **declared)["id"])
    assert deliver(api, canonical(req_id, application_id=app_id)).status_code == 200
    at_stage(api, app_id, "shortlisted", "second_interview")
    evaluate(api, app_id)
    at_stage(api, app_id, "evaluated")
    check_id = order(api, app_id)
    consume(client, stack)
    assert send_result(api, result(check_id)).status_code == 200
    return app_id


def codes(confidence: dict[str, Any]) -> dict[str, float]:
    return {r["code"]: r["delta"] for r in confidence["overall_reasons"]}


def test_declared_education_and_employment_are_confirmed_or_contradicted_by_the_vendor(
    api: Api, client: Client, stack: Stack, req_id: str, vendor: FakeVendor
) -> None:
    # Given one applicant whose declaration the vendor's facts bear out, one who overstated it
    truthful = checked(api, client, stack, req_id, 1, DECLARED)
    overstated = checked(api, client, stack, req_id, 2, OVERSTATED)
    # When HR reads the confidence of each
    confirmed = background(api, truthful).data["confidence"]
    contradicted = background(api, overstated).data["confidence"]
    # Then a confirmation raises it with its reason, a mismatch lowers it with its reason and a flag
    assert codes(confirmed)["declared_education_confirmed"] == pytest.approx(0.05)
    assert codes(confirmed)["declared_employment_confirmed"] == pytest.approx(0.05)
    assert any("某城市商业银行郑州分行" in r["reason_zh"] for r in confirmed["overall_reasons"])
    assert codes(contradicted)["declared_education_mismatch"] == pytest.approx(-0.15)
    assert codes(contradicted)["declared_employment_mismatch"] == pytest.approx(-0.10)
    assert "申报12年，核实5年" in next(
        r["reason_zh"] for r in contradicted["overall_reasons"] if r["code"] == "declared_employment_mismatch"
    )
    assert {"declared_education_mismatch", "declared_employment_mismatch"} <= set(contradicted["flags"])
    assert confirmed["overall_confidence"] > 0.7 > contradicted["overall_confidence"]


def test_the_candidate_view_and_the_salary_proposal_use_the_confidence_weighted_score(
    api: Api, client: Client, stack: Stack, req_id: str, vendor: FakeVendor
) -> None:
    # Given two applicants with the same AI scores: one whose facts bear out, one who overstated
    truthful = checked(api, client, stack, req_id, 1, DECLARED)
    overstated = checked(api, client, stack, req_id, 2, OVERSTATED)
    # When HR opens each candidate
    views = {a: api.call("GET", f"/applications/{a}").data["ranking"] for a in (truthful, overstated)}
    # Then the view shows the confidence-weighted score beside the AI's, explained
    same_ai = views[truthful]["weighted_score"]
    assert views[overstated]["weighted_score"] == same_ai
    assert views[truthful]["confidence_weighted_score"] > same_ai > views[overstated]["confidence_weighted_score"]
    assert "confidence-weighted score" in views[truthful]["explanation_en"]
    assert "可信度加权得分" in views[truthful]["explanation_zh"]

    # When HR makes an offer without naming a salary
    offers = {a: api.call("POST", f"/applications/{a}/offers", body=offer_body()).data for a in views}
    # Then the proposal follows the confidence-weighted score, and its basis says so
    assert offers[truthful]["annual_salary"] > offers[overstated]["annual_salary"]
    for app_id, offer in offers.items():
        assert offer["salary_source"] == "proposed"
        assert f"confidence-weighted score {views[app_id]['confidence_weighted_score']:g}" in offer["salary_basis"]


def test_hr_review_of_a_check_updates_the_confidence_with_the_reason(
    api: Api, client: Client, stack: Stack, req_id: str, vendor: FakeVendor
) -> None:
    # Given a check the vendor completed as clear
    app_id = checked(api, client, stack, req_id, 1, DECLARED)
    listed = background(api, app_id).data
    check_id = listed["items"][0]["check_id"]
    review = f"/applications/{app_id}/background-checks/{check_id}/review"
    # When someone other than HR reviews it
    refused = api.call("POST", review, role="manager", body={"outcome": "consider", "reason": "供应商记录有误"})
    # Then it is refused and the confidence is unchanged
    assert refused.status_code == 403
    assert background(api, app_id).data["confidence"] == listed["confidence"]
    # When HR reviews the clear check as needing attention, with a reason
    reason = "推荐人反馈与供应商记录不一致"
    reviewed = api.call("POST", review, body={"outcome": "consider", "reason": reason})
    # Then the confidence falls by the review's rule, naming HR's reason
    assert reviewed.status_code == 200, reviewed.data
    after = background(api, app_id).data["confidence"]
    assert codes(after)["hr_review_consider"] == pytest.approx(-0.10)
    assert reason in next(r["reason_zh"] for r in after["overall_reasons"] if r["code"] == "hr_review_consider")
    assert after["overall_confidence"] == pytest.approx(listed["confidence"]["overall_confidence"] - 0.10)


def test_the_training_plan_aims_at_confidence_weighted_weak_dimensions(api: Api, client: Client) -> None:
    # Given two hires scored alike (teamwork 78 and customer orientation 76, both under the bar 80), one
    # whose background check verified a top-10 % customer-manager role and the declared education, the
    # other whose declared education the check contradicts
    ob = Onboard(api, client)
    verified = ob.hire(1, teamwork=78, customer_orientation=76)
    doubtful = str(new_app(api, ob.req_id, 2, education="硕士 北京大学")["id"])
    assert (
        deliver(api, canonical(ob.req_id, application_id=doubtful, teamwork=78, customer_orientation=76)).status_code
        == 200
    )
    table = api.stack.env["TABLE_NAME"]
    for app_id in (verified, doubtful):
        write_completed_check(table, app_id, check_id="bgc1", facts=result("bgc1"))
    # When their signed offers are onboarded
    for app_id in (verified, doubtful):
        ob.onboarded(app_id)
    plans = {a: api.call("GET", f"/employees/{a}/training", role="manager").data for a in (verified, doubtful)}
    # Then the verified customer manager's plan leaves customer orientation out (76 weighs 83.5 ≥ 80);
    # the doubtful hire's confidence is 0.65 and 0.5 (−0.15 for the contradicted education):
    # the doubtful hire's plan keeps both and adds expression, each with its weighted score; each plan says why
    assert [d["dimension"] for d in plans[verified]["dimensions"]] == ["teamwork"]
    assert {d["dimension"]: d["weighted_score"] for d in plans[doubtful]["dimensions"]} == {
        "expression": 68.0,  # 78 ≥ the bar 75 as the AI scored it, not as weighed
        "customer_orientation": 73.5,
        "teamwork": 68.0,
    }
    for plan in plans.values():
        assert "confidence-weighted score" in plan["basis_en"] and "可信度加权得分" in plan["basis_zh"]
    assert "Customer orientation 76→83.5" in plans[verified]["basis_en"]
