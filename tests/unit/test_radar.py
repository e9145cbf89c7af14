"""The competency radar: flags against the bar, the rule without a bar, and the hand-drawn SVG."""

from __future__ import annotations

from xml.etree import ElementTree

from shared.domain import radar
from shared.models.common import Dimension as D

SVG = "{http://www.w3.org/2000/svg}"
# The sample requisition (events/requisition-customer-manager.json): six weighted dimensions, four bars.
WEIGHTS = {
    D.customer_orientation: 0.3,
    D.logic: 0.2,
    D.expression: 0.2,
    D.teamwork: 0.1,
    D.risk_awareness: 0.1,
    D.data_analysis: 0.1,
}
BAR = {D.logic: 70.0, D.expression: 75.0, D.customer_orientation: 80.0, D.teamwork: 70.0}


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg.encode("utf-8"))  # noqa: S314 - our own output, under test


def polygon_points(root: ElementTree.Element, cls: str) -> list[tuple[float, float]]:
    polygon = next(p for p in root.iter(f"{SVG}polygon") if p.get("class") == cls)
    return [(float(x), float(y)) for x, y in (pair.split(",") for pair in (polygon.get("points") or "").split())]


def test_dimensions_with_a_bar_are_strengths_at_or_above_it_and_weak_below() -> None:
    # Given scores around the bar (customer orientation exactly at it)
    scores = {D.logic: 85, D.expression: 72, D.customer_orientation: 80, D.teamwork: 65, D.risk_awareness: 90}
    # When the radar is built
    chart = radar.build(WEIGHTS, scores, BAR)
    # Then the axes follow the canonical dimension order, not the requisition's
    assert [a.dimension for a in chart.axes] == [
        "logic",
        "expression",
        "customer_orientation",
        "risk_awareness",
        "teamwork",
        "data_analysis",
    ]
    by = {a.dimension: a for a in chart.axes}
    assert (by["logic"].strength, by["logic"].weak) == (True, False)
    assert (by["customer_orientation"].strength, by["customer_orientation"].weak) == (True, False)
    assert (by["expression"].strength, by["expression"].weak) == (False, True)
    assert by["teamwork"].weak and by["teamwork"].bar == 70
    # And without a bar a top-three score of at least 60 is a strength, never weak
    assert by["risk_awareness"].strength and not by["risk_awareness"].weak and by["risk_awareness"].bar is None
    # And a dimension the vendor did not score has no score and no flag
    assert by["data_analysis"].score is None and not by["data_analysis"].strength and not by["data_analysis"].weak
    assert chart.strengths == ["logic", "customer_orientation", "risk_awareness"]
    assert chart.weak == ["expression", "teamwork"]
    assert by["logic"].label == "逻辑思维" and by["customer_orientation"].weight == 0.3


def test_without_any_bar_the_top_three_scores_of_at_least_sixty_are_strengths() -> None:
    # Given a requisition with no bar, a tie at the third-highest score and a low top score set
    weights = {d: 1 / 8 for d in D}
    scores = {
        D.logic: 90,
        D.expression: 88,
        D.innovation: 70,
        D.teamwork: 70,
        D.data_analysis: 69,
        D.risk_awareness: 40,
        D.stress_tolerance: 30,
        D.customer_orientation: 20,
    }
    # When the radar is built / Then the ties at the cut-off count and nothing is weak
    chart = radar.build(weights, scores, {})
    assert chart.strengths == ["logic", "expression", "innovation", "teamwork"]
    assert chart.weak == []
    # And a top score below 60 is not a strength
    low = radar.build({D.logic: 0.5, D.teamwork: 0.5}, {D.logic: 59, D.teamwork: 40}, {})
    assert low.strengths == [] and low.weak == []


def test_scores_of_dimensions_the_requisition_does_not_weigh_are_ignored() -> None:
    chart = radar.build({D.logic: 1.0}, {D.logic: 75, D.innovation: 99}, {D.logic: 80})
    assert [a.dimension for a in chart.axes] == ["logic"]
    assert chart.weak == ["logic"] and chart.strengths == []


def test_svg_is_valid_xml_with_one_point_per_dimension_and_labels_in_chinese_and_english() -> None:
    # Given the sample radar and a title with markup characters
    scores = {D.logic: 85, D.expression: 72.5, D.customer_orientation: 80, D.teamwork: 65, D.risk_awareness: 90}
    chart = radar.build(WEIGHTS, scores, BAR)
    title = '张三 <script>alert("x")</script> & 客户经理'
    # When it is drawn
    svg = radar.render_svg(chart, title)
    # Then it parses as SVG, the title survives escaping unchanged
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    heading = root.find(f"{SVG}title")
    assert heading is not None and heading.text == title
    assert not list(root.iter(f"{SVG}script"))
    # And the score and bar polygons have one point per dimension
    score_points, bar_points = polygon_points(root, "score"), polygon_points(root, "bar")
    assert len(score_points) == len(bar_points) == 6
    # And the first axis points straight up: logic's score 85 at 85 % of the radius above the centre
    assert score_points[0][0] == radar.CX
    assert abs((radar.CY - score_points[0][1]) - 0.85 * radar.RADIUS) < 0.01
    # And a missing bar (risk awareness) and a missing score (data analysis) sit at the centre
    assert bar_points[3] == (radar.CX, radar.CY)
    assert score_points[5] == (radar.CX, radar.CY)
    # And each axis is labelled in Chinese with the English key and its values
    labels = {t.get("data-dimension"): "".join(t.itertext()) for t in root.iter(f"{SVG}text") if t.get("class")}
    assert set(labels) == {a.dimension for a in chart.axes}
    assert "逻辑思维" in labels["logic"] and "logic" in labels["logic"] and "85 / 门槛 70" in labels["logic"]
    assert "语言表达" in labels["expression"] and "72.5 / 门槛 75" in labels["expression"]
    assert "数据分析" in labels["data_analysis"] and "– / 门槛 –" in labels["data_analysis"]
    # And the grid has five rings of six points
    grids = [p for p in root.iter(f"{SVG}polygon") if p.get("class") == "grid"]
    assert len(grids) == 5 and all(len((g.get("points") or "").split()) == 6 for g in grids)


def test_an_empty_radar_still_draws() -> None:
    root = parse(radar.render_svg(radar.Radar(()), "空"))
    assert not list(root.iter(f"{SVG}polygon"))
