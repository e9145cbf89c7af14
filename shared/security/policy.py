"""Who may do what: one policy table, consulted by every handler through ``authorize``.

A scope of ``all`` allows the action on any object; ``department`` only on objects of the
principal's own department (``custom:department``). A role absent from an action's row is refused.
"""

from __future__ import annotations

from enum import StrEnum

from shared.errors import Forbidden
from shared.security.tokens import Principal


class Action(StrEnum):
    requisition_create = "requisition:create"
    requisition_read = "requisition:read"
    requisition_manage = "requisition:manage"  # HR's status: on hold, open, closed
    application_create = "application:create"
    application_read = "application:read"
    screening_decide = "screening:decide"
    import_create = "import:create"
    import_read = "import:read"
    resume_upload = "resume:upload"
    interviewers_assign = "interviewers:assign"
    archive_read = "archive:read"  # the assembled talent archive, AI report and radar
    person_read = "person:read"  # a person's archive across applications and employment (GET /people/{id})
    video_upload = "video:upload"
    video_read = "video:read"
    stage_transition = "stage:transition"
    shortlist_manage = "shortlist:manage"
    question_bank_read = "question_bank:read"
    question_bank_write = "question_bank:write"
    interview_kit_read = "interview_kit:read"
    evaluation_create = "evaluation:create"
    assessment_request = "assessment:request"  # ask HR for a supplementary assessment
    assessment_decide = "assessment:decide"
    assessment_result = "assessment:result"
    assessment_read = "assessment:read"
    offer_readiness_read = "offer_readiness:read"
    employee_read = "employee:read"
    onboarding_task_read = "onboarding_task:read"  # the team boards; it: team it only (shared/domain/onboarding.py)
    onboarding_task_update = "onboarding_task:update"
    course_read = "course:read"
    course_write = "course:write"
    training_read = "training:read"
    training_assess = "training:assess"
    departure_record = "departure:record"
    attrition_read = "attrition:read"
    background_check_order = "background_check:order"
    background_check_read = "background_check:read"
    background_check_review = "background_check:review"
    offer_create = "offer:create"
    offer_read = "offer:read"
    offer_approve = "offer:approve"  # which step a role may decide: shared.domain.offers.refusal
    audit_read = "audit:read"  # the audit trail of any subject (read-only)
    probation_read = "probation:read"
    probation_manage = "probation:manage"  # goals, confirmation, progress
    probation_decide = "probation:decide"  # the final review's decision
    indicator_read = "indicator:read"  # the competency indicator library
    indicator_write = "indicator:write"
    cycle_manage = "cycle:manage"  # open performance cycles, enrol employees
    performance_read = "performance:read"  # targets, results, history of an employee
    performance_record = "performance:record"  # record results
    target_override = "target:override"
    record_close = "performance:close"  # close an incomplete record, excluding the KPIs without a result
    development_confirm = "development:confirm"
    talent_pool_read = "talent_pool:read"
    talent_pool_decide = "talent_pool:decide"
    analytics_read = "analytics:read"  # validity, re-weighting, high potential, attrition risk, exports
    weights_approve = "weights:approve"  # approve re-weighted interview dimensions for new requisitions
    assignment_list = "assignment:list"  # an interviewer's own assigned applications (GET /me/assignments)
    todo_list = "todo:list"  # what waits for the signed-in user (GET /me/todo), of their own scope
    candidate_erase = "candidate:erase"  # erase a candidate's personal data (PIPL), keep anonymised scores
    explanation_read = "explanation:read"  # the plain-language explanation of the automated assessment
    contact_read = "contact:read"  # one candidate's e-mail, phone and national ID in clear (decrypted; audited)


class Scope(StrEnum):
    all = "all"
    department = "department"
    assigned = "assigned"  # only applications the principal is assigned to (interviewers)


# The grants most actions share: HR on anything; managers on their own department's objects (or on
# reference data of every department); interviewers on the applications assigned to them; IT
HR: dict[str, Scope] = {"hr": Scope.all}
HR_AND_DEPARTMENT: dict[str, Scope] = {"hr": Scope.all, "manager": Scope.department}
HR_DEPARTMENT_AND_ASSIGNED: dict[str, Scope] = {**HR_AND_DEPARTMENT, "interviewer": Scope.assigned}
HR_AND_MANAGERS: dict[str, Scope] = {"hr": Scope.all, "manager": Scope.all}
HR_AND_IT: dict[str, Scope] = {"hr": Scope.all, "it": Scope.all}

