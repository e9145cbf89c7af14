"""HR's changes to the course catalogue in the talent table.

=====================  ======================  ===============================
item                   pk                      sk
=====================  ======================  ===============================
course                 COURSES                 <dimension>#<course_id>
audit record           AUDIT#course:<id>       <ts>#<id>
=====================  ======================  ===============================

The whole catalogue is one partition: a training plan reads it with one Query.
"""

from __future__ import annotations

from typing import Any

from shared.models.common import Dimension
from shared.models.training import Course
from shared.store.repository import AuditEntry, Repository
from shared.store.versioned import put_versioned

PARTITION = "COURSES"


def key(dimension: Dimension, course_id: str) -> dict[str, str]:
    return {"pk": PARTITION, "sk": f"{dimension.value}#{course_id}"}


class CourseStore:
    def __init__(self, repo: Repository | None = None) -> None:
        self.repo = repo or Repository()

    def stored(self, dimension: Dimension | None = None) -> list[Course]:
        items: list[dict[str, Any]] = []
        token = None
        prefix = f"{dimension.value}#" if dimension else None
        while True:
            page = self.repo.query(PARTITION, sk_prefix=prefix, limit=1000, token=token)
            items += page.items
            token = page.next_token
            if not token:
                return [Course.model_validate(i) for i in items]

    def get(self, dimension: Dimension, course_id: str) -> Course | None:
        item = self.repo.get_item(**key(dimension, course_id))
        return Course.model_validate(item) if item else None

    def put(self, course: Course, expected: int | None, audit: AuditEntry) -> None:
        item = {**key(course.dimension, course.course_id), "type": "course", **course.model_dump(mode="json")}
        put_versioned(self.repo, item, expected, audit, f"course {course.course_id} was changed by someone else")
