"""HR's changes to the question bank in the talent table.

=====================  ======================  ===============================  =====
item                   pk                      sk                               index
=====================  ======================  ===============================  =====
bank question          QBANK#<role_family>     <dimension>#<question_id>        -
audit record           AUDIT#question:<id>     <ts>#<id>                        -
=====================  ======================  ===============================  =====

One partition per family, so a kit reads a family's whole bank with one Query, and one dimension
of it with ``begins_with(sk, "<dimension>#")``. Only HR's additions and overrides of seed
questions are stored; the seed itself ships with the code.
"""

from __future__ import annotations

from shared.models.common import Dimension
from shared.models.question_bank import BankFamily, Question
from shared.store.audit import AuditEntry
from shared.store.table import Store


def key(family: BankFamily, dimension: Dimension, question_id: str) -> dict[str, str]:
    return {"pk": f"QBANK#{family.value}", "sk": f"{dimension.value}#{question_id}"}


class QuestionBankStore(Store):
    def stored(self, family: BankFamily, dimension: Dimension | None = None) -> list[Question]:
        """Every stored question of the family (or of one dimension): one Query, paged only past 1 MB."""
        prefix = f"{dimension.value}#" if dimension else None
        return [Question.model_validate(i) for i in self.table.query_all(f"QBANK#{family.value}", sk_prefix=prefix)]

    def get(self, family: BankFamily, dimension: Dimension, question_id: str) -> Question | None:
        return self.table.get_model(Question, **key(family, dimension, question_id))

    def count(self, family: BankFamily, dimension: Dimension) -> int:
        """How many questions of one dimension are stored (a COUNT query: keys only)."""
        return self.table.count(f"QBANK#{family.value}", sk_prefix=f"{dimension.value}#")

    def put(self, question: Question, expected: int | None, audit: AuditEntry) -> None:
        """Store ``question`` if the stored copy is still at ``expected`` (None: nothing stored yet),
        with its audit record in the same transaction; otherwise ``Conflict``."""
        item = {
            **key(question.role_family, question.dimension, question.question_id),
            "type": "bank_question",
            **question.model_dump(mode="json"),
        }
        conflict = f"question {question.question_id} was changed by someone else; reload"
        self.table.write_versioned([(item, expected)], audit, conflict)
