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

from shared.models.common import iso, new_id, utcnow
from shared.models.probation import Probation
from shared.store.audit import AuditEntry
from shared.store.table import Page, Store

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


class ProbationStore(Store):
    def get(self, employee_id: str) -> Probation | None:
        return self.table.get_model(Probation, **probation_key(employee_id))

    def put(
        self,
        prob: Probation,
        expected: int | None,
        audit: AuditEntry,
        extra: list[dict[str, Any]] | None = None,
    ) -> None:
        """Write ``prob`` if the stored one is still at ``expected`` (None: if there is none yet)."""
        self.table.write_versioned(
            [(probation_item(prob), expected)],
            audit,
            f"the probation of {prob.employee_id} was changed meanwhile; reload and retry",
            extra=[self.table.put_op(i) for i in extra or []],
        )

    @staticmethod
    def progress_item(employee_id: str, entry: dict[str, Any]) -> dict[str, Any]:
        return {
            "pk": f"EMP#{employee_id}",
            "sk": f"PROGRESS#{entry['date']}#{new_id()}",
            "type": "probation_progress",
            **entry,
        }

    def active(self, limit: int = 100, token: str | None = None) -> Page:
        return self.table.query(ACTIVE_PK, index=ACTIVE_INDEX, limit=limit, token=token)

    # -- mail markers ------------------------------------------------------------------------------
    def notice_sent(self, employee_id: str, notice: str) -> bool:
        return self.notice_status(employee_id, notice) == "sent"

    def notice_status(self, employee_id: str, notice: str) -> str | None:
        """``sending``, ``sent``, ``held`` (not due yet) or None (never handled)."""
        marker = self.table.get_item(f"EMP#{employee_id}", f"NOTICE#{notice}")
        return str(marker["status"]) if marker and marker.get("status") else None

    def mark_notice(self, employee_id: str, notice: str, status: str) -> None:
        item = {"pk": f"EMP#{employee_id}", "sk": f"NOTICE#{notice}", "type": "probation_notice"}
        self.table.put_item(item | {"status": status, "at": iso(utcnow())})
