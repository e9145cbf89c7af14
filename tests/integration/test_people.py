"""One talent archive per person (keyed by the keyed hash of the national ID): created by the first
application, linked from later ones, shaped by role, erased as a whole."""

from __future__ import annotations

from typing import Any

from tests.support.api import Api
from tests.support.hiring import make
from tests.support.ids import person


def apply(api: Api, req_id: str, n: int) -> Any:
    return api.call("POST", f"/requisitions/{req_id}/applications", body=person(n))


def two_applications(api: Api) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """Person 7 applies to the retail requisition, then to a risk requisition of another department."""
    retail = make(api).data["id"]
    risk = make(api, title="风险经理（社会招聘）", department="风险管理部", role_family="risk_manager").data["id"]
    first = apply(api, retail, 7)
    second = apply(api, risk, 7)
    assert first.status_code == 201 and second.status_code == 201, (first.data, second.data)
    return str(first.data["person_id"]), first.data, second.data


def test_a_second_application_links_to_the_same_person_and_tells_hr(api: Api) -> None:
    # Given a first application, which creates the person's archive and says nothing
    person_id, first, second = two_applications(api)
    assert first["known_person"] is None
    # Then the second application of the same national ID links to the same person, and HR is told
    assert second["person_id"] == person_id
    note = second["known_person"]
    assert note["applications_before"] == 1 and note["employee_status"] is None
    assert note["note_zh"].startswith("已在库：")
    assert "应聘过对公客户经理（2027届校园招聘）（零售金融部）" in note["note_zh"]
    # And another person gets another archive
    other = apply(api, make(api).data["id"], 8).data
    assert other["person_id"] != person_id and other["known_person"] is None
    # When HR reads the person, then both applications are there, oldest first, with their stages
    got = api.call("GET", f"/people/{person_id}")
    assert got.status_code == 200, got.data
    assert got.data["view"] == "hr" and got.data["name"] == "张0007"
    assert [a["application_id"] for a in got.data["applications"]] == [first["id"], second["id"]]
    assert [a["department"] for a in got.data["applications"]] == ["零售金融部", "风险管理部"]
    assert all(a["stage"] == "screened" for a in got.data["applications"])
    # and the read is audited
    audit = api.call("GET", f"/audit?subject=person:{person_id}").data["items"]
    assert [a["action"] for a in audit] == ["person.read"]


def test_the_person_archive_is_shaped_by_role(api: Api) -> None:
    person_id, first, second = two_applications(api)
    # A manager of 零售金融部 sees only that department's application
    managed = api.call("GET", f"/people/{person_id}", role="manager").data
    assert [a["application_id"] for a in managed["applications"]] == [first["id"]]
    # An interviewer sees nothing until assigned, then only the assigned application
    assert api.call("GET", f"/people/{person_id}", role="interviewer").status_code == 403
    api.call("PUT", f"/applications/{second['id']}/interviewers", body={"usernames": ["interviewer.demo"]})
    seen = api.call("GET", f"/people/{person_id}", role="interviewer").data
    assert [a["application_id"] for a in seen["applications"]] == [second["id"]]
    assert seen["employment"] == [] and seen["view"] == "interviewer"
    # IT never; nobody without a token; an unknown person is 404
    assert api.call("GET", f"/people/{person_id}", role="it").status_code == 403
    assert api.call("GET", f"/people/{person_id}", role=None).status_code == 401
    assert api.call("GET", "/people/unknown").status_code == 404


def test_erasure_works_on_the_whole_person(api: Api) -> None:
    person_id, first, second = two_applications(api)
    # When HR erases one application, then the person's archive no longer lists it
    erased = api.call("DELETE", f"/candidates/{first['id']}", body={"reason": "本人要求删除"})
    assert erased.status_code == 200, erased.data
    left = api.call("GET", f"/people/{person_id}").data["applications"]
    assert [a["application_id"] for a in left] == [second["id"]]
    # When HR erases the person (only HR, with a reason)
    assert api.call("DELETE", f"/people/{person_id}", role="manager", body={"reason": "x"}).status_code == 403
    assert api.call("DELETE", f"/people/{person_id}", body={}).status_code == 400
    gone = api.call("DELETE", f"/people/{person_id}", body={"reason": "本人要求删除全部资料"})
    # Then every application is erased and the person's archive is gone
    assert gone.status_code == 200, gone.data
    assert [r["status"] for r in gone.data["receipts"]] == ["erased"]
    assert api.call("GET", f"/people/{person_id}").status_code == 404
    archive = api.call("GET", f"/applications/{second['id']}").data
    assert archive["name"] != "张0007" and archive.get("person_id") is None
