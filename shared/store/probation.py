"""Probation items in the employee's partition (``EMP#<id>``), and the active-probation index.

* ``PROBATION`` — the whole probation (see ``shared.models.probation``); while ``running`` it carries
  ``gsi1pk = PROBATION#ACTIVE`` / ``gsi1sk = <department>#<employee id>`` so the daily digest reads
  the active probations with one paginated Query (no Scan). The state machine removes the keys when
  it writes the outcome.
* ``PROGRESS#<date>#<id>`` — one recorded achievement, written with the probation in one transaction.
* ``NOTICE#<kind>#<cycle>`` — a mail marker (``sending`` → ``sent``): a redelivered message mails once.

Every API write is a whole-item Put conditional on the version read, with its audit record in the
same transaction; the state machine's updates increment ``version`` too, so of two racing writers
exactly one wins.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from shared.errors import Conflict
from shared.models.common import iso, new_id, utcnow
from shared.models.probation import Probation
from shared.store.failures import unavailable
from shared.store.items import serialize, value
from shared.store.repository import AuditEntry, PartitionStore
from shared.store.table import Page

ACTIVE_INDEX = "gsi1"
ACTIVE_PK = "PROBATION#ACTIVE"


def probation_key(employee_id: str) -> dict[str, str]:
    return {"pk": f"EMP#{employee_id}", "sk": "PROBATION"}


def probation_item(prob: Probation) -> dict[str, Any]:
    item = {**probation_key(prob.employee_id), "type": "probation", **prob.model_dump(mode="json")}
    if prob.status == "running":
        item["gsi1pk"] = ACTIVE_PK
        item["gsi1sk"] = f"{prob.department}#{prob.employee_id}"
    return item


class ProbationStore(PartitionStore):
    def get(self, employee_id: str) -> Probation | None:
        key = probation_key(employee_id)
        item = self.repo.get_item(key["pk"], key["sk"])
        return Probation.model_validate(item) if item else None

    def put(
        self,
        prob: Probation,
        expected: int | None,
        audit: AuditEntry,
        extra: list[dict[str, Any]] | None = None,
    ) -> None:
        """Write ``prob`` if the stored one is still at ``expected`` (None: if there is none yet)."""
        put: dict[str, Any] = {"TableName": self.table_name, "Item": serialize(probation_item(prob))}
        if expected is None:
            put["ConditionExpression"] = "attribute_not_exists(pk)"
        else:
            put["ConditionExpression"] = "#v = :v"
            put["ExpressionAttributeNames"] = {"#v": "version"}
            put["ExpressionAttributeValues"] = {":v": value(expected)}
        items = [
            {"Put": put},
            {"Put": {"TableName": self.table_name, "Item": serialize(audit.item())}},
            *[{"Put": {"TableName": self.table_name, "Item": serialize(i)}} for i in extra or []],
        ]
        try:
            self._ddb.transact_write_items(TransactItems=items)
        except ClientError as exc:
            reasons = exc.response.get("CancellationReasons") or []
            if reasons and reasons[0].get("Code") == "ConditionalCheckFailed":
                raise Conflict(
                    f"the probation of {prob.employee_id} was changed meanwhile; reload and retry",
                    [{"field": "version", "message": "changed by someone else; reload"}],
                ) from exc
            raise (unavailable(exc) or exc) from exc

    @staticmethod
    def progress_item(employee_id: str, entry: dict[str, Any]) -> dict[str, Any]:
        return {
            "pk": f"EMP#{employee_id}",
            "sk": f"PROGRESS#{entry['date']}#{new_id()}",
            "type": "probation_progress",
            **entry,
        }

    def active(self, limit: int = 100, token: str | None = None) -> Page:
        return self.repo.query(ACTIVE_PK, index=ACTIVE_INDEX, limit=limit, token=token)

    # -- mail markers ------------------------------------------------------------------------------
    def notice_sent(self, employee_id: str, notice: str) -> bool:
        marker = self.repo.get_item(f"EMP#{employee_id}", f"NOTICE#{notice}")
        return bool(marker and marker.get("status") == "sent")

    def mark_notice(self, employee_id: str, notice: str, status: str) -> None:
        item = {"pk": f"EMP#{employee_id}", "sk": f"NOTICE#{notice}", "type": "probation_notice"}
        item |= {"status": status, "at": iso(utcnow())}
        self._ddb.put_item(TableName=self.table_name, Item=serialize(item))
