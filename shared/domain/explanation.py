"""The plain-language explanation of the automated assessment (screening, AI scores, rank) and of
the human decisions recorded. Pure: the service gathers the facts, this turns them into sentences."""

from __future__ import annotations

from typing import Any

from shared.vocabulary import dimension_en, dimension_zh

# audit actions that are decisions by people about the application
DECISIONS = {
    "screening.decide",
    "stage.transition",
    "shortlist.confirm",
    "assessment.decide",
    "background_check.review",
    "offer.create",
    "offer.approve",
    "candidate.erase",
}
ENDED = {"rejected", "withdrawn"}


def dimensions(scores: dict[str, float], bar: dict[str, int], weights: dict[str, float]) -> list[dict[str, Any]]:
    rows = []
    for dim, score in sorted(scores.items(), key=lambda kv: kv[0]):
        limit = bar.get(dim)
        rows.append(
            {
                "dimension": dim,
                "label_zh": dimension_zh(dim),
                "label_en": dimension_en(dim),
                "score": score,
                "bar": limit,
                "meets_bar": None if limit is None else score >= limit,
                "weight": weights.get(dim, 0.0),
            }
        )
    return rows


def decision(record: dict[str, Any]) -> dict[str, Any] | None:
    """The human decision an audit record documents, or None (automatic steps, reads)."""
    if record.get("action") not in DECISIONS or record.get("actor") == "system":
        return None
    details = record.get("details") or {}
    return {
        "at": record["at"],
        "actor": record["actor"],
        "action": record["action"],
        "from_stage": text(details.get("from")),
        "to_stage": text(details.get("to")),
        "decision": text(details.get("decision")) or text(details.get("outcome")),
        "reason": text(details.get("reason")),
    }


def text(value: Any) -> str | None:
    """A detail of an audit record when it is text (details differ by action: lists, numbers)."""
    return value if isinstance(value, str) else None


def ends(record: dict[str, Any]) -> bool:
    """Whether the audit record moved the application to rejected or withdrawn (by anyone)."""
    return text((record.get("details") or {}).get("to")) in ENDED


def summary(
    screening: dict[str, Any] | None,
    rows: list[dict[str, Any]],
    weighted: float | None,
    rank: int | None,
    scored: int,
    decisions: list[dict[str, Any]],
    ended_by: dict[str, Any] | None,
    stage: str,
) -> tuple[list[str], list[str]]:
    zh: list[str] = []
    en: list[str] = []
    if screening is None:
        zh.append("简历关键词筛选尚未进行。")
        en.append("The resume keyword screening has not run yet.")
    else:
        hit = "、".join(screening["matched_required"]) or "无"
        miss = "、".join(screening["missing_required"])
        zh.append(
            f"简历关键词筛选得分 {screening['score']:.1f}；匹配的必备关键词：{hit}"
            + (f"；缺少：{miss}" if miss else "")
            + (f"；简历中为否定表述：{'、'.join(screening['negated'])}" if screening.get("negated") else "")
            + f"。系统建议{'进入下一环节' if screening['proposal'] == 'advance' else '不予通过'}"
            + "，此建议仅供人力资源部参考，由人工决定。"
        )
        en.append(
            f"Resume keyword screening scored {screening['score']:.1f}; required keywords matched: "
            + (", ".join(screening["matched_required"]) or "none")
            + (f"; missing: {', '.join(screening['missing_required'])}" if screening["missing_required"] else "")
            + (f"; stated in the negative: {', '.join(screening['negated'])}" if screening.get("negated") else "")
            + f". The system proposed to {'advance' if screening['proposal'] == 'advance' else 'reject'};"
            " this is a proposal to HR, who decide."
        )
    if not rows:
        zh.append("尚无AI面试结果。")
        en.append("There is no AI interview result yet.")
    else:
        parts_zh, parts_en = [], []
        for r in rows:
            verdict_zh = "" if r["bar"] is None else ("，达到" if r["meets_bar"] else "，低于") + f"要求 {r['bar']}"
            verdict_en = (
                "" if r["bar"] is None else (" (meets" if r["meets_bar"] else " (below") + f" the bar {r['bar']})"
            )
            parts_zh.append(f"{r['label_zh']} {r['score']:g}{verdict_zh}")
            parts_en.append(f"{r['label_en']} {r['score']:g}{verdict_en}")
        zh.append("AI面试各维度得分：" + "；".join(parts_zh) + "。")
        en.append("AI interview scores by dimension: " + "; ".join(parts_en) + ".")
        if weighted is not None:
            place_zh = f"，在本岗位 {scored} 名有AI结果的候选人中排名第 {rank}" if rank else ""
            place_en = f", rank {rank} of {scored} scored applicants for the requisition" if rank else ""
            zh.append(f"按岗位权重计算的加权得分为 {weighted:.1f}{place_zh}。")
            en.append(f"The score weighted by the requisition's dimension weights is {weighted:.1f}{place_en}.")
        zh.append("AI评分和排名只用于辅助决策，不会自动淘汰任何候选人。")
        en.append("AI scores and the ranking inform people's decisions; they never reject anyone by themselves.")
    if decisions:
        zh.append(f"已记录的人工决定共 {len(decisions)} 项（见 human_decisions）。")
        en.append(f"{len(decisions)} human decision(s) are recorded (see human_decisions).")
    else:
        zh.append("目前没有记录任何人工决定。")
        en.append("No human decision has been recorded yet.")
    if stage in ENDED and ended_by is not None:
        zh.append(
            f"该申请由 {ended_by['actor']} 于 {ended_by['at']} 人工终止，原因：{ended_by.get('reason') or '未填写'}。"
        )
        en.append(
            f"The application was ended by {ended_by['actor']} at {ended_by['at']}, "
            f"reason: {ended_by.get('reason') or 'not given'}."
        )
    else:
        zh.append("没有任何自动化步骤淘汰该候选人。")
        en.append("No automated step rejected this candidate.")
    return zh, en
