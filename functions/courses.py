"""The training course catalogue: read by HR and managers, maintained by HR."""

from __future__ import annotations

from typing import Any

from functions.catalogues import Catalogue
from functions.http import Call, ok
from functions.verbs import Routes
from shared.models.training import CourseCreate, CourseList, CourseQuery, CourseRetire, CourseUpdate, CourseView
from shared.security.policy import Action, authorize
from shared.services.courses import Courses

bp = Routes(__name__)
COURSES = Catalogue(Courses, CourseView, Action.course_read, Action.course_write, "courses.add")


@bp.get("/courses", query=CourseQuery, response=CourseList)
def list_courses(call: Call[None, CourseQuery]) -> Any:
    """The catalogue (optionally one dimension): the seed with HR's changes applied (hr; manager)."""
    authorize(call.who, Action.course_read)
    query = call.query
    items = [COURSES.shown(c) for c in Courses().catalogue(query.dimension, query.status)]
    return ok(CourseList(dimension=query.dimension, status=query.status, items=items))


@bp.get("/courses/{course_id}", response=CourseView)
def get_course(call: Call, course_id: str) -> Any:
    """One course with its version (hr; manager)."""
    return COURSES.get(call, course_id)


@bp.post("/courses", body=CourseCreate, response=CourseView, status=201)
def add_course(call: Call[CourseCreate, None]) -> Any:
    """Add a course for one dimension (hr); version 1, audited. ``Idempotency-Key`` accepted."""
    return COURSES.add(call)


@bp.put("/courses/{course_id}", body=CourseUpdate, response=CourseView)
def edit_course(call: Call[CourseUpdate, None], course_id: str) -> Any:
    """Replace a course's content (hr), conditional on the version read (409 when stale or retired)."""
    return COURSES.edit(call, course_id)


@bp.delete("/courses/{course_id}", body=CourseRetire, response=CourseView)
def retire_course(call: Call[CourseRetire, None], course_id: str) -> Any:
    """Retire a course (hr) with a reason: kept, marked retired, never planned again."""
    return COURSES.retire(call, course_id)
