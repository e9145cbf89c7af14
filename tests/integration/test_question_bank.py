"""The question bank over the API: the seed by default, HR's versioned, audited changes, permissions."""

from __future__ import annotations

from typing import Any

import pytest

from shared.errors import Conflict
from shared.services.question_bank import QuestionBank
from shared.store.audit import AuditEntry
from shared.store.question_bank import QuestionBankStore
from shared.store.repository import Repository
from tests.support.api import Api
from tests.support.bodies import QUESTION as NEW

EDIT = {k: v for k, v in NEW.items() if k not in {"role_family", "dimension"}}


def listing(api: Api, query: str, role: str = "hr") -> Any:
    response = api.call("GET", f"/question-bank?{query}", role=role)
    assert response.status_code == 200, response.data
    return response.data


def test_every_role_reading_the_bank_sees_the_seed_by_default(api: Api) -> None:
    for role in ("hr", "manager", "interviewer"):
        # When a role that prepares or runs interviews lists the customer-manager expression questions
        bank = listing(api, "role_family=customer_manager&dimension=expression", role)
        # Then the seed questions are there, in Chinese with English, at version 1
        items = bank["items"]
        assert len(items) >= 5 and {q["dimension"] for q in items} == {"expression"}
        assert all(q["origin"] == "seed" and q["version"] == 1 and q["status"] == "active" for q in items)
        assert any("说服客户接受复杂产品" in q["text_zh"] for q in items)
    # And the whole family lists all eight dimensions
    assert len({q["dimension"] for q in listing(api, "role_family=risk_manager")["items"]}) == 8
    # And IT may not read it; without a token it is 401
    assert api.call("GET", "/question-bank?role_family=risk_manager", role="it").status_code == 403
    assert api.call("GET", "/question-bank?role_family=risk_manager", role=None).status_code == 401


@pytest.mark.parametrize(
    ("query", "field"),
    [("", "role_family"), ("role_family=astronaut", "role_family"), ("role_family=it_data&dimension=x", "dimension")],
)
def test_bad_listing_queries_are_400_naming_the_parameter(api: Api, query: str, field: str) -> None:
    response = api.call("GET", f"/question-bank?{query}")
    assert response.status_code == 400
    assert response.data["error"]["details"][0]["field"] == field


def test_hr_adds_edits_and_retires_a_question_with_versions_and_audit(api: Api) -> None:
    # When HR adds a question
    added = api.call("POST", "/question-bank", body=NEW)
    # Then it is stored at version 1 under the family and dimension it names
    assert added.status_code == 201, added.data
    qid = added.data["question_id"]
    assert qid.startswith("customer_manager.expression.") and added.data["version"] == 1
    assert added.data["origin"] == "hr" and added.data["created_by"] == "hr.demo"
    assert qid in [q["question_id"] for q in listing(api, "role_family=customer_manager&dimension=expression")["items"]]
    # When HR edits it with the version read
    edited = api.call("PUT", f"/question-bank/{qid}", body=EDIT | {"text_en": "Revised wording.", "version": 1})
    # Then it is version 2 with the new text
    assert edited.status_code == 200, edited.data
    assert (edited.data["version"], edited.data["text_en"]) == (2, "Revised wording.")
    # And an edit with the stale version is 409 naming the current one, and changes nothing
    stale = api.call("PUT", f"/question-bank/{qid}", body=EDIT | {"version": 1})
    assert stale.status_code == 409 and "version 2" in stale.data["error"]["message"]
    assert api.call("GET", f"/question-bank/{qid}", role="interviewer").data["text_en"] == "Revised wording."
    # When HR retires it with the version read and a reason
    retired = api.call("DELETE", f"/question-bank/{qid}", body={"reason": "与新产品目录不符", "version": 2})
    # Then it is kept, marked retired with the reason, and listed only among retired questions
    assert retired.status_code == 200, retired.data
    assert (retired.data["status"], retired.data["retired_reason"], retired.data["version"]) == (
        "retired",
        "与新产品目录不符",
        3,
    )
    active = listing(api, "role_family=customer_manager&dimension=expression")["items"]
    assert qid not in [q["question_id"] for q in active]
    gone = listing(api, "role_family=customer_manager&dimension=expression&status=retired")["items"]
    assert [q["question_id"] for q in gone] == [qid]
    # And a retired question cannot be edited or retired again
    assert api.call("PUT", f"/question-bank/{qid}", body=EDIT | {"version": 3}).status_code == 409
    assert api.call("DELETE", f"/question-bank/{qid}", body={"reason": "again", "version": 3}).status_code == 409
    # And each change left an audit record, newest first
    audit = Repository().audit.page(f"question:{qid}").items
    assert [a["action"] for a in audit] == ["question_bank.retire", "question_bank.edit", "question_bank.add"]
    assert audit[1]["details"]["before"]["text_en"] == NEW["text_en"] and audit[0]["actor"] == "hr.demo"


