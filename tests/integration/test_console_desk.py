"""The console's work views over moto through the HTTP handlers: an interviewer's assigned
applications (lookup items written with the assignment) and HR's salary proposal."""

from __future__ import annotations

from shared.domain.stages import Stage
from tests.support.api import Api
from tests.support.archive import update_application
from tests.support.hiring import SAMPLE, new_app, scored_apps


def assign(api: Api, app_id: str, *usernames: str) -> None:
    answer = api.call("PUT", f"/applications/{app_id}/interviewers", body={"usernames": list(usernames)})
    assert answer.status_code == 200, answer.data


def test_an_interviewer_lists_the_applications_assigned_to_them(api: Api, req_id: str) -> None:
    # Given two applications assigned to interviewer.demo and one to someone else
    first, second, other = (new_app(api, req_id, n) for n in (301, 302, 303))
    assign(api, first["id"], "interviewer.demo")
    assign(api, second["id"], "interviewer.demo", "interviewer.two")
    assign(api, other["id"], "interviewer.two")
    update_application(second["id"], stage=Stage.second_interview)
    # When the interviewer asks for their list
    listed = api.call("GET", "/me/assignments", role="interviewer")
    # Then exactly their two applications come back, with the requisition and the stage now
    assert listed.status_code == 200, listed.data
    assert listed.data["username"] == "interviewer.demo"
    by_id = {i["application_id"]: i for i in listed.data["items"]}
    assert set(by_id) == {first["id"], second["id"]}
    assert by_id[second["id"]]["stage"] == "second_interview"
    assert by_id[first["id"]]["requisition_title"] == SAMPLE["title"]
    assert by_id[first["id"]]["assigned_by"] == "hr.demo" and by_id[first["id"]]["name"] == first["name"]


def test_unassigning_removes_the_application_from_the_list(api: Api, req_id: str) -> None:
    # Given an application assigned to the interviewer
    app = new_app(api, req_id, 311)
    assign(api, app["id"], "interviewer.demo")
    # When HR replaces the interviewers
    assign(api, app["id"], "interviewer.two")
    # Then it is gone from interviewer.demo's list (and the access with it)
    listed = api.call("GET", "/me/assignments", role="interviewer")
    assert listed.status_code == 200 and listed.data["items"] == []
    assert api.call("GET", f"/applications/{app['id']}", role="interviewer").status_code == 403


def test_the_assignment_list_pages_and_refuses_bad_input_and_other_roles(api: Api, req_id: str) -> None:
    # Given three assigned applications
    for n in (321, 322, 323):
        assign(api, new_app(api, req_id, n)["id"], "interviewer.demo")
    # When the interviewer pages two at a time
    first = api.call("GET", "/me/assignments?limit=2", role="interviewer")
    second = api.call("GET", f"/me/assignments?limit=2&next_token={first.data['next_token']}", role="interviewer")
    # Then every application comes exactly once
    ids = [i["application_id"] for i in first.data["items"] + second.data["items"]]
    assert len(ids) == 3 == len(set(ids))
    # Bad input: 400 naming the field, and nothing else answers
    bad = api.call("GET", "/me/assignments?limit=0", role="interviewer")
    assert bad.status_code == 400 and bad.data["error"]["details"][0]["field"] == "limit"
    forged = api.call("GET", "/me/assignments?next_token=bm90LWEtdG9rZW4", role="interviewer")
    assert forged.status_code == 400
    for role in ("hr", "manager", "it"):
        assert api.call("GET", "/me/assignments", role=role).status_code == 403
    assert api.call("GET", "/me/assignments", role=None).status_code == 401


def test_hr_reads_the_salary_an_offer_would_propose(api: Api, req_id: str) -> None:
    # Given a scored application (band 120000–220000 a year)
    app = scored_apps(api, req_id, 1)[0]
    archive = api.call("GET", f"/applications/{app['id']}").data
    score = archive["ai"]["weighted_score"]
    # When HR asks for the proposal
    proposal = api.call("GET", f"/applications/{app['id']}/salary-proposal")
    # Then it follows the documented rule: position = (score − 60) ÷ 40, rounded to 100 in the band
    assert proposal.status_code == 200, proposal.data
    position = min(1.0, max(0.0, (score - 60) / 40))
    expected = int(min(220000, max(120000, round((120000 + 100000 * position) / 100) * 100)))
    assert proposal.data["annual_salary"] == expected
    assert (proposal.data["band_min"], proposal.data["band_max"], proposal.data["currency"]) == (120000, 220000, "CNY")
    assert proposal.data["weighted_score"] == score and proposal.data["approval_chain"] == ["department_manager"]
    # And without an AI score it is the middle of the band
    unscored = new_app(api, req_id, 331)
    middle = api.call("GET", f"/applications/{unscored['id']}/salary-proposal")
    assert middle.status_code == 200 and middle.data["annual_salary"] == 170000
    assert middle.data["weighted_score"] is None


def test_only_hr_reads_a_salary_proposal(api: Api, req_id: str) -> None:
    app = new_app(api, req_id, 341)
    assign(api, app["id"], "interviewer.demo")
    for role in ("manager", "interviewer", "it"):
        assert api.call("GET", f"/applications/{app['id']}/salary-proposal", role=role).status_code == 403
    assert api.call("GET", "/applications/nope/salary-proposal").status_code == 404
