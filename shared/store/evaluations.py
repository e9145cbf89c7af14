"""Second-interview evaluations in the application's partition.

=====================  ==========================  ===================
item                   pk                          sk
=====================  ==========================  ===================
evaluation             APP#<application>           EVAL#<username>
=====================  ==========================  ===================

One per evaluator per application, read by the talent archive with the same single partition Query
as every other section. The first submission is a put conditional on there being none; a replacement
is conditional on the version the evaluator read; either way with its audit record.
"""

from __future__ import annotations

from shared.models.evaluation import Evaluation
from shared.store.audit import AuditEntry
from shared.store.table import Store

SK_PREFIX = "EVAL#"


class EvaluationStore(Store):
    def get(self, application_id: str, evaluator: str) -> Evaluation | None:
        return self.table.get_model(Evaluation, f"APP#{application_id}", f"{SK_PREFIX}{evaluator}")

    def put(self, evaluation: Evaluation, expected: int | None, audit: AuditEntry) -> None:
        """Store ``evaluation`` if the stored one is still at ``expected`` (None: if there is none yet)."""
        item = {"pk": f"APP#{evaluation.application_id}", "sk": f"{SK_PREFIX}{evaluation.evaluator}"}
        item |= {"type": "evaluation", **evaluation.model_dump(mode="json")}
        conflict = f"your evaluation of application {evaluation.application_id} was changed meanwhile; reload and retry"
        self.table.write_versioned([(item, expected)], audit, conflict)
