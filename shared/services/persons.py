"""The person's talent archive: every application, employee record, performance cycle and pool of
one person (keyed by the keyed hash of the national ID), shaped by role; the note HR gets when a
known person applies again; erasure of the whole person."""

from __future__ import annotations

from typing import Any

from shared.domain.performance import POOLS
from shared.errors import Conflict, Forbidden, NotFound
from shared.models.employee import Employee, employee_key
from shared.models.person import (
    PersonApplication,
    PersonEmployment,
    PersonLink,
    PersonNote,
    PersonPerformance,
    PersonPool,
    PersonView,
)
from shared.models.privacy import ErasureReceipt
from shared.security.policy import Action, Scope, authorize
from shared.security.tokens import Principal
from shared.services.erasure import erase
from shared.store.persons import PersonStore, person_key
from shared.store.repository import Repository

EMPLOYEE_ZH = {"onboarding": "已签约待入职", "active": "现为员工", "departed": "曾为员工"}
EMPLOYEE_EN = {
    "onboarding": "signed, starting soon",
    "active": "currently an employee",
    "departed": "a former employee",
}


class Persons:
    def __init__(self, repo: Repository | None = None) -> None:
        self.repo = repo or Repository()
        self.store = PersonStore(self.repo)

    def _read(self, person_id: str) -> tuple[dict[str, Any], list[PersonLink]]:
        items = self.store.partition(person_id)
        meta = next((i for i in items if i["sk"] == "META"), None)
        if meta is None:
            raise NotFound(f"person {person_id} does not exist")
        return meta, self.store.links(items)

    def _employees(self, links: list[PersonLink]) -> list[Employee]:
        found = self.repo.get_many([employee_key(link.application_id) for link in links])
        return sorted((Employee.model_validate(i) for i in found), key=lambda e: e.start_date)

    # -- the note on a new application --------------------------------------------------------------
    def note(self, person_id: str | None, new_application_id: str) -> PersonNote | None:
        """What HR is told when the person behind a new application is already in the archive."""
        if person_id is None:
            return None
        try:
            _, links = self._read(person_id)
        except NotFound:
            return None
        before = [link for link in links if link.application_id != new_application_id]
        if not before:
            return None
        employees = self._employees(before)
        status = employees[-1].status if employees else None
        zh = "、".join(f"{link.applied_at[:4]} 年应聘过{link.title}（{link.department}）" for link in before)
        en = "; ".join(f"applied for {link.title} ({link.department}) in {link.applied_at[:4]}" for link in before)
        return PersonNote(
            person_id=person_id,
            applications_before=len(before),
            employee_status=status,
            note_zh=f"已在库：{zh}" + (f"，{EMPLOYEE_ZH[status]}" if status else ""),
            note_en=f"Already in the archive: {en}" + (f"; {EMPLOYEE_EN[status]}" if status else ""),
        )

    # -- GET /people/{id} ---------------------------------------------------------------------------
    def view(self, who: Principal, person_id: str) -> PersonView:
        scope = authorize(who, Action.person_read)
        meta, links = self._read(person_id)
        keys = [{"pk": f"APP#{link.application_id}", "sk": "META"} for link in links]
        projection = "id, stage, department, interviewers, #n, created_at"
        apps = {i["id"]: i for i in self.repo.get_many(keys, projection=projection, names={"#n": "name"})}
        if scope is Scope.department:
            links = [link for link in links if link.department == who.department]
        elif scope is Scope.assigned:
            links = [
                link for link in links if who.username in apps.get(link.application_id, {}).get("interviewers", [])
            ]
        if not links:
            raise Forbidden("none of this person's records is yours to read")
        applications = [
            PersonApplication(**link.model_dump(), stage=apps.get(link.application_id, {}).get("stage"))
            for link in links
        ]
        latest = [apps[link.application_id] for link in reversed(links) if link.application_id in apps]
        view = PersonView(
            id=person_id,
            view=who.primary_role,
            name=str(latest[0].get("name")) if latest else None,
            first_seen=str(meta.get("first_seen", "")),
            applications=applications,
        )
        if scope is Scope.assigned:
            return view  # interviewers see the applications they interview, never employment
        employees = [e for e in self._employees(links) if scope is Scope.all or e.department == who.department]
        view.employment = [PersonEmployment(employee_id=e.id, **e.model_dump(include=EMPLOYMENT)) for e in employees]
        for employee in employees:
            for record in self.repo.query_all(f"EMP#{employee.id}", sk_prefix="PERF#"):
                view.performance.append(
                    PersonPerformance(
                        employee_id=employee.id,
                        cycle_id=str(record.get("cycle_id", "")),
                        cycle_name=record.get("cycle_name"),
                        overall_score=record.get("overall_score"),
                        rating=record.get("rating"),
                    )
                )
            pool_keys = [{"pk": f"POOL#{pool}", "sk": f"{employee.department}#{employee.id}"} for pool in POOLS]
            for member in self.repo.get_many(pool_keys):
                if member.get("status") == "member":
                    history = member.get("history") or [{}]
                    view.pools.append(
                        PersonPool(employee_id=employee.id, pool=str(member["pool"]), since=history[-1].get("at"))
                    )
        return view

    # -- erasure of the whole person ------------------------------------------------------------------
    def erase(self, who: Principal, person_id: str, reason: str, source_ip: str | None) -> list[ErasureReceipt]:
        """Erase every application of the person (PIPL), after checking none is an employment record;
        the person's archive goes with its last link."""
        authorize(who, Action.candidate_erase)
        _, links = self._read(person_id)
        if self._employees(links):
            raise Conflict(
                f"person {person_id} is or was an employee; employment records are kept under their own retention",
                [{"person_id": person_id}],
            )
        receipts = [erase(self.repo, link.application_id, who.username, reason, source_ip) for link in links]
        self.repo.delete_item(person_key(person_id))
        return receipts


EMPLOYMENT = {"department", "title", "grade", "start_date", "status"}
