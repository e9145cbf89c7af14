"""Second-interview kits: which dimensions are probed, which questions are chosen, the printable page,
and the human − AI gap of an evaluation."""

from __future__ import annotations

from html.parser import HTMLParser

from shared.domain import evaluations, radar
from shared.domain import interview_kit as kit
from shared.domain import question_bank as bank
from shared.domain.stages import Stage
from shared.models.common import Dimension as D
from shared.models.common import RoleFamily
from shared.models.interview_kit import (
    InterviewKit,
    KitAiReport,
    KitFocus,
    KitProvenance,
    KitQuestion,
    TranscriptExcerpt,
)
from shared.models.question_bank import BankFamily
from shared.models.radar import RadarAxisView

# The sample requisition (events/requisition-customer-manager.json): six weighted dimensions, four bars.
WEIGHTS = {
    D.logic: 0.2,
    D.expression: 0.2,
    D.customer_orientation: 0.3,
    D.teamwork: 0.1,
    D.risk_awareness: 0.1,
    D.data_analysis: 0.1,
}
BAR = {D.logic: 70.0, D.expression: 75.0, D.customer_orientation: 80.0, D.teamwork: 70.0}
CM = BankFamily.customer_manager


def test_weak_dimensions_are_probed_furthest_below_the_bar_first() -> None:
    # Given expression 5 below its bar and teamwork 12 below, logic above
    chart = radar.build(WEIGHTS, {D.logic: 85, D.expression: 70, D.customer_orientation: 88, D.teamwork: 58}, BAR)
    # When the kit's targets are chosen
    targets = kit.targets(chart)
    # Then exactly the radar's weak dimensions are probed, teamwork first
    assert [(t.axis.dimension, t.reason) for t in targets] == [("teamwork", "weak"), ("expression", "weak")]
    assert {t.axis.dimension for t in targets} == set(chart.weak)


def test_without_a_weak_dimension_the_two_lowest_scores_are_probed() -> None:
    # Given every barred dimension at or above its bar; data_analysis and risk_awareness lowest (unbarred)
    scores = {D.logic: 90, D.expression: 80, D.customer_orientation: 85, D.teamwork: 70, D.risk_awareness: 66}
    chart = radar.build(WEIGHTS, scores | {D.data_analysis: 66}, BAR)
    assert chart.weak == []
    # When targets are chosen / Then the two lowest, ties in canonical order (risk_awareness before data_analysis)
    assert [(t.axis.dimension, t.reason) for t in kit.targets(chart)] == [
        ("risk_awareness", "lowest"),
        ("data_analysis", "lowest"),
    ]


def test_question_choice_is_deterministic_per_application_and_varies_between_applicants() -> None:
    seed = bank.seed()
    # When the same application's questions are chosen twice
    first = kit.choose(seed, CM, D.expression, "app-1")
    again = kit.choose(list(reversed(seed)), CM, D.expression, "app-1")
    # Then they are the same two distinct questions of the family and dimension, whatever the bank order
    assert [q.question_id for q in first] == [q.question_id for q in again]
    assert len({q.question_id for q in first}) == 2
    assert all(q.role_family is CM and q.dimension is D.expression for q in first)
    # And across applicants more than one pair of questions is used
    pairs = {tuple(q.question_id for q in kit.choose(seed, CM, D.expression, f"app-{n}")) for n in range(20)}
    assert len(pairs) > 1


def test_retired_questions_are_never_chosen_and_general_ones_top_up_a_short_family() -> None:
    # Given every customer-manager innovation question but one retired
    seed = bank.seed()
    own = [q for q in seed if q.role_family is CM and q.dimension is D.innovation]
    kept = own[0]
    retired = [q.model_copy(update={"status": "retired"}) for q in own[1:]]
    pool = bank.merge(seed, retired)
    # When two are chosen for any application
    for n in range(10):
        chosen = kit.choose(pool, CM, D.innovation, f"app-{n}")
        # Then the one active family question comes first, then a general one
        assert chosen[0].question_id == kept.question_id
        assert chosen[1].role_family is BankFamily.general and chosen[1].dimension is D.innovation
    # And a family without its own questions (teller operations) gets two general ones
    teller = kit.choose(seed, BankFamily.teller_operations, D.logic, "app-1")
    assert len(teller) == 2 and all(q.role_family is BankFamily.general for q in teller)


