"""The person archive in the talent table.

=====================  ==========================  =====================  =======
item                   pk                          sk                     indexes
=====================  ==========================  =====================  =======
person                 PERSON#<keyed hash of NID>  META                   -
application link       PERSON#<keyed hash of NID>  APP#<application id>   -
=====================  ==========================  =====================  =======

The person item is an upsert (``if_not_exists``) and the link a new item, both in the application's
creation transaction, so concurrent first applications of one person make one person. The whole
archive is one Query on the partition.
"""

from __future__ import annotations

from typing import Any

from shared.models.application import Application
from shared.models.person import PersonLink
from shared.store.table import Store

LINK_PREFIX = "APP#"


def person_key(person_id: str) -> dict[str, str]:
    return {"pk": f"PERSON#{person_id}", "sk": "META"}


class PersonStore(Store):
    def link_ops(self, app: Application, title: str) -> list[dict[str, Any]]:
        """The transaction items that create the person on a first application and link ``app``."""
        assert app.person_id is not None
        person = self.table.update_op(
            person_key(app.person_id),
            "SET #t = :t, first_seen = if_not_exists(first_seen, :at), first_application_id = "
            "if_not_exists(first_application_id, :app) ADD applications :one",
            names={"#t": "type"},
            values={":t": "person", ":at": app.created_at, ":app": app.id, ":one": 1},
        )
        link = PersonLink(
            application_id=app.id,
            requisition_id=app.requisition_id,
            title=title,
            department=app.department,
            applied_at=app.created_at,
        )
        item = {"pk": f"PERSON#{app.person_id}", "sk": f"{LINK_PREFIX}{app.id}", "type": "person_link"}
        return [person, self.table.new_op(item | link.model_dump(mode="json"))]

    def partition(self, person_id: str) -> list[dict[str, Any]]:
        return self.table.query_all(f"PERSON#{person_id}")

    def links(self, items: list[dict[str, Any]]) -> list[PersonLink]:
        found = [PersonLink.model_validate(i) for i in items if str(i["sk"]).startswith(LINK_PREFIX)]
        return sorted(found, key=lambda link: link.applied_at)

    def unlink(self, person_id: str, application_id: str) -> None:
        """Forget one application (its erasure): the link goes; the person goes with its last link."""
        self.table.delete_item({"pk": f"PERSON#{person_id}", "sk": f"{LINK_PREFIX}{application_id}"})
        if not any(str(i["sk"]).startswith(LINK_PREFIX) for i in self.partition(person_id)):
            self.table.delete_item(person_key(person_id))