def test_editing_a_seed_question_overrides_it_and_a_second_stale_edit_is_409(api: Api) -> None:
    qid = "risk_manager.expression.01"
    seed = api.call("GET", f"/question-bank/{qid}").data
    assert seed["origin"] == "seed" and seed["version"] == 1
    # When HR rewords the seed question with version 1
    body = {k: seed[k] for k in EDIT} | {"text_zh": "请举例说明你如何向客户经理解释授信被否决的原因。", "version": 1}
    assert api.call("PUT", f"/question-bank/{qid}", body=body).data["version"] == 2
    # Then everyone reads the override in place of the seed entry
    items = listing(api, "role_family=risk_manager&dimension=expression", "manager")["items"]
    assert items[0]["question_id"] == qid and items[0]["text_zh"] == body["text_zh"]
    assert len(items) == 5
    # And a second editor who also read version 1 gets 409
    assert api.call("PUT", f"/question-bank/{qid}", body=body).status_code == 409


def test_two_writers_of_the_same_seed_question_cannot_both_win(api: Api) -> None:
    # Given two editors who both read the untouched seed question (nothing stored yet)
    bank = QuestionBank()
    seed = bank.get("customer_manager.logic.01")
    first = seed.model_copy(update={"text_en": "first writer", "version": 2})
    second = seed.model_copy(update={"text_en": "second writer", "version": 2})
    store = QuestionBankStore()
    audit = AuditEntry("question:customer_manager.logic.01", "test", "question_bank.edit", {})
    # When both write conditionally on nothing being stored yet
    store.put(first, None, audit)
    # Then the second is a conflict, and the first one's text stays
    with pytest.raises(Conflict):
        store.put(second, None, audit)
    assert bank.get("customer_manager.logic.01").text_en == "first writer"


def test_only_hr_changes_the_bank(api: Api) -> None:
    for role in ("manager", "interviewer", "it"):
        assert api.call("POST", "/question-bank", role=role, body=NEW).status_code == 403
        edit = EDIT | {"version": 1}
        assert api.call("PUT", "/question-bank/customer_manager.logic.01", role=role, body=edit).status_code == 403
        retire = {"reason": "no", "version": 1}
        assert api.call("DELETE", "/question-bank/customer_manager.logic.01", role=role, body=retire).status_code == 403
    # And nothing changed
    assert api.call("GET", "/question-bank/customer_manager.logic.01").data["version"] == 1


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("POST", "/question-bank", {k: v for k, v in NEW.items() if k != "text_en"}, "text_en"),
        ("POST", "/question-bank", NEW | {"role_family": "astronaut"}, "role_family"),
        ("POST", "/question-bank", NEW | {"dimension": "charm"}, "dimension"),
        ("POST", "/question-bank", NEW | {"strong_answer_zh": "  "}, "strong_answer_zh"),
        (
            "PUT",
            "/question-bank/customer_manager.logic.01",
            EDIT | {"version": 1, "dimension": "teamwork"},
            "dimension",
        ),
        ("PUT", "/question-bank/customer_manager.logic.01", EDIT, "version"),
        ("DELETE", "/question-bank/customer_manager.logic.01", {"version": 1}, "reason"),
    ],
)
def test_invalid_changes_are_400_naming_the_field(
    api: Api, method: str, path: str, body: dict[str, Any], field: str
) -> None:
    response = api.call(method, path, body=body)
    assert response.status_code == 400, response.data
    assert field in [d["field"] for d in response.data["error"]["details"]]


def test_unknown_questions_are_404(api: Api) -> None:
    for qid in ("customer_manager.logic.99", "nonsense", "customer_manager.charm.01"):
        assert api.call("GET", f"/question-bank/{qid}").status_code == 404
        assert api.call("PUT", f"/question-bank/{qid}", body=EDIT | {"version": 1}).status_code == 404
        assert api.call("DELETE", f"/question-bank/{qid}", body={"reason": "x-x", "version": 1}).status_code == 404


def test_a_retried_add_with_the_same_idempotency_key_adds_one_question(api: Api) -> None:
    headers = {"Idempotency-Key": "add-guarantee-question"}
    first = api.call("POST", "/question-bank", body=NEW, headers=headers)
    again = api.call("POST", "/question-bank", body=NEW, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.data["question_id"] == again.data["question_id"]
    hr_added = [
        q for q in listing(api, "role_family=customer_manager&dimension=expression")["items"] if q["origin"] == "hr"
    ]
    assert len(hr_added) == 1
