"""The development path an offer promises, from the competency profile: the strongest dimensions
(confidence-weighted, at or above the bar) choose a career track, the weak ones (below the bar) the
first-year training. Pure rules; the same profile gives the same path."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from shared.domain.onboarding import plan_dimensions
from shared.models.common import Dimension
from shared.models.offer import DevelopmentPath, FirstYearCourse
from shared.models.training import Course
from shared.vocabulary import DIMENSIONS, dimension_zh

STRENGTH_MARGIN = 5.0  # a strength scores at least this much above its bar (or 80 where there is no bar)
DEFAULT_BAR = 75
TRACKS: dict[Dimension, tuple[str, str]] = {
    Dimension.customer_orientation: (
        "客户经理进阶通道（高级客户经理）",
        "customer manager track (senior customer manager)",
    ),
    Dimension.risk_awareness: ("风险管理专业通道", "risk management specialist track"),
    Dimension.data_analysis: ("数据分析专业通道", "data analysis specialist track"),
    Dimension.innovation: ("创新人才培养（创新人才库）", "innovation talent programme (innovation talent pool)"),
    Dimension.logic: ("专业技术通道", "professional specialist track"),
    Dimension.expression: ("营销与内训讲师通道", "sales and in-house trainer track"),
    Dimension.teamwork: ("管理培训生通道（团队管理）", "management trainee track (team leadership)"),
    Dimension.stress_tolerance: ("一线业务骨干通道", "front-line business lead track"),
}
GENERAL_TRACK = ("岗位专业通道", "the role's professional track")


def development_path(
    scores: Mapping[Dimension, float],
    bar: Mapping[Dimension, int],
    catalogue: Sequence[Course],
    start_date: date,
) -> DevelopmentPath:
    """``scores`` are the confidence-weighted dimension scores; strengths choose the track, dimensions
    below the bar get the first-year training (the courses the training plan will hold)."""
    strengths = sorted(
        (d for d, s in scores.items() if s >= bar.get(d, DEFAULT_BAR) + STRENGTH_MARGIN),
        key=lambda d: (-scores[d], list(Dimension).index(d)),
    )[:2]
    track_zh, track_en = TRACKS[strengths[0]] if strengths else GENERAL_TRACK
    planned = plan_dimensions(scores, bar, catalogue, start_date)
    training = [
        FirstYearCourse(dimension=p.dimension, course_id=c.course_id, title_zh=c.title_zh, title_en=c.title_en)
        for p in planned
        for c in p.courses[:1]
    ]
    strong_zh = "、".join(f"{dimension_zh(d)} {scores[d]:g}" for d in strengths) or "无突出维度"
    strong_en = ", ".join(f"{DIMENSIONS[d].en_text} {scores[d]:g}" for d in strengths) or "no dimension stands out"
    weak_zh = "、".join(f"{dimension_zh(p.dimension)} {scores[p.dimension]:g}（要求 {p.bar}）" for p in planned) or "无"
    weak_en = ", ".join(f"{DIMENSIONS[p.dimension].en_text} {scores[p.dimension]:g} (bar {p.bar})" for p in planned)
    return DevelopmentPath(
        track_zh=track_zh,
        track_en=track_en,
        strengths=strengths,
        weak_dimensions=[p.dimension for p in planned],
        first_year_training=training,
        basis_zh=f"优势维度（可信度加权）：{strong_zh}；待提升维度：{weak_zh}",
        basis_en=f"strengths (confidence-weighted): {strong_en}; to develop: {weak_en or 'none'}",
    )
