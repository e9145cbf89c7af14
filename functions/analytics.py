"""The closed analytics loop (hr): validity of interview dimensions, conditional statements,
re-weighting proposals and their approval, high potentials, attrition by score band and its risk
model, development plans; every table also as CSV / XLSX, the charts as SVG. (The nightly run is in
``functions.consumers.schedules``.)"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from chalice.app import Response as ChaliceResponse

from functions.http import Call, ok
from functions.verbs import Routes
from shared import clock
from shared.domain import charts
from shared.domain.exports import CSV, XLSX, to_csv, to_xlsx
from shared.domain.onboarding import cohort_of, month_shift
from shared.models.analytics import (
    AnalyticsResult,
    ApprovedWeights,
    CohortQuery,
    ConditionalQuery,
    CycleAnalyticsQuery,
    ReweightQuery,
    ValidityQuery,
    WeightsApproval,
)
from shared.models.common import RoleFamily
from shared.models.performance import DevelopmentPlan
from shared.security.policy import Action, authorize
from shared.services.performance import Performance

if TYPE_CHECKING:
    from shared.services.analytics import Analytics

bp = Routes(__name__)
Q = TypeVar("Q")


def _analytics() -> Analytics:
    """The analytics service, imported on first use: numpy loads on these paths only, not at ``import app``."""
    from shared.services.analytics import Analytics

    return Analytics()


def _today() -> Any:
    return clock.now().date()


def respond(result: AnalyticsResult, fmt: str, svg: str | None = None) -> Any:
    """JSON, or the result's table as CSV / XLSX (formula injection neutralised), or its chart as SVG."""
    name = result.kind.replace("/", "-")
    if fmt == "csv":
        headers: dict[str, str | list[str]] = {
            "Content-Type": CSV,
            "Content-Disposition": f'attachment; filename="{name}.csv"',
        }
        return ChaliceResponse(body=to_csv(result.items).decode("utf-8"), status_code=200, headers=headers)
    if fmt == "xlsx":
        headers = {"Content-Type": XLSX, "Content-Disposition": f'attachment; filename="{name}.xlsx"'}
        return ChaliceResponse(body=to_xlsx(result.items, name), status_code=200, headers=headers)
    if fmt == "svg":
        if svg is None:
            from shared.errors import ValidationFailed

            raise ValidationFailed("no chart for this result", [{"field": "format", "message": "svg is not offered"}])
        return ChaliceResponse(body=svg, status_code=200, headers={"Content-Type": "image/svg+xml; charset=utf-8"})
    return ok(result)


def _hr_query(call: Call[None, Q]) -> Q:
    """The query of an analytics read, once the caller is known to be HR."""
    authorize(call.who, Action.analytics_read)
    return call.query


def _months(query: CohortQuery) -> tuple[str, str]:
    until = query.until or cohort_of(_today())
    return query.since or month_shift(until, -11), until


@bp.get("/analytics/validity", query=ValidityQuery, response=AnalyticsResult)
def validity(call: Call[None, ValidityQuery]) -> Any:
    """Validity of the hiring score and each interview dimension for one cycle's performance (hr):
    Pearson r and Spearman ρ with n, Fisher-z 95 % intervals (Fieller's for ρ) and Holm-adjusted
    p-values, overall, per role family and (exploratory) per hiring cohort; hires only, with an
    optional Thorndike case II estimate for all applicants (``range_correction=true``).

    ``format=svg``: validity per dimension (overall, or the named family) as a bar chart."""
    q = _hr_query(call)
    out = _analytics().validity(q.cycle_id, q.role_family, q.min_n, q.range_correction)
    result = AnalyticsResult(kind="validity", parameters=q.model_dump(mode="json"), **out)
    svg = None
    if q.format == "svg":
        family = q.role_family.value if q.role_family else "all"
        overall = [i for i in out["items"] if i["role_family"] == family and i["cohort"] == "all"]
        svg = charts.validity_chart(overall, f"面试维度效度 Validity per dimension ({family})")
    return respond(result, q.format, svg)


@bp.get("/analytics/conditional", query=ConditionalQuery, response=AnalyticsResult)
def conditional(call: Call[None, ConditionalQuery]) -> Any:
    """P(performance ≥ p | dimension ≥ d) with n and Wilson 95 % intervals (hr), e.g.
    "P(performance ≥ 90 | logic ≥ 80) = 30 % (95 % interval 22 %–38 %), n = 120"; below the minimum n
    "not enough data (n = …, needed …)"."""
    q = _hr_query(call)
    out = _analytics().conditional(
        q.cycle_id, q.role_family, q.dimension, q.dimension_threshold, q.performance_threshold
    )
    result = AnalyticsResult(kind="conditional", parameters=q.model_dump(mode="json"), **out)
    return respond(result, q.format)


