"""The competency radar of an application: JSON and SVG, access by role, no AI result yet."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

import pytest

from shared.models.common import Dimension as D
from tests.support.api import Api
from tests.support.archive import ai_result, update_application
from tests.support.hiring import make
from tests.support.ids import person

SVG = "{http://www.w3.org/2000/svg}"
SCORES = {D.logic: 85, D.expression: 78, D.customer_orientation: 82, D.teamwork: 64, D.risk_awareness: 91}


@pytest.fixture
def application(api: Api) -> dict[str, Any]:
    """An application to the sample requisition (零售金融部, six dimensions, bars on four) with an AI result."""
    req_id = make(api, title="对公客户经理 <2027> & 校招").data["id"]
    app = dict(api.call("POST", f"/requisitions/{req_id}/applications", body=person(7)).data)
    update_application(app["id"], ai=ai_result(SCORES, overall=81.5))
    return app


def svg_get(api: Api, path: str, role: str = "hr") -> Any:
    return api.client.http.get(path, headers=api.stack.auth(role))


def test_radar_compares_each_requisition_dimension_with_its_bar(api: Api, application: dict[str, Any]) -> None:
    # When HR asks for the radar
    response = api.call("GET", f"/applications/{application['id']}/radar")
    # Then every weighted dimension is there in canonical order with its score, bar and flags
    assert response.status_code == 200, response.data
    radar = response.data
    assert radar["application_id"] == application["id"]
    assert radar["requisition_id"] == application["requisition_id"]
    rows = {d["dimension"]: d for d in radar["dimensions"]}
    assert list(rows) == ["logic", "expression", "customer_orientation", "risk_awareness", "teamwork", "data_analysis"]
    assert rows["logic"] == {
        "dimension": "logic",
        "label": "逻辑思维",
        "weight": 0.2,
        "score": 85.0,
        "bar": 70.0,
        "strength": True,
        "weak": False,
    }
    assert rows["expression"]["bar"] == 75 and rows["expression"]["strength"]
    assert rows["teamwork"]["weak"] and not rows["teamwork"]["strength"]
    # And a dimension without a bar has a null bar; without a score, a null score and no flag
    assert rows["risk_awareness"]["bar"] is None and rows["risk_awareness"]["strength"]
    assert rows["data_analysis"]["score"] is None and not rows["data_analysis"]["weak"]
    assert radar["strengths"] == ["logic", "expression", "customer_orientation", "risk_awareness"]
    assert radar["weak"] == ["teamwork"]
    assert "score ≥ bar" in radar["rule"]
    assert radar["overall_score"] == 81.5 and radar["model_version"] == "m-2026.1"


def test_radar_as_svg_is_a_chart_with_a_point_per_dimension(api: Api, application: dict[str, Any]) -> None:
    # When HR asks for the radar as SVG
    response = svg_get(api, f"/applications/{application['id']}/radar?format=svg")
    # Then it is an SVG document, valid XML, with the score and bar polygons of six points
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("image/svg+xml")
    root = ElementTree.fromstring(response.body)  # noqa: S314 - our own output, under test
    polygons = {p.get("class"): p.get("points", "").split() for p in root.iter(f"{SVG}polygon")}
    assert len(polygons["score"]) == len(polygons["bar"]) == 6
    # And the labels are in Chinese with the English key, and the title (with markup) is escaped
    text = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    for zh, key in (("逻辑思维", "logic"), ("客户导向", "customer_orientation"), ("团队协作", "teamwork")):
        assert zh in text and key in text
    title = root.find(f"{SVG}title")
    assert title is not None and "对公客户经理 <2027> & 校招" in (title.text or "")


def test_who_may_read_the_radar(api: Api, application: dict[str, Any]) -> None:
    path = f"/applications/{application['id']}/radar"
    # Given the application in 零售金融部 / Then HR and its manager may, others may not
    for role, status in (("hr", 200), ("manager", 200), ("manager2", 403), ("it", 403), ("interviewer", 403)):
        assert api.call("GET", path, role=role).status_code == status, role
        assert svg_get(api, path + "?format=svg", role).status_code == status, role
    # When the interviewer is assigned / Then they may too
    update_application(application["id"], interviewers=["interviewer.demo"])
    assert api.call("GET", path, role="interviewer").status_code == 200


def test_no_ai_result_yet_is_404_and_bad_queries_are_400(api: Api) -> None:
    # Given an application without an AI interview result
    req_id = make(api).data["id"]
    app_id = api.call("POST", f"/requisitions/{req_id}/applications", body=person(8)).data["id"]
    # Then its radar is 404 saying so, and an unknown application is 404 too
    response = api.call("GET", f"/applications/{app_id}/radar")
    assert response.status_code == 404
    assert response.data["error"] == {
        "code": "not_found",
        "message": f"application {app_id} has no AI interview result yet",
        "details": [],
    }
    assert api.call("GET", "/applications/nope/radar").status_code == 404
    # And an unknown format is 400 naming the parameter
    bad = api.call("GET", f"/applications/{app_id}/radar?format=png")
    assert bad.status_code == 400 and bad.data["error"]["details"][0]["field"] == "format"
