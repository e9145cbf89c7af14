"""A requisition's applicant list for thousands: numbered pages with the total, search by name or
reference, and a stage filter that combines with the score order — through the HTTP handler over moto.
Without those parameters the list pages by next_token as before (tests/integration/test_console_api.py)."""

from __future__ import annotations

from typing import Any

from tests.support.api import Api
from tests.support.hiring import at_stage, new_app, scored_apps


def listing(api: Api, req_id: str, query: str, role: str = "hr") -> Any:
    return api.call("GET", f"/requisitions/{req_id}/applications?{query}", role=role)


def test_numbered_pages_carry_the_total_and_cover_every_application_once(api: Api, req_id: str) -> None:
    # Given five applications
    ids = [new_app(api, req_id, 300 + n)["id"] for n in range(5)]
    # When HR reads page 1, 2 and 3 of two
    pages = [listing(api, req_id, f"page={n}&limit=2") for n in (1, 2, 3)]
    # Then each page has the total and its number, no next_token, and together they are every
    # application once, oldest first
    assert [p.status_code for p in pages] == [200, 200, 200]
    assert [(p.data["total"], p.data["page"], p.data["next_token"]) for p in pages] == [(5, n, None) for n in (1, 2, 3)]
    assert [i["id"] for p in pages for i in p.data["items"]] == ids
    # And a page past the end is empty, with the same total
    assert listing(api, req_id, "page=4&limit=2").data | {"items": []} == {
        "items": [],
        "total": 5,
        "page": 4,
        "next_token": None,
    }


def test_search_finds_by_part_of_the_name_or_the_start_of_the_reference(api: Api, req_id: str) -> None:
    # Given applicants 张0301 (reference REF-A1), 张0302 and 张0411 (reference REF-B7)
    first = new_app(api, req_id, 301, external_ref="REF-A1")
    second = new_app(api, req_id, 302)
    third = new_app(api, req_id, 411, external_ref="REF-B7")
    # When HR searches a part of a name
    by_name = listing(api, req_id, "q=030")
    # Then both 030x match, with their total
    assert by_name.status_code == 200
    assert [i["id"] for i in by_name.data["items"]] == [first["id"], second["id"]] and by_name.data["total"] == 2
    # And the start of a reference (case-insensitive) finds its applicant, with the reference listed
    by_ref = listing(api, req_id, "q=ref-b")
    assert [(i["id"], i["external_ref"]) for i in by_ref.data["items"]] == [(third["id"], "REF-B7")]
    # And a search that matches nobody is an empty page with total 0
    assert listing(api, req_id, "q=李").data["total"] == 0


def test_the_stage_filter_combines_with_the_score_order(api: Api, req_id: str) -> None:
    # Given four scored applications (the weighted score rises with the index) and one unscored
    apps = scored_apps(api, req_id, 4)
    unscored = new_app(api, req_id, 200)
    # And the two best moved on to the shortlist
    for app in apps[2:]:
        at_stage(api, app["id"], "shortlisted")
    # When HR lists the shortlisted stage by score
    listed = listing(api, req_id, "order=score&stage=shortlisted")
    # Then only that stage is listed, highest score first, with its total
    assert listed.status_code == 200, listed.data
    assert [i["id"] for i in listed.data["items"]] == [apps[3]["id"], apps[2]["id"]]
    assert listed.data["total"] == 2 and {i["stage"] for i in listed.data["items"]} == {"shortlisted"}
    # And every application by score puts the unscored one last
    everyone = listing(api, req_id, "order=score&page=1").data["items"]
    assert [i["id"] for i in everyone][-1] == unscored["id"] and everyone[-1]["weighted_score"] is None


def test_numbered_pages_refuse_a_next_token_and_keep_the_department_scope(api: Api, req_id: str) -> None:
    # Given an application
    new_app(api, req_id, 350)
    # When a next_token comes with a page number: 400 naming it
    mixed = listing(api, req_id, "page=1&next_token=abc")
    assert mixed.status_code == 400 and mixed.data["error"]["details"][0]["field"] == "next_token"
    # And a page number below 1: 400 naming it
    assert listing(api, req_id, "page=0").data["error"]["details"][0]["field"] == "page"
    # And the retail manager may search the department's requisition; another department's may not
    assert listing(api, req_id, "q=张", role="manager").status_code == 200
    assert listing(api, req_id, "q=张", role="manager2").status_code == 403
