"""The second-interview kit: which dimensions to probe, which questions to ask, and the printable page.

* **Dimensions to probe.** The weak dimensions of the competency radar (``shared.domain.radar``:
  score below the requisition's bar), furthest below the bar first. When none is weak, the
  ``LOWEST_WHEN_NONE_WEAK`` lowest-scoring dimensions (ties in canonical order).
* **Questions.** ``QUESTIONS_PER_DIMENSION`` active questions of the requisition's role family for
  each dimension, topped up from the ``general`` bank when the family has too few. The choice is
  deterministic: questions are ordered by SHA-256 of (application id, question id), so the same
  application always gets the same questions for the same bank, while different applicants get
  different ones (the questions do not leak from one candidate to the next).
* **Transcript.** The AI interview's answers on the probed dimensions, lowest score first.

Pure logic: no I/O; the HTML is written by hand with every text escaped.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Literal

from shared.domain.radar import Axis, Radar
from shared.models.common import Dimension
from shared.models.interview_kit import InterviewKit
from shared.models.question_bank import BankFamily, Question
from shared.vocabulary import RECOMMENDATIONS

QUESTIONS_PER_DIMENSION = 2
LOWEST_WHEN_NONE_WEAK = 2
SELECTION_RULE = (
    "Probed dimensions: every weak dimension (AI score below the requisition's bar), furthest below first; "
    f"with no weak dimension, the {LOWEST_WHEN_NONE_WEAK} lowest-scoring ones. For each, "
    f"{QUESTIONS_PER_DIMENSION} active questions of the requisition's role family (topped up from the general "
    "bank when it has fewer), ordered by SHA-256 of application id and question id: the same application always "
    "gets the same questions, different applicants get different ones."
)


@dataclass(frozen=True)
class Target:
    axis: Axis
    reason: Literal["weak", "lowest"]


def targets(chart: Radar, lowest: int = LOWEST_WHEN_NONE_WEAK) -> list[Target]:
    """The dimensions to probe, most urgent first (see the module rule)."""
    weak = [a for a in chart.axes if a.weak]
    if weak:  # sorted() is stable: ties stay in the radar's canonical order
        return [Target(a, "weak") for a in sorted(weak, key=lambda a: (a.score or 0.0) - (a.bar or 0.0))]
    scored = [a for a in chart.axes if a.score is not None]
    return [Target(a, "lowest") for a in sorted(scored, key=lambda a: a.score or 0.0)[:lowest]]


def _draw(questions: Iterable[Question], application_id: str, n: int) -> list[Question]:
    def key(q: Question) -> str:
        return hashlib.sha256(f"{application_id}\n{q.question_id}".encode()).hexdigest()

    return sorted(questions, key=key)[:n] if n > 0 else []


def choose(
    bank: Sequence[Question],
    family: BankFamily,
    dimension: Dimension,
    application_id: str,
    n: int = QUESTIONS_PER_DIMENSION,
) -> list[Question]:
    """``n`` active questions for one dimension: the family's own first, then ``general`` ones."""
    usable = [q for q in bank if q.dimension is dimension and q.status == "active"]
    picked = _draw((q for q in usable if q.role_family is family), application_id, n)
    if len(picked) < n and family is not BankFamily.general:
        general = (q for q in usable if q.role_family is BankFamily.general)
        picked += _draw(general, application_id, n - len(picked))
    return picked


# -- the printable page ------------------------------------------------------------------------
_CSS = """
body{font-family:'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif;
 color:#111827;margin:24px auto;max-width:960px;line-height:1.5;font-size:14px}
h1{font-size:22px;margin:0 0 8px}h2{font-size:17px;border-bottom:2px solid #1f2937;padding-bottom:2px;margin-top:24px}
h3{font-size:15px;margin:12px 0 4px}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #9ca3af;padding:4px 8px;text-align:left}
th{background:#f3f4f6}.weak{color:#b91c1c;font-weight:bold}.strength{color:#047857}
.en{color:#4b5563;font-size:12px;margin:0}.zh{margin:0}
.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0}.meta dt{font-weight:bold}
.meta dd{margin:0}
blockquote{margin:4px 0;padding:4px 10px;border-left:3px solid #9ca3af;background:#f9fafb}
.question{margin-bottom:14px}.strong-answer{border:1px solid #d1d5db;padding:4px 8px;margin:4px 0}
.notes{border:1px dashed #9ca3af;min-height:6em;margin-top:4px;padding:4px;color:#6b7280}
.rating{margin-top:4px}.provenance{font-size:12px;color:#4b5563}
.decision label{margin-right:18px}.sign{margin-top:18px}
footer{margin-top:24px;font-size:11px;color:#6b7280}
@page{size:A4;margin:15mm}
@media print{body{margin:0;max-width:none;font-size:11pt}section.focus,.question,table{break-inside:avoid}
 h2,h3{break-after:avoid}th{background:none}.notes{min-height:8em}}
"""


def _num(v: float | None) -> str:
    if v is None:
        return "–"
    return f"{v:.0f}" if float(v).is_integer() else f"{v:.1f}"


