"""Analytics charts as standalone SVG documents, drawn by hand like the radar (no plotting library):
validity per dimension (bars with 95 % interval whiskers), the attrition trend per cohort (a line),
and interview score band vs performance (bars). Every text is escaped."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from shared.domain.radar import FONT
from shared.vocabulary import DIMENSIONS

WIDTH, HEIGHT = 720, 420
LEFT, RIGHT, TOP, BOTTOM = 70, 30, 60, 90
BLUE, RED, GREY = "#2563eb", "#dc2626", "#9ca3af"
BAND_NOTE = "面试综合分段 vs 绩效均分（竖线：95% 区间）hiring-score band vs mean performance (95 % interval)"


def _frame(title: str) -> list[str]:
    return [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="chart-title" font-family="{FONT}">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        f'<text x="{WIDTH / 2:.0f}" y="28" text-anchor="middle" font-size="16" font-weight="bold">'
        f"{escape(title)}</text>",
    ]


def _empty(out: list[str]) -> str:
    out.append(
        f'<text x="{WIDTH / 2:.0f}" y="{HEIGHT / 2:.0f}" text-anchor="middle" font-size="14">无数据 no data</text>'
    )
    out.append("</svg>")
    return "\n".join(out)


def _axis(out: list[str], low: float, high: float, ticks: Sequence[float], fmt: str) -> None:
    plot_h = HEIGHT - TOP - BOTTOM
    for t in ticks:
        y = TOP + plot_h * (high - t) / (high - low)
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#e5e7eb"/>')
        out.append(f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{fmt.format(t)}</text>')


def _y(v: float, low: float, high: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (high - v) / (high - low)


def validity_chart(rows: Sequence[dict[str, object]], title: str) -> str:
    """``rows``: {"dimension", "pearson", "pearson_low", "pearson_high", "n", "significant"}; r from −1 to 1."""
    out = _frame(title)
    rows = [r for r in rows if r.get("pearson") is not None]
    if not rows:
        return _empty(out)
    _axis(out, -1, 1, [-1, -0.5, 0, 0.5, 1], "{:+.1f}")
    slot = (WIDTH - LEFT - RIGHT) / len(rows)
    zero = _y(0, -1, 1)
    for i, r in enumerate(rows):
        r_value = float(r["pearson"])  # type: ignore[arg-type]
        x = LEFT + slot * i + slot * 0.2
        w = slot * 0.6
        y = _y(r_value, -1, 1)
        colour = BLUE if r.get("significant") else GREY
        tip = f"{r['dimension']}: r = {r_value:+.2f}, n = {r['n']}"
        out.append(
            f'<rect class="bar" x="{x:.1f}" y="{min(y, zero):.1f}" width="{w:.1f}" height="{abs(zero - y):.1f}" '
            f'fill="{colour}"><title>{escape(tip)}</title></rect>'
        )
        if r.get("pearson_low") is not None and r.get("pearson_high") is not None:
            lo, hi = _y(float(r["pearson_low"]), -1, 1), _y(float(r["pearson_high"]), -1, 1)  # type: ignore[arg-type]
            cx = x + w / 2
            out.append(f'<line class="ci" x1="{cx:.1f}" y1="{lo:.1f}" x2="{cx:.1f}" y2="{hi:.1f}" stroke="#111827"/>')
        term = DIMENSIONS.get(str(r["dimension"]))
        label = f"{term.zh if term else ('面试综合分' if r['dimension'] == 'hiring_score' else '')} {r['dimension']}"
        lx, ly = x + w / 2, HEIGHT - BOTTOM + 14
        out.append(
            f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="11" text-anchor="end" '
            f'transform="rotate(-35 {lx:.1f} {ly:.1f})">{escape(label)}</text>'
        )
    out.append(f'<line x1="{LEFT}" y1="{zero:.1f}" x2="{WIDTH - RIGHT}" y2="{zero:.1f}" stroke="#111827"/>')
    out.append(
        f'<text x="{LEFT}" y="{HEIGHT - 12}" font-size="11">蓝色：Holm 校正后显著 (significant after Holm); '
        "灰色：不显著 (not significant); 竖线：95% CI; 仅已录用人员 hires only</text>"
    )
    out.append("</svg>")
    return "\n".join(out)


def trend_chart(points: Sequence[tuple[str, float, int]], title: str) -> str:
    """``points``: (cohort, attrition rate 0–1, hires), in cohort order."""
    out = _frame(title)
    if not points:
        return _empty(out)
    high = max(0.2, max(p[1] for p in points) * 1.2)
    _axis(out, 0, high, [high * k / 4 for k in range(5)], "{:.0%}")
    step = (WIDTH - LEFT - RIGHT) / max(1, len(points) - 1) if len(points) > 1 else 0
    coords = []
    for i, (cohort, rate, hires) in enumerate(points):
        x = LEFT + step * i if len(points) > 1 else (LEFT + WIDTH - RIGHT) / 2
        y = _y(rate, 0, high)
        coords.append(f"{x:.1f},{y:.1f}")
        out.append(
            f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{RED}">'
            f"<title>{escape(f'{cohort}: {rate:.1%} of {hires} hires')}</title></circle>"
        )
        out.append(
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" font-size="11">{escape(cohort)}</text>'
        )
    out.append(f'<polyline class="trend" points="{" ".join(coords)}" fill="none" stroke="{RED}" stroke-width="2"/>')
    out.append(
        f'<text x="{LEFT}" y="{HEIGHT - 12}" font-size="11">3个月流失率 3-month attrition by hiring cohort</text>'
    )
    out.append("</svg>")
    return "\n".join(out)


def band_chart(rows: Sequence[dict[str, object]], title: str) -> str:
    """``rows``: {"band", "n", "mean_performance", "mean_low", "mean_high"} on 0–100; bands without a
    mean (too few people) are left out."""
    out = _frame(title)
    rows = [r for r in rows if r.get("mean_performance") is not None]
    if not rows:
        return _empty(out)
    _axis(out, 0, 100, [0, 20, 40, 60, 80, 100], "{:.0f}")
    slot = (WIDTH - LEFT - RIGHT) / len(rows)
    base = _y(0, 0, 100)
    for i, r in enumerate(rows):
        value = float(r["mean_performance"])  # type: ignore[arg-type]
        x, w = LEFT + slot * i + slot * 0.25, slot * 0.5
        y = _y(value, 0, 100)
        tip = "{}: {:.1f} (n = {})".format(r["band"], value, r["n"])
        out.append(
            f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{base - y:.1f}" fill="{BLUE}">'
            f"<title>{escape(tip)}</title></rect>"
        )
        if r.get("mean_low") is not None and r.get("mean_high") is not None:
            lo, hi = _y(float(r["mean_low"]), 0, 100), _y(float(r["mean_high"]), 0, 100)  # type: ignore[arg-type]
            cx = x + w / 2
            out.append(f'<line class="ci" x1="{cx:.1f}" y1="{lo:.1f}" x2="{cx:.1f}" y2="{hi:.1f}" stroke="#111827"/>')
        out.append(
            f'<text x="{x + w / 2:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" font-size="12">'
            f"{escape(str(r['band']))}</text>"
        )
    out.append(f'<text x="{LEFT}" y="{HEIGHT - 12}" font-size="11">{escape(BAND_NOTE)}</text>')
    out.append("</svg>")
    return "\n".join(out)
