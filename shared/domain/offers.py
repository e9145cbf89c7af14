"""Offers, the pure rules: the salary proposal, defaults, date checks, who may approve a step, and
the offer letter (its text, an HTML page and a PDF).

The PDF is drawn with reportlab's built-in CID font ``STSong-Light`` (Adobe's Chinese simplified
font pack that every PDF reader ships): the file references the font instead of embedding one, so
Chinese renders with no font file in the Lambda package, and the text stays extractable (the font
uses the ``UniGB-UCS2-H`` encoding, which maps straight to Unicode).
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from shared.models.offer import ApprovalStep, Offer, SalaryProposal

BANK_ZH = "中原银行股份有限公司"
BANK_EN = "Zhongyuan Bank Co., Ltd."
DEFAULT_DOCUMENTS = ["身份证", "学历学位证书", "离职证明", "体检报告", "银行卡", "一寸免冠照片"]
DEFAULT_BENEFITS = ["五险一金", "补充医疗保险", "企业年金", "带薪年假", "员工培训计划"]
FLOOR_SCORE = 60.0  # at or below: the band's minimum
CEILING_SCORE = 100.0  # the band's maximum
ROUND_TO = 100


def annual_band(minimum: int, maximum: int, period: str) -> tuple[int, int]:
    factor = 12 if period == "month" else 1
    return minimum * factor, maximum * factor


def propose_salary(
    band: tuple[int, int], weighted_score: float | None, score_basis: str | None = None
) -> SalaryProposal:
    """The default salary: the candidate's place in the band follows the weighted score (``score_basis``
    says how that score was made: the confidence-weighted one, with its explanation)."""
    low, high = band
    if weighted_score is None:
        position = 0.5
        why = "no AI interview score: the middle of the band"
    else:
        unclamped = (weighted_score - FLOOR_SCORE) / (CEILING_SCORE - FLOOR_SCORE)
        position = min(1.0, max(0.0, unclamped))
        label = f"{score_basis} → " if score_basis else "weighted AI score "
        why = f"{label}{weighted_score:g} → position ({weighted_score:g} − 60) ÷ 40 = {position:.2f}"
        if position != unclamped:
            why += " (clamped to 0…1)"
    raw = low + (high - low) * position
    salary = int(min(high, max(low, round(raw / ROUND_TO) * ROUND_TO)))
    basis = f"{why}; {low} + ({high} − {low}) × {position:.2f} = {raw:.0f} → {salary} (nearest {ROUND_TO} in band)"
    return SalaryProposal(annual_salary=salary, source="proposed", basis=basis)


def given_salary(band: tuple[int, int], salary: int) -> SalaryProposal | None:
    """HR's figure when it lies within the band (None otherwise)."""
    low, high = band
    if not low <= salary <= high:
        return None
    return SalaryProposal(annual_salary=salary, source="given", basis=f"set by HR within the band {low}–{high}")


def date_problems(start: date, expires: date, today: date) -> list[dict[str, str]]:
    problems = []
    if start <= today:
        problems.append({"field": "start_date", "message": f"must be after today ({today.isoformat()})"})
    if expires < today:
        problems.append({"field": "expires_on", "message": f"must not be before today ({today.isoformat()})"})
    elif expires >= start:
        problems.append({"field": "expires_on", "message": "must be before the start date"})
    return problems


@dataclass(frozen=True)
class Approver:
    username: str
    roles: tuple[str, ...]
    department: str | None


def refusal(step: ApprovalStep, who: Approver, department: str, created_by: str) -> str | None:
    """Why ``who`` may not decide ``step`` of an offer for ``department`` (None: they may)."""
    if step is ApprovalStep.department_manager:
        if "manager" not in who.roles:
            return "the department_manager step is decided by a manager of the department"
        if who.department != department:
            return "only a manager of the application's department may approve this offer"
        return None
    if "hr" not in who.roles:
        return "the hr_director step is decided by HR"
    if who.username == created_by:
        return "the hr_director step needs someone other than the person who made the offer"
    return None


# -- the letter ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Letter:
    title: tuple[str, str]
    greeting: tuple[str, str]
    body: list[tuple[str, str]]
    terms: list[tuple[str, str, str]]  # (label zh, label en, value)
    documents: list[str]
    benefits: list[str]
    closing: tuple[str, str]
    note: str | None
    development: list[tuple[str, str]] = field(default_factory=list)  # (zh, en) lines of the path


def money(amount: int, currency: str) -> str:
    symbol = "人民币" if currency == "CNY" else currency
    return f"{symbol} {amount:,} 元" if currency == "CNY" else f"{currency} {amount:,}"


def letter(offer: Offer) -> Letter:
    """The offer letter's content: Chinese first, each line with its English subtitle."""
    return Letter(
        title=("录用通知书", "Offer of Employment"),
        greeting=(f"尊敬的 {offer.name}：", f"Dear {offer.name},"),
        body=[
            (
                f"感谢您参加{BANK_ZH}的招聘。我们很高兴地通知您，您已被录用为{offer.department}「{offer.title}」。",
                f"Thank you for applying to {BANK_EN}. We are pleased to offer you the position "
                f"of {offer.title} in {offer.department}.",
            ),
            (
                f"请于 {offer.expires_on.isoformat()} 前完成电子签署，逾期本通知书自动失效。",
                f"Please sign electronically by {offer.expires_on.isoformat()}; afterwards this offer lapses.",
            ),
        ],
        terms=[
            ("岗位", "Position", offer.title),
            ("部门", "Department", offer.department),
            ("职级", "Grade", offer.grade),
            ("年薪（税前）", "Annual salary (gross)", money(offer.annual_salary, offer.currency)),
            ("入职日期", "Start date", offer.start_date.isoformat()),
            ("试用期", "Probation period", f"{offer.probation_months} 个月 / {offer.probation_months} months"),
            ("工作地点", "Work location", offer.work_location),
            ("签署截止", "Sign by", offer.expires_on.isoformat()),
        ],
        documents=list(offer.documents_to_bring),
        benefits=list(offer.benefits),
        closing=(f"{BANK_ZH} 人力资源部", f"Human Resources, {BANK_EN}"),
        note=offer.note,
        development=development_lines(offer),
    )