def render_html(kit: InterviewKit) -> str:
    """A standalone, printable page in Chinese (``lang="zh-CN"``, English in smaller type): no
    scripts, no external resources, every text escaped."""
    e = escape
    ai = kit.ai
    p = ai.provenance
    labels = {a.dimension: a.label for a in ai.dimensions}
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(f'复试面试工具包 · {kit.name} · {kit.requisition_title}')}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        '<h1>复试面试工具包 <span class="en">Second-interview kit</span></h1>',
        '<dl class="meta">',
        f"<dt>候选人</dt><dd>{e(kit.name)}</dd>",
        f"<dt>应聘岗位</dt><dd>{e(kit.requisition_title)}</dd>",
        f"<dt>部门</dt><dd>{e(kit.department)}</dd>",
        f"<dt>岗位序列</dt><dd>{e(kit.role_family.value)}</dd>",
        f"<dt>申请编号</dt><dd>{e(kit.application_id)}</dd>",
        f"<dt>当前阶段</dt><dd>{e(kit.stage.value)}</dd>",
        "</dl>",
        "</header>",
        '<section id="ai-report">',
        '<h2>AI面试报告 <span class="en">AI interview report</span></h2>',
        "<table>",
        "<thead><tr><th>维度 dimension</th><th>得分 score</th><th>门槛 bar</th><th>权重 weight</th>"
        "<th>结论 flag</th></tr></thead>",
        "<tbody>",
    ]
    for axis in ai.dimensions:
        flag = '<span class="weak">待提升 weak</span>' if axis.weak else ""
        flag = flag or ('<span class="strength">优势 strength</span>' if axis.strength else "")
        out.append(
            f'<tr data-dimension="{e(axis.dimension)}"><td>{e(axis.label)} <span class="en">{e(axis.dimension)}</span>'
            f"</td><td>{e(_num(axis.score))}</td><td>{e(_num(axis.bar))}</td><td>{e(f'{axis.weight:.0%}')}</td>"
            f"<td>{flag}</td></tr>"
        )
    out += [
        "</tbody>",
        "</table>",
        f"<p>综合得分 overall {e(_num(ai.overall_score))} · 加权得分 weighted {e(_num(ai.weighted_score))}</p>",
        f"<p>优势维度：{e('、'.join(labels.get(d, d) for d in ai.strengths) or '无')}</p>",
        f"<p>待提升维度：{e('、'.join(labels.get(d, d) for d in ai.weak) or '无')}</p>",
        f'<p class="provenance">数据来源 provenance：{e(p.vendor_id)} · 模型版本 {e(p.model_version)} · '
        f"完成时间 {e(p.completed_at)} · 接收时间 {e(p.received_at)} · webhook {e(p.webhook_id)}</p>",
        f'<p class="en">{e(ai.rule)}</p>',
        "</section>",
    ]
    for focus in kit.focus:
        why = "低于岗位门槛" if focus.reason == "weak" else "无低于门槛的维度，取得分最低的维度"
        out += [
            f'<section class="focus" data-dimension="{e(focus.dimension.value)}">',
            f'<h2>追问维度：{e(focus.label)} <span class="en">{e(focus.dimension.value)}</span></h2>',
            f"<p>AI得分 {e(_num(focus.score))} / 门槛 {e(_num(focus.bar))}（{e(why)}）</p>",
        ]
        if focus.transcript:
            out.append('<h3>AI面试回答摘录 <span class="en">AI interview transcript</span></h3>')
            for t in focus.transcript:
                out.append(
                    f'<blockquote data-question-id="{e(t.question_id)}">{e(t.transcript_excerpt)}'
                    f'<br><span class="en">{e(t.question_id)} · {e(_num(t.score))}</span></blockquote>'
                )
        out.append('<h3>追问问题 <span class="en">Probing questions</span></h3>')
        out.append("<ol>")
        for q in focus.questions:
            out += [
                f'<li class="question" data-question-id="{e(q.question_id)}">',
                f'<p class="zh">{e(q.text_zh)}</p>',
                f'<p class="en" lang="en">{e(q.text_en)}</p>',
                '<div class="strong-answer">',
                f'<p class="zh">优秀回答要点：{e(q.strong_answer_zh)}</p>',
                f'<p class="en" lang="en">A strong answer: {e(q.strong_answer_en)}</p>',
                "</div>",
                '<div class="notes">面试记录 notes</div>',
                '<p class="rating">评分（0–100）：________</p>',
                "</li>",
            ]
        out += ["</ol>", "</section>"]
    choices = "".join(f"<label>☐ {e(term.zh)}</label>" for term in RECOMMENDATIONS.values())
    out += [
        '<section id="decision">',
        '<h2>面试官结论 <span class="en">Interviewer\'s recommendation</span></h2>',
        f'<p class="decision">{choices}</p>',
        '<div class="notes">综合评价 comment</div>',
        '<p class="sign">面试官签名：______________　　日期：______________</p>',
        "</section>",
        f'<footer><p class="en">{e(kit.selection_rule)}</p></footer>',
        "</body>",
        "</html>",
    ]
    return "\n".join(out) + "\n"