def test_gap_is_human_minus_ai_per_rated_dimension() -> None:
    # Given ratings on three dimensions, one of which the AI did not score
    rows = evaluations.compare(
        {D.teamwork: 80, D.logic: 60, D.innovation: 70}, {D.logic: 85.5, D.teamwork: 58, D.expression: 90}
    )
    # Then one row per rated dimension in canonical order, gap = human − AI, none without an AI score
    assert [(r.dimension, r.label, r.human, r.ai, r.gap) for r in rows] == [
        ("logic", "逻辑思维", 60, 85.5, -25.5),
        ("innovation", "创新能力", 70, None, None),
        ("teamwork", "团队协作", 80, 58.0, 22.0),
    ]
    assert evaluations.outside([D.innovation, D.logic, D.stress_tolerance], WEIGHTS) == [
        "innovation",
        "stress_tolerance",
    ]


class Page(HTMLParser):
    """Collects tags, attributes and text of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []
        self.html_lang: str | None = None
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs
        if tag == "html":
            self.html_lang = dict(attrs).get("lang")
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data
        else:
            self.text.append(data)


def sample_kit(name: str, title: str) -> InterviewKit:
    q = bank.seed_question("customer_manager.expression.01")
    assert q is not None
    axis = RadarAxisView(
        dimension="expression", label="语言表达", weight=0.2, score=60, bar=75, strength=False, weak=True
    )
    return InterviewKit(
        application_id="a1",
        requisition_id="r1",
        requisition_title=title,
        department="零售金融部",
        role_family=RoleFamily.customer_manager,
        name=name,
        stage=Stage.shortlisted,
        ai=KitAiReport(
            dimensions=[axis],
            strengths=[],
            weak=["expression"],
            rule=radar.RULE,
            overall_score=70,
            weighted_score=68.5,
            provenance=KitProvenance(
                vendor_id="aivendor",
                model_version="m-1",
                completed_at="2026-11-28T01:30:00Z",
                received_at="2026-11-28T01:30:05Z",
                webhook_id="msg_1",
            ),
        ),
        focus=[
            KitFocus(
                dimension=D.expression,
                label="语言表达",
                reason="weak",
                score=60,
                bar=75,
                questions=[KitQuestion(bank=q.role_family, **q.model_dump(exclude={"role_family"}))],
                transcript=[
                    TranscriptExcerpt(question_id="Q2", score=55, transcript_excerpt="我会</blockquote>先说结论")
                ],
            )
        ],
        selection_rule=kit.SELECTION_RULE,
    )


def test_printable_page_is_chinese_self_contained_and_escapes_every_text() -> None:
    # Given a kit whose name, title and transcript carry markup
    name, title = '王<script>alert("x")</script>', "对公客户经理 <b>2027</b> & 校招"
    # When it is rendered
    html = kit.render_html(sample_kit(name, title))
    page = Page()
    page.feed(html)
    page.close()
    # Then it is a Chinese page with print styles
    assert html.startswith("<!DOCTYPE html>") and page.html_lang == "zh-CN"
    assert "@media print" in page.style and "@page" in page.style
    # And the markup stays text: no script or bold element, and the text reads exactly as given
    assert "script" not in page.tags and "b" not in page.tags
    text = "".join(page.text)
    assert name in text and title in text and "我会</blockquote>先说结论" in text
    # And nothing is loaded from elsewhere: no src/href, no link or img element
    assert not [a for a, _ in page.attrs if a in {"src", "href"}]
    assert not {"link", "img", "iframe"} & set(page.tags)
    # And the question, its translation and what a strong answer shows are all on the page
    assert "说服客户接受复杂产品" in text and "persuaded a client" in text and "A strong answer" in text
