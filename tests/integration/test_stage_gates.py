"""Stage gates: a move to evaluated, offer or hired needs its evidence; a refused move is 409 naming
what is missing, and changes nothing."""

from __future__ import annotations

from typing import Any

from tests.support.api import Api
from tests.support.background import write_completed_check
from tests.support.hiring import at_background_check, at_stage, deliver, evaluate, new_app
from tests.support.webhooks import canonical


def move(api: Api, app_id: str, to: str) -> Any:
    return api.call("POST", f"/applications/{app_id}/transitions", body={"to": to, "reason": "流程推进"})


def stage(api: Api, app_id: str) -> str:
    return str(api.call("GET", f"/applications/{app_id}").data["stage"])


def test_evaluated_needs_a_second_interview_evaluation(api: Api, req_id: str) -> None:
    # Given an application at the second interview that nobody has evaluated
    app_id = new_app(api, req_id)["id"]
    assert deliver(api, canonical(req_id, application_id=app_id)).status_code == 200
    at_stage(api, app_id, "shortlisted", "second_interview")
    # When HR moves it to evaluated
    refused = move(api, app_id, "evaluated")
    # Then 409 names the missing evaluation, and the stage is unchanged
    assert refused.status_code == 409, refused.data
    assert "needs a second-interview evaluation" in refused.data["error"]["message"]
    detail = refused.data["error"]["details"][0]
    assert detail["current_stage"] == "second_interview"
    assert [m["code"] for m in detail["missing"]] == ["evaluation_missing"]
    assert stage(api, app_id) == "second_interview"
    # When the department's manager records an evaluation, then the move is allowed
    evaluate(api, app_id)
    assert move(api, app_id, "evaluated").status_code == 200
    assert stage(api, app_id) == "evaluated"


def test_a_bulk_move_reports_what_each_refused_item_misses(api: Api, req_id: str) -> None:
    # Given two applications at the second interview, one evaluated by the manager
    apps = [new_app(api, req_id, n)["id"] for n in (1, 2)]
    for app_id in apps:
        at_stage(api, app_id, "shortlisted", "second_interview")
    evaluate(api, apps[0])
    # When HR moves both to evaluated at once
    items = [{"application_id": a, "to": "evaluated"} for a in apps]
    results = api.call("POST", f"/requisitions/{req_id}/transitions", body={"items": items, "reason": "二面完成"}).data
    # Then the evaluated one moves, the other is a conflict naming the missing evidence
    assert results["counts"] == {"moved": 1, "conflict": 1}
    refused = next(r for r in results["results"] if r["outcome"] == "conflict")
    assert refused["application_id"] == apps[1]
    assert refused["missing"][0]["code"] == "evaluation_missing"


def test_offer_needs_a_clear_or_reviewed_background_check(api: Api, req_id: str) -> None:
    # Given an application at background_check whose check came back "consider"
    app_id = at_background_check(api, req_id, clear=False)
    assert [m["code"] for m in move(api, app_id, "offer").data["error"]["details"][0]["missing"]] == [
        "background_check_missing"
    ]
    write_completed_check(api.stack.env["TABLE_NAME"], app_id, check_id="bgc1", outcome="consider")
    # When HR moves it to offer, then 409 names the check and its outcome
    refused = move(api, app_id, "offer")
    assert refused.status_code == 409
    missing = refused.data["error"]["details"][0]["missing"]
    assert missing == [
        {
            "code": "background_check_not_clear",
            "message": "background check bgc1 completed with outcome consider",
            "ref": "bgc1",
        }
    ]
    assert stage(api, app_id) == "background_check"
    # When HR reviews the check and records it clear with a reason, then the move is allowed
    review = {"outcome": "clear", "reason": "学历信息经学信网复核一致，供应商记录有误"}
    reviewed = api.call("POST", f"/applications/{app_id}/background-checks/bgc1/review", body=review)
    assert reviewed.status_code == 200, reviewed.data
    assert move(api, app_id, "offer").status_code == 200
