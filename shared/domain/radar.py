"""The competency radar: AI interview scores against the requisition's bar, and its SVG drawing.

Axes are the requisition's dimensions (the keys of ``dimension_weights``) in the canonical order of
``Dimension``. Flags, per dimension with a score:

* with a bar: **strength** when the score is at or above the bar, **weak** when it is below;
* without a bar: never weak (there is nothing to fall short of); a **strength** when the score is
  among the applicant's ``TOP_N`` highest scores on the requisition's dimensions (ties at the cut-off
  count) and at least ``STRENGTH_FLOOR``.

A dimension without a score (the vendor did not assess it) has no flag. In the drawing a missing
score or bar is drawn at 0, the centre: no bar means no minimum.

Pure logic: no I/O, no AWS, no web framework; the SVG is written by hand (no dependency).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from shared.models.common import Dimension
from shared.models.radar import RadarAxisView
from shared.vocabulary import DIMENSION_ORDER, dimension_zh

TOP_N = 3
STRENGTH_FLOOR = 60.0
RULE = (
    "strength: score ≥ bar; weak: score < bar. Without a bar a dimension is never weak, and is a strength "
    f"when its score is among the applicant's {TOP_N} highest (ties included) and at least {STRENGTH_FLOOR:g}."
)


# An axis is what the API shows of it (dimension, label, weight, score, bar and the two flags).
Axis = RadarAxisView


@dataclass(frozen=True)
class Radar:
    axes: tuple[Axis, ...]

    @property
    def strengths(self) -> list[str]:
        return [a.dimension for a in self.axes if a.strength]

    @property
    def weak(self) -> list[str]:
        return [a.dimension for a in self.axes if a.weak]


def build(
    weights: Mapping[Dimension, float], scores: Mapping[Dimension, float], bar: Mapping[Dimension, float]
) -> Radar:
    """One axis per weighted dimension, flagged by the rule above. Scores of dimensions the
    requisition does not weigh are ignored."""
    dimensions = sorted(weights, key=lambda d: DIMENSION_ORDER[d])
    scored = sorted((float(scores[d]) for d in dimensions if d in scores), reverse=True)
    cutoff = scored[min(TOP_N, len(scored)) - 1] if scored else math.inf
    axes = []
    for d in dimensions:
        score = float(scores[d]) if d in scores else None
        limit = float(bar[d]) if d in bar else None
        if score is None:
            strength = weak = False
        elif limit is None:
            strength, weak = score >= cutoff and score >= STRENGTH_FLOOR, False
        else:
            strength, weak = score >= limit, score < limit
        name = Dimension(d).value
        axes.append(
            Axis(
                dimension=name,
                label=dimension_zh(name),
                weight=float(weights[d]),
                score=score,
                bar=limit,
                strength=strength,
                weak=weak,
            )
        )
    return Radar(tuple(axes))


# -- drawing -----------------------------------------------------------------------------------
WIDTH, HEIGHT = 640, 600
CX, CY, RADIUS = 320.0, 310.0, 190.0
RINGS = (20, 40, 60, 80, 100)
FONT = "'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif"
SCORE_COLOUR, BAR_COLOUR, WEAK_COLOUR, STRONG_COLOUR = "#2563eb", "#d97706", "#dc2626", "#059669"


def _num(v: float | None) -> str:
    if v is None:
        return "–"
    return f"{v:.0f}" if float(v).is_integer() else f"{v:.1f}"


def _angle(i: int, n: int) -> float:
    return -math.pi / 2 + 2 * math.pi * i / n  # the first axis points up, then clockwise


def _point(i: int, n: int, value: float) -> tuple[float, float]:
    r = RADIUS * max(0.0, min(100.0, value)) / 100
    a = _angle(i, n)
    return CX + r * math.cos(a), CY + r * math.sin(a)


def _points(values: list[float]) -> str:
    n = len(values)
    return " ".join(f"{x:.2f},{y:.2f}" for x, y in (_point(i, n, v) for i, v in enumerate(values)))


def render_svg(radar: Radar, title: str) -> str:
    """A standalone SVG document: grid rings, axes, the bar polygon (dashed), the score polygon, and
    per axis the Chinese label, the English key, the score and the bar. All text is escaped."""
    n = len(radar.axes)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="radar-title" font-family="{FONT}">',
        f'<title id="radar-title">{escape(title)}</title>',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        f'<text x="{CX:.0f}" y="28" text-anchor="middle" font-size="16" font-weight="bold">{escape(title)}</text>',
    ]
    if n == 0:
        out.append(f'<text x="{CX:.0f}" y="{CY:.0f}" text-anchor="middle" font-size="14">无维度 no dimensions</text>')
        out.append("</svg>")
        return "\n".join(out)
    for ring in RINGS:
        out.append(
            f'<polygon class="grid" points="{_points([ring] * n)}" fill="none" stroke="#d1d5db" stroke-width="1"/>'
        )
    for i in range(n):
        x, y = _point(i, n, 100)
        out.append(f'<line class="axis" x1="{CX:.2f}" y1="{CY:.2f}" x2="{x:.2f}" y2="{y:.2f}" stroke="#9ca3af"/>')
    out.append(
        f'<polygon class="bar" points="{_points([a.bar or 0.0 for a in radar.axes])}" fill="none" '
        f'stroke="{BAR_COLOUR}" stroke-width="2" stroke-dasharray="6 4"/>'
    )
    out.append(
        f'<polygon class="score" points="{_points([a.score or 0.0 for a in radar.axes])}" '
        f'fill="{SCORE_COLOUR}" fill-opacity="0.25" stroke="{SCORE_COLOUR}" stroke-width="2"/>'
    )
    for i, axis in enumerate(radar.axes):
        x, y = _point(i, n, axis.score or 0.0)
        tip = f"{axis.label} {axis.dimension}: {_num(axis.score)} / {_num(axis.bar)}"
        out.append(
            f'<circle class="score-point" cx="{x:.2f}" cy="{y:.2f}" r="4" fill="{SCORE_COLOUR}">'
            f"<title>{escape(tip)}</title></circle>"
        )
    for i, axis in enumerate(radar.axes):
        out.append(_label(i, n, axis))
    legend_y = HEIGHT - 24
    out += [
        f'<rect x="24" y="{legend_y - 10}" width="14" height="10" fill="{SCORE_COLOUR}" fill-opacity="0.5"/>',
        f'<text x="44" y="{legend_y}" font-size="12">AI得分 score</text>',
        f'<line x1="150" y1="{legend_y - 5}" x2="176" y2="{legend_y - 5}" stroke="{BAR_COLOUR}" '
        'stroke-width="2" stroke-dasharray="6 4"/>',
        f'<text x="182" y="{legend_y}" font-size="12">岗位门槛 bar</text>',
        f'<text x="300" y="{legend_y}" font-size="12" fill="{STRONG_COLOUR}">优势 strength</text>',
        f'<text x="400" y="{legend_y}" font-size="12" fill="{WEAK_COLOUR}">待提升 weak</text>',
        "</svg>",
    ]
    return "\n".join(out)


def _label(i: int, n: int, axis: Axis) -> str:
    a = _angle(i, n)
    x, y = CX + (RADIUS + 28) * math.cos(a), CY + (RADIUS + 28) * math.sin(a)
    cos = math.cos(a)
    anchor = "middle" if abs(cos) < 0.3 else ("start" if cos > 0 else "end")
    y -= 10 if math.sin(a) < -0.3 else (-6 if math.sin(a) > 0.3 else 0)
    colour = WEAK_COLOUR if axis.weak else STRONG_COLOUR if axis.strength else "#111827"
    flag = " ▲" if axis.strength else " ▼" if axis.weak else ""
    values = f"{_num(axis.score)} / 门槛 {_num(axis.bar)}"
    return (
        f'<text class="label" x="{x:.2f}" y="{y:.2f}" text-anchor="{anchor}" font-size="13" fill="{colour}" '
        f"data-dimension={quoteattr(axis.dimension)}>"
        f'<tspan font-weight="bold">{escape(axis.label + flag)}</tspan>'
        f'<tspan x="{x:.2f}" dy="15" font-size="11">{escape(axis.dimension)}</tspan>'
        f'<tspan x="{x:.2f}" dy="14" font-size="11">{escape(values)}</tspan>'
        "</text>"
    )
