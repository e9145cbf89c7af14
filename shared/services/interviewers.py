"""Second-interview slots from the interviewers' availability: HR enters each interviewer's free slots;
confirming a shortlist gives every invited applicant a slot of their own (the earliest free ones of the
named interviewers), booked in one conditional write so two confirmations never share a slot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from shared import clock
from shared.errors import Conflict, ValidationFailed
from shared.models.availability import Availability, AvailabilityUpdate, Slot
from shared.models.common import iso, utcnow
from shared.store.audit import AuditEntry
from shared.store.availability import AvailabilityStore, availability_key
from shared.store.repository import Repository


@dataclass(frozen=True)
class Booking:
    starts_at: str
    minutes: int
    interviewer: str


def _start(slot: Slot) -> datetime:
    return datetime.fromisoformat(slot.starts_at.replace("Z", "+00:00"))


def _overlaps(a: Slot, b: Slot) -> bool:
    return _start(a) < _start(b) + timedelta(minutes=b.minutes) and _start(b) < _start(a) + timedelta(minutes=a.minutes)


class Interviewers:
    def __init__(self, repo: Repository | None = None) -> None:
        self.repo = repo or Repository()
        self.store = AvailabilityStore(self.repo)

    def availability(self, username: str) -> Availability:
        return self.store.get(username)

    def set_availability(self, username: str, body: AvailabilityUpdate, actor: str, ip: str | None) -> Availability:
        """Replace the interviewer's free slots (booked ones stay); 400 names a slot in the past or one
        that overlaps another, 409 a stale version."""
        current = self.store.get(username)
        if body.version is not None and body.version != current.version:
            raise Conflict(
                f"the availability of {username} is at version {current.version}; reload and retry",
                [{"field": "version", "message": f"stale: the current version is {current.version}"}],
            )
        booked = [s for s in current.slots if s.booked_by]
        now = clock.now()
        problems: list[dict[str, str]] = []
        free: list[Slot] = []
        for n, given in enumerate(body.slots):
            slot = Slot(starts_at=iso(given.starts_at), minutes=given.minutes)
            if given.starts_at <= now:
                problems.append({"field": f"slots.{n}.starts_at", "message": "is in the past"})
            elif any(_overlaps(slot, other) for other in [*booked, *free]):
                problems.append(
                    {"field": f"slots.{n}.starts_at", "message": "overlaps another slot of this interviewer"}
                )
            else:
                free.append(slot)
        if problems:
            raise ValidationFailed("the availability is not valid", problems)
        after = Availability(
            username=username,
            slots=sorted([*booked, *free], key=_start),
            version=current.version + 1,
            updated_at=iso(utcnow()),
            updated_by=actor,
        )
        details = {"free": len(free), "booked": len(booked)}
        audit = AuditEntry(f"interviewer:{username}", actor, "interviewer.availability", details, ip)
        self.store.put(after, current.version or None, audit)
        return after

    def free_slots(self, interviewers: list[str]) -> int:
        now = clock.now()
        return sum(
            1
            for u in dict.fromkeys(interviewers)
            for s in self.store.get(u).slots
            if s.booked_by is None and _start(s) > now
        )

    def booked_for(self, interviewers: list[str], application_ids: list[str]) -> int:
        """How many of ``application_ids`` hold a slot of these interviewers already (a repeat)."""
        wanted = set(application_ids)
        return sum(1 for u in dict.fromkeys(interviewers) for s in self.store.get(u).slots if s.booked_by in wanted)

    def book(self, interviewers: list[str], application_ids: list[str], actor: str) -> dict[str, Booking]:
        """A distinct slot per application: one it was given before (a repeated confirmation), else the
        earliest free one; 409 naming the shortfall when there are too few, and nothing is booked."""
        avail = {u: self.store.get(u) for u in dict.fromkeys(interviewers)}
        wanted = set(application_ids)
        bookings = {
            s.booked_by: Booking(s.starts_at, s.minutes, u)
            for u, a in avail.items()
            for s in a.slots
            if s.booked_by in wanted
        }
        need = [a for a in application_ids if a not in bookings]
        now = clock.now()
        free = sorted(
            ((s, u) for u, a in avail.items() for s in a.slots if s.booked_by is None and _start(s) > now),
            key=lambda pair: (_start(pair[0]), pair[1]),
        )
        if len(free) < len(need):
            raise Conflict(
                f"not enough interview slots: {len(need)} invitations, {len(free)} free slots of "
                f"{', '.join(avail)}; HR enters more availability first",
                [{"field": "interview.interviewers", "needed": len(need), "free": len(free)}],
            )
        if not need:
            return bookings
        changed: dict[str, list[Slot]] = {}
        for app_id, (slot, username) in zip(need, free, strict=False):
            slots = changed.setdefault(username, [s.model_copy() for s in avail[username].slots])
            hit = next(s for s in slots if s.starts_at == slot.starts_at)
            hit.booked_by = app_id
            bookings[app_id] = Booking(slot.starts_at, slot.minutes, username)
        writes = []
        for username, slots in changed.items():
            before = avail[username]
            after = before.model_copy(
                update={"slots": slots, "version": before.version + 1, "updated_at": iso(utcnow()), "updated_by": actor}
            )
            writes.append(
                (
                    {**availability_key(username), "type": "availability", **after.model_dump(mode="json")},
                    before.version or None,
                )
            )
        audit = AuditEntry(
            f"interviewers:{','.join(changed)}", actor, "interviewer.slots_booked", {"applications": need}, None
        )
        self.repo.write_versioned(writes, audit, "another confirmation booked these slots meanwhile; retry")
        return bookings
