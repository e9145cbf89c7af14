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

from shared.models.common import Dimension
from shared.models.training import Course
from shared.store.audit import AuditEntry
from shared.store.table import Store

PARTITION = "COURSES"


def key(dimension: Dimension, course_id: str) -> dict[str, str]:
    return {"pk": PARTITION, "sk": f"{dimension.value}#{course_id}"}


class CourseStore(Store):
    def stored(self, dimension: Dimension | None = None) -> list[Course]:
        prefix = f"{dimension.value}#" if dimension else None
        return [Course.model_validate(i) for i in self.table.query_all(PARTITION, sk_prefix=prefix)]

    def get(self, dimension: Dimension, course_id: str) -> Course | None:
        return self.table.get_model(Course, **key(dimension, course_id))

    def put(self, course: Course, expected: int | None, audit: AuditEntry) -> None:
        item = {**key(course.dimension, course.course_id), "type": "course", **course.model_dump(mode="json")}
        self.table.write_versioned([(item, expected)], audit, f"course {course.course_id} was changed by someone else")