POLICY: dict[Action, dict[str, Scope]] = {
    Action.requisition_create: HR,
    Action.requisition_read: HR_AND_DEPARTMENT,
    Action.requisition_manage: HR,
    Action.application_create: HR,
    Action.application_read: HR_AND_DEPARTMENT,
    Action.screening_decide: HR,
    Action.import_create: HR,
    Action.import_read: HR,
    Action.resume_upload: HR,
    Action.interviewers_assign: HR,
    Action.archive_read: HR_DEPARTMENT_AND_ASSIGNED,
    Action.person_read: HR_DEPARTMENT_AND_ASSIGNED,
    Action.video_upload: HR,
    Action.video_read: HR_DEPARTMENT_AND_ASSIGNED,
    Action.stage_transition: HR,
    Action.shortlist_manage: HR,
    Action.question_bank_read: {"hr": Scope.all, "manager": Scope.all, "interviewer": Scope.all},
    Action.question_bank_write: HR,
    Action.interview_kit_read: HR_DEPARTMENT_AND_ASSIGNED,
    Action.evaluation_create: {"manager": Scope.department, "interviewer": Scope.assigned},
    Action.assessment_request: HR_AND_DEPARTMENT,
    Action.assessment_decide: HR,
    Action.assessment_result: HR,
    Action.assessment_read: HR_DEPARTMENT_AND_ASSIGNED,
    Action.offer_readiness_read: HR_AND_DEPARTMENT,
    Action.employee_read: HR_AND_DEPARTMENT,
    # managers read their department's hires' tasks through employee:read (GET /employees/{id}/tasks)
    Action.onboarding_task_read: HR_AND_IT,
    Action.onboarding_task_update: HR_AND_IT,
    Action.course_read: HR_AND_MANAGERS,
    Action.course_write: HR,
    Action.training_read: HR_AND_DEPARTMENT,
    Action.training_assess: HR_AND_DEPARTMENT,
    Action.departure_record: HR,
    Action.attrition_read: HR_AND_DEPARTMENT,
    Action.background_check_order: HR,
    Action.background_check_read: HR_AND_DEPARTMENT,
    Action.background_check_review: HR,
    Action.offer_create: HR,
    Action.offer_read: HR_AND_DEPARTMENT,
    Action.offer_approve: HR_AND_DEPARTMENT,
    Action.audit_read: HR,
    Action.probation_read: HR_AND_DEPARTMENT,
    Action.probation_manage: HR_AND_DEPARTMENT,
    Action.probation_decide: {"manager": Scope.department},
    Action.indicator_read: HR_AND_MANAGERS,
    Action.indicator_write: HR,
    Action.cycle_manage: HR,
    Action.performance_read: HR_AND_DEPARTMENT,
    Action.performance_record: HR_AND_DEPARTMENT,
    Action.target_override: HR,
    Action.record_close: HR,
    Action.development_confirm: HR_AND_DEPARTMENT,
    Action.talent_pool_read: HR_AND_DEPARTMENT,
    Action.talent_pool_decide: HR,
    Action.analytics_read: HR,
    Action.weights_approve: HR,
    Action.assignment_list: {"interviewer": Scope.assigned},
    Action.todo_list: {"hr": Scope.all, "manager": Scope.department, "interviewer": Scope.assigned, "it": Scope.all},
    Action.candidate_erase: HR,
    Action.explanation_read: HR,
    Action.contact_read: HR,
}

_WIDTH = {Scope.all: 3, Scope.department: 2, Scope.assigned: 1}


def scope_for(principal: Principal, action: Action) -> Scope | None:
    """The widest scope any of the principal's roles has for the action."""
    scopes = [POLICY[action][r] for r in principal.roles if r in POLICY[action]]
    return max(scopes, key=_WIDTH.__getitem__) if scopes else None


def authorize(
    principal: Principal,
    action: Action,
    department: str | None = None,
    assigned: list[str] | None = None,
) -> Scope:
    """Raise ``Forbidden`` unless the principal may perform ``action``; with ``department`` (and
    ``assigned``, the usernames assigned to the object) the check is on that object."""
    scope = scope_for(principal, action)
    if scope is None:
        raise Forbidden(f"your role may not perform {action.value}")
    if scope is Scope.department and department is not None and department != principal.department:
        raise Forbidden(f"{action.value} is limited to your own department")
    if scope is Scope.assigned and assigned is not None and principal.username not in assigned:
        raise Forbidden(f"{action.value} is limited to applications assigned to you")
    return scope
