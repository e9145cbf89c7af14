"""The training course catalogue: read by HR and managers, maintained by HR."""

from __future__ import annotations

from typing import Any

from functions.http import Call, ok
from functions.idempotency import created
from functions.verbs import Routes
from shared.models.training import CourseCreate, CourseList, CourseQuery, CourseRetire, CourseUpdate, CourseView
from shared.security.policy import Action, authorize
from shared.services.courses import Courses

bp = Routes(__name__)


def _view(course: Any) -> CourseView:
    return CourseView.model_validate(course.model_dump())


@bp.get("/courses", query=CourseQuery, response=CourseList)
def list_courses(call: Call[None, CourseQuery]) -> Any:
    """The catalogue (optionally one dimension): the seed with HR's changes applied (hr; manager)."""
    authorize(call.who, Action.course_read)
    query = call.query
    items = [_view(c) for c in Courses().catalogue(query.dimension, query.status)]
    return ok(CourseList(dimension=query.dimension, status=query.status, items=items))


@bp.get("/courses/{course_id}", response=CourseView)
def get_course(call: Call, course_id: str) -> Any:
    """One course with its version (hr; manager)."""
    authorize(call.who, Action.course_read)
    return ok(_view(Courses().get(course_id)))


@bp.post("/courses", body=CourseCreate, response=CourseView, status=201)
def add_course(call: Call[CourseCreate, None]) -> Any:
    """Add a course for one dimension (hr); version 1, audited. ``Idempotency-Key`` accepted."""
    authorize(call.who, Action.course_write)
    body = call.body
    return created(call, "courses.add", body, lambda: _view(Courses().add(body, call.who.username, call.source_ip)))


@bp.put("/courses/{course_id}", body=CourseUpdate, response=CourseView)
def edit_course(call: Call[CourseUpdate, None], course_id: str) -> Any:
    """Replace a course's content (hr), conditional on the version read (409 when stale or retired)."""
    authorize(call.who, Action.course_write)
    return ok(_view(Courses().edit(course_id, call.body, call.who.username, call.source_ip)))


@bp.delete("/courses/{course_id}", body=CourseRetire, response=CourseView)
def retire_course(call: Call[CourseRetire, None], course_id: str) -> Any:
    """Retire a course (hr) with a reason: kept, marked retired, never planned again."""
    authorize(call.who, Action.course_write)
    return ok(_view(Courses().retire(course_id, call.body, call.who.username, call.source_ip)))
