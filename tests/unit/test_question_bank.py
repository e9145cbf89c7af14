"""The seed question bank: complete, bilingual, well-formed ids; HR's overrides replace seed entries."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

import shared
from infra.package import build_vendor
from shared.domain import question_bank as bank
from shared.models.common import Dimension, RoleFamily
from shared.models.question_bank import BankFamily, Question

CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def test_every_dimension_has_at_least_five_questions_for_customer_and_risk_managers() -> None:
    # Given the seed bank
    counts = Counter((q.role_family, q.dimension) for q in bank.seed())
    # Then both families have at least five questions for each of the eight dimensions
    for family in (BankFamily.customer_manager, BankFamily.risk_manager):
        for dimension in Dimension:
            assert counts[(family, dimension)] >= 5, (family, dimension)
    # And the general bank, which any family falls back on, has at least two per dimension
    for dimension in Dimension:
        assert counts[(BankFamily.general, dimension)] >= 2, dimension


def test_every_question_is_in_chinese_with_an_english_translation_and_a_strong_answer() -> None:
    for q in bank.seed():
        # Then the question and what a strong answer shows are Chinese text...
        assert CJK.search(q.text_zh) and CJK.search(q.strong_answer_zh), q.question_id
        # ...with English translations that contain no Chinese
        assert LATIN_WORD.search(q.text_en) and not CJK.search(q.text_en), q.question_id
        assert LATIN_WORD.search(q.strong_answer_en) and not CJK.search(q.strong_answer_en), q.question_id
        # And every seed question is active at version 1
        assert (q.origin, q.status, q.version) == ("seed", "active", 1)


def test_seed_questions_differ_and_their_ids_name_family_and_dimension() -> None:
    questions = bank.seed()
    ids = [q.question_id for q in questions]
    assert len(ids) == len(set(ids))
    texts = [q.text_zh for q in questions]
    assert len(texts) == len(set(texts)), "a question appears twice"
    for q in questions:
        assert bank.parse_id(q.question_id) == (q.role_family, q.dimension)
        assert bank.seed_question(q.question_id) == q


def test_the_issues_example_is_a_customer_manager_expression_question() -> None:
    # Given weak expression for a customer manager, the bank has the persuasion question
    expression = [q for q in bank.seed() if (q.role_family, q.dimension) == (BankFamily.customer_manager, "expression")]
    assert any("说服客户接受复杂产品" in q.text_zh and "persuaded a client" in q.text_en for q in expression)


def test_every_requisition_role_family_is_a_bank_family() -> None:
    assert {f.value for f in RoleFamily} <= {f.value for f in BankFamily}


@pytest.mark.parametrize(
    "bad",
    ["", "customer_manager.expression", "astronaut.expression.01", "customer_manager.charm.01", "a.b.c.d", "x..01"],
)
def test_anything_but_family_dimension_suffix_is_not_a_question_id(bad: str) -> None:
    assert bank.parse_id(bad) is None
    assert bank.parse_id("customer_manager.expression.Ab") is None  # suffix: lowercase letters and digits


def test_stored_questions_override_seed_entries_and_additions_follow_in_age_order() -> None:
    # Given the seed questions of the customer-manager bank
    seeded = [q for q in bank.seed() if q.role_family is BankFamily.customer_manager]
    first = seeded[0]
    # And HR's retirement of the first logic question plus two additions (the younger one listed first)
    retired = first.model_copy(update={"status": "retired", "version": 2, "retired_reason": "outdated"})
    older = Question(
        question_id="customer_manager.logic.aaaaaaaaaaaa",
        role_family=BankFamily.customer_manager,
        dimension=Dimension.logic,
        text_zh="请举例说明你如何核对一份授信方案中的数字。",
        text_en="Walk us through checking the numbers in a credit proposal.",
        strong_answer_zh="逐项核对来源。",
        strong_answer_en="Checks every figure against its source.",
        origin="hr",
        created_at="2026-01-01T00:00:00Z",
    )
    younger = older.model_copy(
        update={"question_id": "customer_manager.logic.000000000000", "created_at": "2026-02-01"}
    )
    # When the effective bank is computed
    merged = bank.effective(BankFamily.customer_manager, [younger, retired, older], Dimension.logic)
    # Then the retired question replaces its seed entry in place, and the additions come after the seed, oldest first
    ids = [q.question_id for q in merged]
    assert ids[0] == first.question_id and merged[0].status == "retired" and merged[0].version == 2
    assert ids[-2:] == [older.question_id, younger.question_id]
    assert len(merged) == sum(q.dimension is Dimension.logic for q in seeded) + 2
    assert all(q.dimension is Dimension.logic for q in merged)


def test_the_seed_travels_with_the_code_into_the_deployment_package(tmp_path: Path) -> None:
    # Given a checkout holding the shared package
    shutil.copytree(Path(shared.__file__).parent, tmp_path / "shared", ignore=shutil.ignore_patterns("__pycache__"))
    # When the packaging step vendors it
    vendor = build_vendor(tmp_path, ["shared"])
    # Then the seed bank is inside the vendored package, whole
    copied = json.loads((vendor / "shared" / bank.SEED_RESOURCE).read_text("utf-8"))
    assert sum(len(q) for dims in copied["families"].values() for q in dims.values()) == len(bank.seed())
