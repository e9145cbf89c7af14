"""Interviewers' availability (``INTERVIEWER#<username>`` / ``AVAILABILITY``), written conditionally on
the version read, with its audit record."""

from __future__ import annotations

from shared.models.availability import Availability
from shared.store.audit import AuditEntry
from shared.store.table import Store


def availability_key(username: str) -> dict[str, str]:
    return {"pk": f"INTERVIEWER#{username}", "sk": "AVAILABILITY"}


class AvailabilityStore(Store):
    def get(self, username: str) -> Availability:
        item = self.table.get_item(**availability_key(username))
        return Availability.model_validate(item) if item else Availability(username=username, slots=[])

    def put(self, after: Availability, expected: int | None, audit: AuditEntry) -> None:
        """Conflict (409) when another writer changed it since ``expected`` (None: never written)."""
        item = {**availability_key(after.username), "type": "availability", **after.model_dump(mode="json")}
        self.table.write_versioned([(item, expected)], audit, f"the availability of {after.username} changed meanwhile")