@bp.get("/analytics/reweighting/{role_family}", query=ReweightQuery, response=AnalyticsResult)
def reweighting(call: Call[None, ReweightQuery], role_family: str) -> Any:
    """The re-weighting proposal for a family (hr): Holm-guarded validity weights shrunk toward the
    weights hiring used, within a bounded step; the out-of-sample gain with its interval, n, and
    whether it may be approved (the minimum of rated hires)."""
    q = _hr_query(call)
    out = _analytics().reweighting(q.cycle_id, _family(role_family))
    result = AnalyticsResult(kind="reweighting", parameters=q.model_dump(mode="json"), **out)
    return respond(result, q.format)


@bp.post("/analytics/reweighting/{role_family}/approval", body=WeightsApproval, response=ApprovedWeights, status=201)
def approve(call: Call[WeightsApproval, None], role_family: str) -> Any:
    """Approve the current proposal (hr) with a reason: new requisitions of the family that name no
    weights get these weights; requisitions created before keep theirs. 409 when there is no proposal
    or fewer rated hires than the minimum; the approval keeps old and new weights, n and the gain."""
    authorize(call.who, Action.weights_approve)
    body = call.body
    approved = _analytics().approve_weights(
        body.cycle_id, _family(role_family), body.reason, call.who.username, call.source_ip
    )
    return ok(ApprovedWeights.model_validate(approved), status=201)


@bp.get("/analytics/high-potential", query=CycleAnalyticsQuery, response=AnalyticsResult)
def high_potential(call: Call[None, CycleAnalyticsQuery]) -> Any:
    """High potentials of a cycle (hr): hiring score top 20 % ∩ performance top 10 % (the nightly run
    proposes them for the management-trainee pool); none below the minimum population."""
    q = _hr_query(call)
    out = _analytics().high_potential(q.cycle_id, q.role_family)
    return respond(AnalyticsResult(kind="high-potential", parameters=q.model_dump(mode="json"), **out), q.format)


@bp.get("/analytics/band-performance", query=CycleAnalyticsQuery, response=AnalyticsResult)
def band_performance(call: Call[None, CycleAnalyticsQuery]) -> Any:
    """Mean performance per hiring-score band with its 95 % interval (hr); a band under the minimum
    size shows its n only; ``format=svg`` draws it."""
    q = _hr_query(call)
    out = _analytics().band_performance(q.cycle_id, q.role_family)
    result = AnalyticsResult(kind="band-performance", parameters=q.model_dump(mode="json"), **out)
    svg = charts.band_chart(out["items"], "面试分段与绩效 Interview band vs performance") if q.format == "svg" else None
    return respond(result, q.format, svg)


@bp.get("/analytics/attrition-bands", query=CohortQuery, response=AnalyticsResult)
def attrition_bands(call: Call[None, CohortQuery]) -> Any:
    """3-month attrition by hiring-score band and hiring cohort (hr), with Wilson 95 % intervals; hires
    whose 90 days have passed; a cell under the minimum size shows its counts only.

    ``format=svg``: the attrition trend per cohort."""
    q = _hr_query(call)
    since, until = _months(q)
    analytics = _analytics()
    out = analytics.attrition_bands(since, until, _today())
    params = {"since": since, "until": until, "window_days": 90, "format": q.format}
    result = AnalyticsResult(kind="attrition-bands", parameters=params, **out)
    svg = None
    if q.format == "svg":
        svg = charts.trend_chart(analytics.attrition_trend(since, until, _today()), "流失趋势 Attrition trend")
    return respond(result, q.format, svg)


@bp.get("/analytics/attrition-risk", query=CohortQuery, response=AnalyticsResult)
def attrition_risk(call: Call[None, CohortQuery]) -> Any:
    """Attrition risk of current employees from the cohorts' hires (hr): the model's held-out AUC with
    DeLong's interval, Brier score and calibration in ``summary``; per person the risk and the factors
    pushing it, only from enough mature hires and when the AUC interval is above the floor."""
    q = _hr_query(call)
    since, until = _months(q)
    out = _analytics().attrition_risk(since, until, _today())
    params = {"since": since, "until": until, "format": q.format}
    return respond(AnalyticsResult(kind="attrition-risk", parameters=params, **out), q.format)


@bp.get("/employees/{employee_id}/development-plan", response=DevelopmentPlan)
def development_plan(call: Call, employee_id: str) -> Any:
    """A customised plan for the employee's weak dimensions (hr; manager of the department): per
    dimension why it is weak, training from the catalogue and a practical assignment."""
    employee = Performance().authorized(call.who, Action.performance_read, employee_id)
    return ok(DevelopmentPlan.model_validate(_analytics().development_plan(employee)))


def _family(value: str) -> RoleFamily:
    try:
        return RoleFamily(value)
    except ValueError:
        from shared.errors import ValidationFailed

        raise ValidationFailed(
            "unknown role family", [{"field": "role_family", "message": f"one of {[f.value for f in RoleFamily]}"}]
        ) from None
