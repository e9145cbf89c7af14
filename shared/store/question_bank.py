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

from typing import Any

from botocore.exceptions import ClientError

from shared.models.common import Dimension
from shared.models.question_bank import BankFamily, Question
from shared.store import aws
from shared.store.failures import unavailable
from shared.store.items import value
from shared.store.repository import AuditEntry, Repository
from shared.store.versioned import put_versioned


def key(family: BankFamily, dimension: Dimension, question_id: str) -> dict[str, str]:
    return {"pk": f"QBANK#{family.value}", "sk": f"{dimension.value}#{question_id}"}


class QuestionBankStore:
    def __init__(self, repo: Repository | None = None) -> None:
        self.repo = repo or Repository()

    def stored(self, family: BankFamily, dimension: Dimension | None = None) -> list[Question]:
        """Every stored question of the family (or of one dimension): one Query, paged only past 1 MB."""
        items: list[dict[str, Any]] = []
        token = None
        prefix = f"{dimension.value}#" if dimension else None
        while True:
            page = self.repo.query(f"QBANK#{family.value}", sk_prefix=prefix, limit=1000, token=token)
            items += page.items
            token = page.next_token
            if not token:
                return [Question.model_validate(i) for i in items]

    def get(self, family: BankFamily, dimension: Dimension, question_id: str) -> Question | None:
        k = key(family, dimension, question_id)
        item = self.repo.get_item(k["pk"], k["sk"])
        return Question.model_validate(item) if item else None

    def count(self, family: BankFamily, dimension: Dimension) -> int:
        """How many questions of one dimension are stored (a COUNT query: keys only)."""
        kwargs: dict[str, Any] = {
            "TableName": self.repo.table_name,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :sk)",
            "ExpressionAttributeValues": {":pk": value(f"QBANK#{family.value}"), ":sk": value(f"{dimension.value}#")},
            "Select": "COUNT",
        }
        total = 0
        while True:
            try:
                out = aws.client("dynamodb").query(**kwargs)
            except ClientError as exc:
                raise (unavailable(exc) or exc) from exc
            total += out["Count"]
            if "LastEvaluatedKey" not in out:
                return total
            kwargs["ExclusiveStartKey"] = out["LastEvaluatedKey"]

    def put(self, question: Question, expected: int | None, audit: AuditEntry) -> None:
        """Store ``question`` if the stored copy is still at ``expected`` (None: nothing stored yet),
        with its audit record in the same transaction; otherwise ``Conflict``."""
        item = {
            **key(question.role_family, question.dimension, question.question_id),
            "type": "bank_question",
            **question.model_dump(mode="json"),
        }
        put_versioned(
            self.repo, item, expected, audit, f"question {question.question_id} was changed by someone else; reload"
        )