def development_lines(offer: Offer) -> list[tuple[str, str]]:
    """The letter's development path: the track, why, and the first-year training."""
    path = offer.development_path
    if path is None:
        return []
    lines = [
        (f"职业发展通道：{path.track_zh}", f"Career track: {path.track_en}"),
        (path.basis_zh, path.basis_en.capitalize()),
    ]
    if path.first_year_training:
        lines.append(("首年培训：", "First-year training:"))
        lines += [(f"• {c.title_zh}", f"• {c.title_en}") for c in path.first_year_training]
    return lines


CSS = """
body{font-family:"Noto Serif CJK SC","Songti SC",SimSun,serif;max-width:48em;margin:2em auto;color:#222;line-height:1.6}
h1{font-size:1.6em;margin-bottom:0}.en{color:#666;font-size:.85em;margin-top:0}
table{border-collapse:collapse;width:100%}td{border-bottom:1px solid #ddd;padding:.3em .5em;vertical-align:top}
@page{size:A4;margin:2cm}
"""


def render_html(content: Letter) -> str:
    """A standalone page: every text escaped, no script, no external resource."""
    e = html.escape

    def pair(zh: str, en: str, tag: str = "p") -> str:
        return f'<{tag}>{e(zh)}</{tag}>\n<p class="en">{e(en)}</p>'

    rows = "\n".join(
        f'<tr><td>{e(zh)}<br><span class="en">{e(en)}</span></td><td>{e(value)}</td></tr>'
        for zh, en, value in content.terms
    )
    items = "\n".join(f"<li>{e(d)}</li>" for d in content.documents)
    perks = "\n".join(f"<li>{e(b)}</li>" for b in content.benefits)
    note = f'<h2>备注</h2>\n<p class="en">Note</p>\n<p>{e(content.note)}</p>' if content.note else ""
    path = ""
    if content.development:
        path = '<h2>发展路径</h2>\n<p class="en">Development path</p>\n' + "\n".join(
            pair(zh, en) for zh, en in content.development
        )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{e(content.title[0])} · {e(content.title[1])}</title>",
        f"<style>{CSS}</style></head><body>",
        pair(*content.title, tag="h1"),
        pair(*content.greeting),
        *(pair(zh, en) for zh, en in content.body),
        f"<table>\n{rows}\n</table>",
        '<h2>福利待遇</h2>\n<p class="en">Benefits</p>',
        f"<ul>\n{perks}\n</ul>",
        '<h2>入职须携带材料</h2>\n<p class="en">Documents to bring on your first day</p>',
        f"<ul>\n{items}\n</ul>",
        path,
        note,
        pair(*content.closing),
        "</body></html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


FONT = "STSong-Light"


def render_pdf(content: Letter) -> bytes:
    """The letter as an A4 PDF (reportlab, built-in CID font: nothing embedded, Chinese extractable)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    base = ParagraphStyle("zh", fontName=FONT, fontSize=11, leading=17, wordWrap="CJK")
    en = ParagraphStyle("en", parent=base, fontSize=8.5, leading=12, textColor="#666666", spaceAfter=6)
    head = ParagraphStyle("h", parent=base, fontSize=18, leading=24)
    sub = ParagraphStyle("h2", parent=base, fontSize=13, leading=18, spaceBefore=8)
    e = html.escape  # Paragraph parses a small markup language: user text must not inject tags

    story: list[Any] = [Paragraph(e(content.title[0]), head), Paragraph(e(content.title[1]), en)]
    story += [Paragraph(e(content.greeting[0]), base), Paragraph(e(content.greeting[1]), en)]
    for zh, english in content.body:
        story += [Paragraph(e(zh), base), Paragraph(e(english), en)]
    rows = [
        [Paragraph(f"{e(zh)}<br/><font size=8 color='#666666'>{e(label)}</font>", base), Paragraph(e(value), base)]
        for zh, label, value in content.terms
    ]
    table = Table(rows, colWidths=[5 * cm, 11 * cm])
    table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.25, "#cccccc"), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [Spacer(1, 6), table]
    story += [Paragraph("福利待遇", sub), Paragraph("Benefits", en)]
    story += [Paragraph("• " + e(b), base) for b in content.benefits]
    story += [Paragraph("入职须携带材料", sub), Paragraph("Documents to bring on your first day", en)]
    story += [Paragraph("• " + e(d), base) for d in content.documents]
    if content.development:
        story += [Paragraph("发展路径", sub), Paragraph("Development path", en)]
        for zh, english in content.development:
            story += [Paragraph(e(zh), base), Paragraph(e(english), en)]
    if content.note:
        story += [Paragraph("备注", sub), Paragraph("Note", en), Paragraph(e(content.note), base)]
    story += [Spacer(1, 12), Paragraph(e(content.closing[0]), base), Paragraph(e(content.closing[1]), en)]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title="录用通知书 Offer of Employment",
        author=BANK_EN,
    )
    doc.build(story)
    return buffer.getvalue()
