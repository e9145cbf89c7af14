"""The talent archive's read side: the competency radar (JSON or SVG)."""

from __future__ import annotations

from typing import Any

from chalice.app import Response as ChaliceResponse

from functions.http import Call, ok
from functions.verbs import Routes
from shared.domain import radar
from shared.errors import NotFound
from shared.models.radar import RadarAxisView, RadarQuery, RadarView
from shared.security.policy import Action
from shared.services.access import authorized_application
from shared.services.requisitions import Requisitions

bp = Routes(__name__)


@bp.get("/applications/{application_id}/radar", query=RadarQuery, response=RadarView)
def get_radar(call: Call[None, RadarQuery], application_id: str) -> Any:
    """AI interview scores per requisition dimension against the bar, with strengths and weak dimensions.

    ``?format=svg`` answers the same radar drawn as ``image/svg+xml`` (labels in Chinese with the English
    key). 404 while the application has no AI interview result."""
    app = authorized_application(call.who, Action.archive_read, application_id)
    query = call.query
    if app.ai is None:
        raise NotFound(f"application {app.id} has no AI interview result yet")
    req = Requisitions().require(app.requisition_id)
    chart = radar.build(req.dimension_weights, app.ai.dimension_scores, req.competency_bar)
    if query.format == "svg":
        title = f"{app.name} · {req.title} · AI面试能力雷达图"
        return ChaliceResponse(
            body=radar.render_svg(chart, title),
            status_code=200,
            headers={"Content-Type": "image/svg+xml; charset=utf-8"},
        )
    view = RadarView(
        application_id=app.id,
        requisition_id=req.id,
        dimensions=[RadarAxisView(**a.__dict__) for a in chart.axes],
        strengths=chart.strengths,
        weak=chart.weak,
        rule=radar.RULE,
        overall_score=app.ai.overall_score,
        weighted_score=app.ai.weighted_score,
        model_version=app.ai.model_version,
        completed_at=app.ai.completed_at,
    )
    return ok(view)
