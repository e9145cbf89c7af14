"""Applications: screening on intake, duplicates, masking, listing by stage, HR screening decisions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.api import Api
from tests.support.hiring import make
from tests.support.ids import person

APPLICATION: dict[str, Any] = json.loads(Path("events/application.json").read_text(encoding="utf-8"))


def apply(api: Api, req_id: str, body: dict[str, Any], **kw: Any) -> Any:
    return api.call("POST", f"/requisitions/{req_id}/applications", body=body, **kw)


def test_application_is_screened_with_explanation_and_pii_masked(api: Api, req_id: str) -> None:
    # When HR adds the sample applicant (full-width ＣＦＡ, alias 银行工作经历, alias 授信)
    response = apply(api, req_id, APPLICATION)
    # Then it passes screening and says which keyword matched where
    assert response.status_code == 201, response.data
    body = response.data
    assert body["stage"] == "screened"
    screening = body["screening"]
    assert screening["passed"] is True and screening["proposal"] == "advance"
    required = {m["term"]: m for m in screening["required"]}
    assert required["金融从业经验"]["via"] == "银行工作经历"
    assert required["金融从业经验"]["field"] == "resume_text"
    assert required["本科"]["field"] == "education"
    preferred = {m["term"]: m for m in screening["preferred"]}
    assert preferred["CFA"]["matched"] and preferred["信贷"]["via"] == "授信"
    assert screening["score"] == 100.0
    # And personal data is masked in the response
    assert body["national_id_masked"] == "110***********002X"
    assert body["phone_masked"] == "138****8000"
    assert "national_id" not in body and "phone" not in body and "resume_text" not in body


def test_failing_applicant_is_only_proposed_for_rejection(api: Api, req_id: str) -> None:
    # Given an applicant without the required financial experience
    body = person(1, resume="计算机专业应届毕业生，熟悉Python。")
    body["education"] = "大专"
    created = apply(api, req_id, body)
    # Then the application stays "applied" with a rejection *proposal*; nobody is rejected automatically
    assert created.status_code == 201
    assert created.data["stage"] == "applied"
    assert created.data["screening"]["proposal"] == "reject"
    assert set(created.data["screening"]["missing_required"]) == {"金融从业经验", "本科"}
    assert created.data["screening"]["decision"] is None


def test_same_person_twice_is_409_with_the_existing_id(api: Api, req_id: str) -> None:
    first = apply(api, req_id, APPLICATION).data["id"]
    again = apply(api, req_id, dict(APPLICATION, name="李明（重复）"))
    assert again.status_code == 409
    assert again.data["error"]["details"][0]["existing_application_id"] == first
    # And the same person may apply to another requisition
    other = make(api, title="另一个岗位").data["id"]
    assert apply(api, other, APPLICATION).status_code == 201


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"national_id": "110105194912310021"}, "national_id"),
        ({"national_id": "12345"}, "national_id"),
        ({"email": "not-an-email"}, "email"),
        ({"phone": "call me"}, "phone"),
        ({"experience_years": -1}, "experience_years"),
        ({"salary": 1}, "salary"),
        ({"name": 42}, "name"),
    ],
)
def test_invalid_application_is_400_naming_the_field(
    api: Api, req_id: str, changes: dict[str, Any], field: str
) -> None:
    response = apply(api, req_id, dict(APPLICATION, **changes))
    assert response.status_code == 400
    assert [d["field"] for d in response.data["error"]["details"]] == [field]
    assert api.call("GET", f"/requisitions/{req_id}/applications").data["items"] == []


def test_unknown_requisition_is_404(api: Api) -> None:
    assert apply(api, "nope", APPLICATION).status_code == 404


def test_listing_by_stage_paginates_and_managers_are_scoped(api: Api, req_id: str) -> None:
    # Given 3 passing and 2 failing applicants
    for n in range(3):
        apply(api, req_id, person(n))
    for n in range(3, 5):
        apply(api, req_id, person(n, resume="应届毕业生"))

    # When HR lists by stage with a small page
    def all_pages(path: str, role: str = "hr") -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        token = ""
        while True:
            page = api.call("GET", path + (f"&next_token={token}" if token else ""), role=role).data
            items += page["items"]
            token = page["next_token"]
            if not token:
                return items

    screened = all_pages(f"/requisitions/{req_id}/applications?stage=screened&limit=2")
    applied = all_pages(f"/requisitions/{req_id}/applications?stage=applied&limit=2")
    everyone = all_pages(f"/requisitions/{req_id}/applications?limit=2")
    # Then each stage holds the right people and the full list has all five once
    assert len(screened) == 3 and all(i["screening_proposal"] == "advance" for i in screened)
    assert len(applied) == 2 and all(i["screening_proposal"] == "reject" for i in applied)
    assert len({i["id"] for i in everyone}) == 5
    # And the department's manager may read, another department's manager, interviewer and IT may not
    assert len(all_pages(f"/requisitions/{req_id}/applications?limit=50", role="manager")) == 5
    for role in ("manager2", "interviewer", "it"):
        assert api.call("GET", f"/requisitions/{req_id}/applications", role=role).status_code == 403
        assert api.call("GET", f"/applications/{screened[0]['id']}", role=role).status_code == 403
    assert api.call("GET", f"/requisitions/{req_id}/applications?stage=flying").status_code == 400


def test_screening_decisions_are_per_item_audited_and_human(api: Api, req_id: str) -> None:
    # Given one failing and one passing applicant
    failing = apply(api, req_id, person(1, resume="应届毕业生")).data["id"]
    passing = apply(api, req_id, person(2)).data["id"]
    decisions = {
        "decisions": [
            {"application_id": failing, "decision": "reject", "reason": "缺少金融从业经验"},
            {"application_id": passing, "decision": "advance", "reason": "符合要求"},
            {"application_id": "missing", "decision": "reject", "reason": "x"},
        ]
    }
    # When HR decides in bulk
    response = api.call("POST", f"/requisitions/{req_id}/screening/decisions", body=decisions)
    # Then each item reports its own result
    assert response.status_code == 200
    outcomes = {r["application_id"]: (r["outcome"], r["stage"]) for r in response.data["results"]}
    assert outcomes == {
        failing: ("applied", "rejected"),
        passing: ("applied", "screened"),
        "missing": ("not_found", None),
    }
    rejected = api.call("GET", f"/applications/{failing}").data
    assert rejected["stage"] == "rejected"
    assert rejected["screening"]["decided_by"] == "hr.demo"
    assert rejected["screening"]["decision_reason"] == "缺少金融从业经验"
    # And a second decision on a rejected person is a per-item conflict naming the stage
    again = api.call(
        "POST",
        f"/requisitions/{req_id}/screening/decisions",
        body={"decisions": [{"application_id": failing, "decision": "advance", "reason": "复议"}]},
    ).data["results"][0]
    assert again["outcome"] == "conflict" and again["stage"] == "rejected"
    # And managers cannot decide
    assert (
        api.call("POST", f"/requisitions/{req_id}/screening/decisions", role="manager", body=decisions).status_code
        == 403
    )


def test_concurrent_update_loses_with_conflict(api: Api, req_id: str) -> None:
    # Given an application read by two HR users at the same version
    from shared.domain.stages import Stage
    from shared.errors import Conflict
    from shared.store.audit import AuditEntry
    from shared.store.repository import Repository

    app_id = apply(api, req_id, person(7, resume="应届毕业生")).data["id"]
    repo = Repository()
    first = repo.applications.require(app_id)
    second = repo.applications.require(app_id)
    audit = AuditEntry(subject=f"application:{app_id}", actor="t", action="test", details={})
    # When both write, Then exactly one wins
    repo.applications.update(first, first.model_copy(update={"version": 2, "stage": Stage.rejected}), audit)
    with pytest.raises(Conflict):
        repo.applications.update(second, second.model_copy(update={"version": 2, "stage": Stage.screened}), audit)
    assert repo.applications.require(app_id).stage == "rejected"


def test_a_negated_keyword_is_not_matched_and_the_explanation_says_why(api: Api, req_id: str) -> None:
    # Given an applicant whose resume says they have no bank experience
    resume = "本人没有银行工作经历，持有ＣＦＡ证书。"
    body = dict(APPLICATION, resume_text=resume, experience="2020-2024 互联网公司 产品经理")
    created = apply(api, req_id, body)
    # Then the required keyword is not matched: the application stays applied, proposed for rejection
    assert created.status_code == 201, created.data
    assert created.data["stage"] == "applied"
    screening = created.data["screening"]
    required = {m["term"]: m for m in screening["required"]}
    assert required["金融从业经验"]["matched"] is False
    assert required["金融从业经验"]["negated_by"] == "没有"
    assert "negated by 没有" in screening["explanation"]
    # And the PIPL explanation tells the person which words were read as a negative
    explained = api.call("GET", f"/applications/{created.data['id']}/explanation").data
    assert "没有" in explained["screening"]["negated"][0]
    assert any("否定表述" in line for line in explained["summary_zh"])


def test_a_resume_in_traditional_script_matches_simplified_keywords(api: Api, req_id: str) -> None:
    # Given an applicant who writes in Traditional script (學士, 銀行工作經歷)
    body = dict(
        APPLICATION,
        education="學士 臺灣大學 金融學",
        resume_text="五年銀行工作經歷，負責對公客戶營銷與授信業務。",
        experience="",
    )
    created = apply(api, req_id, body)
    # Then the Simplified keywords match and the application is screened
    assert created.status_code == 201, created.data
    assert created.data["stage"] == "screened"
    required = {m["term"]: m for m in created.data["screening"]["required"]}
    assert required["金融从业经验"]["via"] == "银行工作经历"
    assert required["本科"]["via"] == "学士"
