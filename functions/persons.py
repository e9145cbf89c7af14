"""The person's talent archive: GET /people/{id} (role-shaped) and DELETE /people/{id} (hr; PIPL
erasure of every application of the person)."""

from __future__ import annotations

from typing import Any

from functions.http import Call, ok
from functions.verbs import Routes
from shared.models.person import PersonErasure, PersonView
from shared.models.privacy import ErasureRequest
from shared.security.policy import Action, authorize
from shared.services.persons import Persons

bp = Routes(__name__)


@bp.get("/people/{person_id}", response=PersonView)
def get_person(call: Call, person_id: str) -> Any:
    """One person's archive: every application (with its stage), employment, performance cycles and
    talent pools. HR sees all; a manager the records of their department; an interviewer the
    applications assigned to them (no employment). 403 when none of it is yours; every read audited."""
    return ok(Persons().view(call.who, person_id))


@bp.delete("/people/{person_id}", body=ErasureRequest, response=PersonErasure, extra_statuses=(409,))
def erase_person(call: Call[ErasureRequest, None], person_id: str) -> Any:
    """Erase every application of the person as ``DELETE /candidates/{id}`` does (hr, with a reason;
    each audited); the person's archive goes with them. 409 when the person is or was an employee."""
    authorize(call.who, Action.candidate_erase)  # before the body: no validation hints to outsiders
    receipts = Persons().erase(call.who, person_id, call.body.reason, call.source_ip)
    return ok(PersonErasure(person_id=person_id, receipts=receipts))
