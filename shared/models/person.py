"""The talent archive of a person: every application, employee record, performance cycle and pool
of one person, keyed by the keyed hash of the national ID (``shared/security/pii.py``).

Stored as ``PERSON#<id>`` / ``META`` (created by the first application) and one link item per
application (``PERSON#<id>`` / ``APP#<application id>``) written in the application's own creation
transaction; the application and the employee record carry ``person_id`` back.
"""

from __future__ import annotations

from datetime import date

from pydantic import ConfigDict, Field

from shared.models.common import Model, Response
from shared.models.privacy import ErasureReceipt
from shared.security.audited import audited
from shared.vocabulary import Stage


class PersonLink(Model):
    """What the person's archive remembers of one application (the rest is read from it)."""

    model_config = ConfigDict(extra="ignore")

    application_id: str
    requisition_id: str
    title: str
    department: str
    applied_at: str


class PersonNote(Response):
    """Told to HR when a known person applies again."""

    person_id: str
    applications_before: int
    employee_status: str | None = Field(description="onboarding, active or departed when the person is or was a hire")
    note_zh: str = Field(description="e.g. 已在库：2025 年应聘过对公客户经理（零售金融部），现为员工")
    note_en: str


class PersonApplication(Response):
    application_id: str
    requisition_id: str
    title: str
    department: str
    applied_at: str
    stage: Stage | None = Field(description="null once the application was erased")


class PersonEmployment(Response):
    employee_id: str
    department: str
    title: str
    grade: str
    start_date: date
    status: str


class PersonPerformance(Response):
    employee_id: str
    cycle_id: str
    cycle_name: str | None = None
    overall_score: float | None = None
    rating: str | None = None


class PersonPool(Response):
    employee_id: str
    pool: str
    since: str | None = None


class PersonView(Response):
    """GET /people/{id}: shaped by role like the application archive (HR: everything; managers: their
    department's records; interviewers: the applications assigned to them, no employment). Every
    read is audited (``person.read``, written by the HTTP edge before the response leaves)."""

    model_config = ConfigDict(json_schema_extra=audited("person.read"))

    id: str
    view: str
    name: str | None
    first_seen: str
    applications: list[PersonApplication]
    employment: list[PersonEmployment] = Field(default_factory=list)
    performance: list[PersonPerformance] = Field(default_factory=list)
    pools: list[PersonPool] = Field(default_factory=list)


class PersonErasure(Response):
    """DELETE /people/{id}: every application of the person erased (anonymised scores kept)."""

    person_id: str
    receipts: list[ErasureReceipt]
