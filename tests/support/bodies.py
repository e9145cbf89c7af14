"""Request bodies several test modules send."""

from __future__ import annotations

from datetime import date, timedelta

from shared import clock


def quarter_of(day: date) -> dict[str, str]:
    """The performance cycle of the quarter ``day`` falls in."""
    first = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    nxt = date(first.year + (first.month == 10), (first.month + 2) % 12 + 1, 1)
    name = f"{day.year} Q{(day.month - 1) // 3 + 1}"
    return {"name": name, "period": "quarter", "start_date": str(first), "end_date": str(nxt - timedelta(days=1))}


# a supplementary assessment a manager asks for, and why
NEGOTIATION = {
    "name": "客户模拟谈判",
    "kind": "simulation",
    "description": "与模拟企业客户就授信方案进行 30 分钟谈判 / customer negotiation simulation",
    "duration_minutes": 45,
}
ASSESSMENT_REASON = "复试中客户导向表现存疑，需观察真实谈判场景"
# a performance cycle HR opens: the current quarter (results are recorded inside the cycle's window)
CYCLE = quarter_of(clock.today())
# why HR erases a candidate's personal data
ERASURE_REASON = {"reason": "the candidate asked for erasure (PIPL art. 47), ticket 2026-118"}
# a second-interview question HR adds to the bank
QUESTION = {
    "role_family": "customer_manager",
    "dimension": "expression",
    "text_zh": "请举例说明你如何向客户解释一份<条款复杂>的保函业务。",
    "text_en": "Give an example of explaining a letter of guarantee with complex terms to a client.",
    "strong_answer_zh": "讲清责任、期限与费用，确认客户理解。",
    "strong_answer_en": "Makes liability, term and fees clear, and checks understanding.",
}
# probation durations in seconds: the cycle reaches the final review at once
FAST_PROBATION = {"check_in": 0, "mid_term": 0, "end": 1, "decision_timeout": 3, "heartbeat": 3}
# a course HR adds to the catalogue
COURSE = {
    "dimension": "teamwork",
    "title_zh": "团队沟通技巧（2027版）",
    "title_en": "Team communication skills (2027)",
    "description_zh": "结合网点案例的团队沟通练习。",
    "description_en": "Team communication practice with branch cases.",
    "hours": 6,
    "format": "workshop",
}
