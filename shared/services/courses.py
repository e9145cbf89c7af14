"""The course catalogue: read by HR and managers, maintained by HR (seed ⊕ HR's changes).

Every change is a new version written conditionally on the version read (409 when stale), with its
audit record in the same transaction. Retired courses stay in the catalogue and are never planned.
"""

from __future__ import annotations

from shared.domain import courses as rules
from shared.errors import Conflict
from shared.models.common import Dimension, iso, new_id, utcnow
from shared.models.training import Course, CourseCreate, CourseRetire, CourseUpdate
from shared.services.catalogue import Status, current, next_version, refuse_when_full, with_status
from shared.store.audit import AuditEntry
from shared.store.courses import CourseStore
from shared.store.repository import Repository

MAX_STORED_PER_DIMENSION = 50


class Courses:
    def __init__(self, repo: Repository | None = None) -> None:
        self.store = CourseStore(repo)

    def catalogue(self, dimension: Dimension | None = None, status: Status = "active") -> list[Course]:
        return with_status(rules.effective(self.store.stored(dimension), dimension), status)

    def get(self, course_id: str) -> Course:
        return self._current(course_id)[0]

    def _current(self, course_id: str) -> tuple[Course, bool]:
        where = rules.parse_id(course_id)
        return current("course", course_id, where, lambda d: self.store.get(d, course_id), rules.seed_course)

    def add(self, body: CourseCreate, actor: str, source_ip: str | None) -> Course:
        added = len([c for c in self.store.stored(body.dimension) if c.origin == "hr"])
        full = f"the catalogue already holds {MAX_STORED_PER_DIMENSION} added courses for {body.dimension.value}"
        refuse_when_full(added, MAX_STORED_PER_DIMENSION, full, "dimension", "this dimension is full")
        course = Course(
            course_id=rules.make_id(body.dimension, new_id()[:12]),
            origin="hr",
            updated_at=iso(utcnow()),
            updated_by=actor,
            **body.model_dump(),
        )
        self.store.put(course, None, self._audit(course, actor, "course.create", source_ip))
        return course

    def edit(self, course_id: str, body: CourseUpdate, actor: str, source_ip: str | None) -> Course:
        current, stored = self._current(course_id)
        self._check(current, body.version)
        after = next_version(current, actor, body.model_dump(exclude={"version"}))
        self.store.put(
            after, current.version if stored else None, self._audit(after, actor, "course.update", source_ip)
        )
        return after

    def retire(self, course_id: str, body: CourseRetire, actor: str, source_ip: str | None) -> Course:
        current, stored = self._current(course_id)
        self._check(current, body.version)
        after = next_version(current, actor, {"status": "retired", "retired_reason": body.reason})
        self.store.put(
            after, current.version if stored else None, self._audit(after, actor, "course.retire", source_ip)
        )
        return after

    @staticmethod
    def _check(current: Course, version: int) -> None:
        if current.status == "retired":
            raise Conflict(f"course {current.course_id} is retired")
        if current.version != version:
            raise Conflict(
                f"course {current.course_id} is at version {current.version}, not {version}",
                [{"field": "version", "message": "changed by someone else; reload"}],
            )

    @staticmethod
    def _audit(course: Course, actor: str, action: str, source_ip: str | None) -> AuditEntry:
        return AuditEntry(
            subject=f"course:{course.course_id}",
            actor=actor,
            action=action,
            details={"version": course.version},
            source_ip=source_ip,
        )
