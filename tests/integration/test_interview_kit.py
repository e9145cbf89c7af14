"""Second-interview kits and evaluations over the API: an AI result delivered by signed webhook,
probing questions for the weak dimensions, the printable page, evaluations with the human − AI gap
in the talent archive, and who may do what."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest

from shared.store import aws
from shared.store.repository import Repository
from tests.support.api import Api
from tests.support.archive import update_application
from tests.support.hiring import deliver, make, new_app
from tests.support.webhooks import canonical

TITLE = '对公客户经理 <script>alert("kit")</script> & 校招'
TRANSCRIPT = [
    {"question_id": "Q1", "dimension": "logic", "score": 85, "transcript_excerpt": "首先拆解问题"},
    {"question_id": "Q2", "dimension": "expression", "score": 58, "transcript_excerpt": "我会……嗯，介绍产品<收益>"},
    {"question_id": "Q3", "dimension": "teamwork", "score": 48, "transcript_excerpt": "我一般自己完成"},
    {"question_id": "Q4", "dimension": "teamwork", "score": 55, "transcript_excerpt": ""},
]


def scored_application(api: Api, n: int = 1, **scores: Any) -> dict[str, Any]:
    """An application to a customer-manager requisition (零售金融部; bars logic 70, expression 75,
    customer_orientation 80, teamwork 70) with an AI result delivered by signed webhook."""
    req_id = str(make(api, title=TITLE).data["id"])
    app = new_app(api, req_id, n)
    body = canonical(req_id, application_id=app["id"], **scores)
    body["questions"] = TRANSCRIPT
    assert deliver(api, body, webhook_id=f"msg_kit_{n}").status_code == 200
    return app


@pytest.fixture
def weak(api: Api) -> dict[str, Any]:
    """Expression 60 (bar 75: 15 below) and teamwork 50 (bar 70: 20 below) are weak."""
    return scored_application(api, expression=60, teamwork=50)


def kit(api: Api, app_id: str, role: str = "hr") -> Any:
    response = api.call("GET", f"/applications/{app_id}/interview-kit", role=role)
    assert response.status_code == 200, response.data
    return response.data


def test_kit_probes_each_weak_dimension_with_bank_questions_and_the_ai_transcript(
    api: Api, weak: dict[str, Any]
) -> None:
    # When HR opens the interview kit
    k = kit(api, weak["id"])
    # Then the AI report compares each requisition dimension with its bar, using the radar's rule
    assert k["ai"]["weak"] == ["expression", "teamwork"]
    rows = {d["dimension"]: d for d in k["ai"]["dimensions"]}
    assert rows["expression"]["score"] == 60
    assert rows["expression"]["bar"] == 75 and rows["logic"]["strength"]
    assert "score ≥ bar" in k["ai"]["rule"]
    # And it names the vendor's delivery it is built on
    provenance = k["ai"]["provenance"]
    assert provenance["vendor_id"] == "aivendor" and provenance["webhook_id"] == "msg_kit_1"
    assert provenance["model_version"] == "aivendor-scoring-2026.11" and provenance["completed_at"]
    # And the weak dimensions are probed, furthest below the bar first
    assert [(f["dimension"], f["reason"]) for f in k["focus"]] == [("teamwork", "weak"), ("expression", "weak")]
    bank = api.call("GET", "/question-bank?role_family=customer_manager").data["items"]
    by_id = {q["question_id"]: q for q in bank}
    for focus in k["focus"]:
        # each with two distinct questions of the customer-manager bank for that dimension, in both languages
        ids = [q["question_id"] for q in focus["questions"]]
        assert len(ids) == len(set(ids)) == 2
        for q in focus["questions"]:
            assert by_id[q["question_id"]]["dimension"] == focus["dimension"] and q["bank"] == "customer_manager"
            assert q["text_zh"] == by_id[q["question_id"]]["text_zh"] and q["text_en"] and q["strong_answer_zh"]
    # And the transcript excerpts of that dimension only, lowest score first, without empty ones
    transcripts = {f["dimension"]: [t["question_id"] for t in f["transcript"]] for f in k["focus"]}
    assert transcripts == {"teamwork": ["Q3"], "expression": ["Q2"]}
    # And the same kit is produced again (a deterministic choice)
    assert kit(api, weak["id"]) == k


def test_kit_reads_the_application_partition_once_and_the_bank_once(api: Api, weak: dict[str, Any]) -> None:
    calls: list[str] = []
    aws.client("dynamodb").meta.events.register("before-call.dynamodb", lambda model, **_: calls.append(model.name))
    kit(api, weak["id"])
    # Then: one Query on the application's partition, the requisition, one Query on the family's bank
    assert calls == ["Query", "GetItem", "Query"]


def test_without_a_weak_dimension_the_lowest_scores_are_probed(api: Api) -> None:
    # Given every barred dimension at or above its bar (teamwork 70 = bar; risk_awareness 74 unbarred)
    app = scored_application(api, 2)
    k = kit(api, app["id"])
    # Then the two lowest-scoring dimensions are probed
    assert k["ai"]["weak"] == []
    assert [(f["dimension"], f["reason"]) for f in k["focus"]] == [("teamwork", "lowest"), ("risk_awareness", "lowest")]
    assert all(len(f["questions"]) == 2 for f in k["focus"])


def test_a_family_without_its_own_questions_gets_general_ones(api: Api) -> None:
    # Given a teller-operations requisition (its bank starts empty) and a weak expression score
    req_id = str(make(api, role_family="teller_operations").data["id"])
    app = new_app(api, req_id, 4)
    assert deliver(api, canonical(req_id, application_id=app["id"], expression=60)).status_code == 200
    # When HR opens the kit
    k = kit(api, app["id"])
    # Then expression is probed with two questions from the general bank
    assert [f["dimension"] for f in k["focus"]] == ["expression"]
    assert [q["bank"] for q in k["focus"][0]["questions"]] == ["general", "general"]
    assert all(q["question_id"].startswith("general.expression.") for q in k["focus"][0]["questions"])


def test_a_retired_question_leaves_the_kit_and_another_takes_its_place(api: Api, weak: dict[str, Any]) -> None:
    # Given the kit's first teamwork question
    before = kit(api, weak["id"])["focus"][0]
    retired = before["questions"][0]["question_id"]
    # When HR retires it
    response = api.call("DELETE", f"/question-bank/{retired}", body={"reason": "题意重复", "version": 1})
    assert response.status_code == 200
    # Then the kit still has two teamwork questions, without the retired one
    after = kit(api, weak["id"])["focus"][0]
    ids = [q["question_id"] for q in after["questions"]]
    assert after["dimension"] == "teamwork" and len(ids) == 2 and retired not in ids
    assert before["questions"][1]["question_id"] in ids


def test_who_may_read_the_kit(api: Api, weak: dict[str, Any]) -> None:
    path = f"/applications/{weak['id']}/interview-kit"
    # Then HR and the department's manager may; another department's manager, IT and an unassigned interviewer not
    for role, status in (("hr", 200), ("manager", 200), ("manager2", 403), ("it", 403), ("interviewer", 403)):
        assert api.call("GET", path, role=role).status_code == status, role
    # When the interviewer is assigned / Then they may too
    update_application(weak["id"], interviewers=["interviewer.demo"])
    assert api.call("GET", path, role="interviewer").status_code == 200


def test_no_ai_result_is_404_and_a_bad_format_is_400(api: Api) -> None:
    req_id = str(make(api).data["id"])
    app = new_app(api, req_id, 3)
    response = api.call("GET", f"/applications/{app['id']}/interview-kit")
    assert response.status_code == 404
    assert response.data["error"]["message"] == f"application {app['id']} has no AI interview result yet"
    assert api.call("GET", "/applications/nope/interview-kit").status_code == 404
    bad = api.call("GET", f"/applications/{app['id']}/interview-kit?format=pdf")
    assert bad.status_code == 400 and bad.data["error"]["details"][0]["field"] == "format"


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: dict[str, list[str | None]] = {}
        self.text: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            self.attrs.setdefault(name, []).append(value)
        if tag not in {"meta", "br"}:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1] if self.open else None}>"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_printable_kit_is_escaped_well_formed_chinese_html(api: Api, weak: dict[str, Any]) -> None:
    data = kit(api, weak["id"])
    # When HR asks for the printable page
    response = api.client.http.get(
        f"/applications/{weak['id']}/interview-kit?format=html", headers=api.stack.auth("hr")
    )
    # Then it is an HTML page in Chinese
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    html = response.body.decode("utf-8")
    page = Page()
    page.feed(html)
    page.close()
    assert page.attrs["lang"][0] == "zh-CN" and page.open == []
    assert "@media print" in html
    # And the requisition title's markup is text, not markup; nothing loads from elsewhere
    assert "script" not in page.tags and "src" not in page.attrs and "href" not in page.attrs
    text = "".join(page.text)
    assert TITLE in text and "我会……嗯，介绍产品<收益>" in text
    # And every chosen question is on the page with its translation
    for focus in data["focus"]:
        assert focus["dimension"] in page.attrs["data-dimension"]
        for q in focus["questions"]:
            assert q["text_zh"] in text and q["text_en"] in text


# -- evaluations ---------------------------------------------------------------------------------
RATINGS = {"ratings": {"expression": 80, "teamwork": 50, "logic": 70}, "comment": "表达清楚，团队意识一般。"}


def evaluate(api: Api, app_id: str, role: str, **body: Any) -> Any:
    return api.call(
        "POST", f"/applications/{app_id}/evaluations", role=role, body=RATINGS | {"recommendation": "hire"} | body
    )


def test_evaluations_show_in_the_archive_with_the_gap_to_the_ai_scores(api: Api, weak: dict[str, Any]) -> None:
    app_id = weak["id"]
    update_application(app_id, interviewers=["interviewer.demo"])
    # When the assigned interviewer and the department's manager evaluate
    mine = evaluate(api, app_id, "interviewer")
    boss = evaluate(api, app_id, "manager", ratings={"customer_orientation": 90}, recommendation="strong_hire")
    # Then each is created at version 1, every rating next to the AI score with gap = human − AI
    assert mine.status_code == 201, mine.data
    assert (mine.data["evaluator"], mine.data["evaluator_role"], mine.data["version"]) == (
        "interviewer.demo",
        "interviewer",
        1,
    )
    gaps = {d["dimension"]: (d["human"], d["ai"], d["gap"]) for d in mine.data["dimensions"]}
    assert gaps == {"logic": (70, 85, -15), "expression": (80, 60, 20), "teamwork": (50, 50, 0)}
    assert mine.data["ai_webhook_id"] == "msg_kit_1"
    assert boss.status_code == 201 and boss.data["evaluator_role"] == "manager"
    assert boss.data["dimensions"] == [
        {"dimension": "customer_orientation", "label": "客户导向", "human": 90, "ai": 88.0, "gap": 2.0}
    ]
    # When HR opens the archive
    calls: list[str] = []
    aws.client("dynamodb").meta.events.register("before-call.dynamodb", lambda model, **_: calls.append(model.name))
    archive = api.call("GET", f"/candidates/{app_id}").data
    # Then both evaluations are there with their gaps, from the same single partition Query (+ the rank
    # COUNT, + the audit record of the contact details the archive carries)
    assert calls == ["Query", "Query", "PutItem"]
    assert {e["evaluator"]: e["recommendation"] for e in archive["evaluations"]} == {
        "interviewer.demo": "hire",
        "manager.demo": "strong_hire",
    }
    assert mine.data in archive["evaluations"]
    # And the department's manager sees both too
    assert len(api.call("GET", f"/applications/{app_id}", role="manager").data["evaluations"]) == 2
    # And the interviewer sees only their own
    report = api.call("GET", f"/candidates/{app_id}", role="interviewer").data
    assert [e["evaluator"] for e in report["evaluations"]] == ["interviewer.demo"]


def test_one_evaluation_per_evaluator_replaced_only_with_the_version_read(api: Api, weak: dict[str, Any]) -> None:
    app_id = weak["id"]
    # Given the manager's evaluation, sent twice with the same Idempotency-Key (a retry)
    path, body, key = f"/applications/{app_id}/evaluations", RATINGS | {"recommendation": "hire"}, "eval-1"
    first, retry = (
        api.call("POST", path, role="manager", body=body, headers={"Idempotency-Key": key}) for _ in range(2)
    )
    assert first.status_code == retry.status_code == 201 and retry.data == first.data
    # When they send another one without a version
    again = evaluate(api, app_id, "manager", recommendation="no_hire")
    # Then 409 naming the current version, and nothing changed
    assert again.status_code == 409 and "version 1" in again.data["error"]["message"]
    # When they replace it with the version they read
    replaced = evaluate(api, app_id, "manager", recommendation="no_hire", ratings={"teamwork": 40}, version=1)
    # Then it is version 2 and replaces the first
    assert replaced.status_code == 200, replaced.data
    assert (replaced.data["version"], replaced.data["recommendation"]) == (2, "no_hire")
    assert replaced.data["created_at"] == first.data["created_at"]
    # And a replacement with a stale version, or a version without any evaluation, is 409
    assert evaluate(api, app_id, "manager", version=1).status_code == 409
    update_application(app_id, interviewers=["interviewer.demo"])
    assert evaluate(api, app_id, "interviewer", version=1).status_code == 409
    # And the archive holds one evaluation by the manager, the replacement
    evaluations = api.call("GET", f"/candidates/{app_id}").data["evaluations"]
    assert [(e["evaluator"], e["version"], e["recommendation"]) for e in evaluations] == [
        ("manager.demo", 2, "no_hire")
    ]
    assert [d["dimension"] for d in evaluations[0]["dimensions"]] == ["teamwork"]
    # And each write left an audit record on the application
    actions = [a["action"] for a in Repository().audit.page(f"application:{app_id}").items]
    assert actions.count("evaluation.create") == 1 and actions.count("evaluation.replace") == 1


def test_who_may_evaluate(api: Api, weak: dict[str, Any]) -> None:
    app_id = weak["id"]
    # Then HR may not author one, nor IT, another department's manager or an unassigned interviewer
    for role in ("hr", "it", "manager2", "interviewer"):
        response = evaluate(api, app_id, role)
        assert response.status_code == 403, role
    # And nothing was stored
    assert api.call("GET", f"/candidates/{app_id}").data["evaluations"] == []
    assert evaluate(api, "nope", "manager").status_code == 404


@pytest.mark.parametrize(
    ("change", "field", "fragment"),
    [
        ({"ratings": {"innovation": 70}}, "ratings.innovation", "not a dimension of this requisition"),
        ({"ratings": {"charm": 70}}, "ratings.charm", "Input should be"),
        ({"ratings": {"expression": 101}}, "ratings.expression", "less than or equal to 100"),
        ({"ratings": {}}, "ratings", "at least 1"),
        ({"recommendation": "maybe"}, "recommendation", "strong_hire"),
        ({"comment": " "}, "comment", "at least 1 character"),
        ({"mood": "good"}, "mood", "Extra inputs"),
    ],
)
def test_invalid_evaluations_are_400_naming_the_field(
    api: Api, weak: dict[str, Any], change: dict[str, Any], field: str, fragment: str
) -> None:
    response = evaluate(api, weak["id"], "manager", **change)
    assert response.status_code == 400, response.data
    details = response.data["error"]["details"]
    assert any(d["field"].startswith(field) and fragment in d["message"] for d in details), details
