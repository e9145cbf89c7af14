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


POLICY: dict[Action, dict[str, Scope]] = {
    Action.requisition_create: {"hr": Scope.all},
    Action.requisition_read: {"hr": Scope.all, "manager": Scope.department},
    Action.requisition_manage: {"hr": Scope.all},
    Action.application_create: {"hr": Scope.all},
    Action.application_read: {"hr": Scope.all, "manager": Scope.department},
    Action.screening_decide: {"hr": Scope.all},
    Action.import_create: {"hr": Scope.all},
    Action.import_read: {"hr": Scope.all},
    Action.resume_upload: {"hr": Scope.all},
    Action.interviewers_assign: {"hr": Scope.all},
    Action.archive_read: {"hr": Scope.all, "manager": Scope.department, "interviewer": Scope.assigned},
    Action.person_read: {"hr": Scope.all, "manager": Scope.department, "interviewer": Scope.assigned},
    Action.video_upload: {"hr": Scope.all},
    Action.video_read: {"hr": Scope.all, "manager": Scope.department, "interviewer": Scope.assigned},
    Action.stage_transition: {"hr": Scope.all},
    Action.shortlist_manage: {"hr": Scope.all},
    Action.question_bank_read: {"hr": Scope.all, "manager": Scope.all, "interviewer": Scope.all},
    Action.question_bank_write: {"hr": Scope.all},
    Action.interview_kit_read: {"hr": Scope.all, "manager": Scope.department, "interviewer": Scope.assigned},
    Action.evaluation_create: {"manager": Scope.department, "interviewer": Scope.assigned},
    Action.assessment_request: {"hr": Scope.all, "manager": Scope.department},
    Action.assessment_decide: {"hr": Scope.all},
    Action.assessment_result: {"hr": Scope.all},
    Action.assessment_read: {"hr": Scope.all, "manager": Scope.department, "interviewer": Scope.assigned},
    Action.offer_readiness_read: {"hr": Scope.all, "manager": Scope.department},
    Action.employee_read: {"hr": Scope.all, "manager": Scope.department},
    # managers read their department's hires' tasks through employee:read (GET /employees/{id}/tasks)
    Action.onboarding_task_read: {"hr": Scope.all, "it": Scope.all},
    Action.onboarding_task_update: {"hr": Scope.all, "it": Scope.all},
    Action.course_read: {"hr": Scope.all, "manager": Scope.all},
    Action.course_write: {"hr": Scope.all},
    Action.training_read: {"hr": Scope.all, "manager": Scope.department},
    Action.training_assess: {"hr": Scope.all, "manager": Scope.department},
    Action.departure_record: {"hr": Scope.all},
    Action.attrition_read: {"hr": Scope.all, "manager": Scope.department},
    Action.background_check_order: {"hr": Scope.all},
    Action.background_check_read: {"hr": Scope.all, "manager": Scope.department},
    Action.background_check_review: {"hr": Scope.all},
    Action.offer_create: {"hr": Scope.all},
    Action.offer_read: {"hr": Scope.all, "manager": Scope.department},
    Action.offer_approve: {"hr": Scope.all, "manager": Scope.department},
    Action.audit_read: {"hr": Scope.all},
    Action.probation_read: {"hr": Scope.all, "manager": Scope.department},
    Action.probation_manage: {"hr": Scope.all, "manager": Scope.department},
    Action.probation_decide: {"manager": Scope.department},
    Action.indicator_read: {"hr": Scope.all, "manager": Scope.all},
    Action.indicator_write: {"hr": Scope.all},
    Action.cycle_manage: {"hr": Scope.all},
    Action.performance_read: {"hr": Scope.all, "manager": Scope.department},
    Action.performance_record: {"hr": Scope.all, "manager": Scope.department},
    Action.target_override: {"hr": Scope.all},
    Action.record_close: {"hr": Scope.all},
    Action.development_confirm: {"hr": Scope.all, "manager": Scope.department},
    Action.talent_pool_read: {"hr": Scope.all, "manager": Scope.department},
    Action.talent_pool_decide: {"hr": Scope.all},
    Action.analytics_read: {"hr": Scope.all},
    Action.weights_approve: {"hr": Scope.all},
    Action.assignment_list: {"interviewer": Scope.assigned},
    Action.todo_list: {"hr": Scope.all, "manager": Scope.department, "interviewer": Scope.assigned, "it": Scope.all},
    Action.candidate_erase: {"hr": Scope.all},
    Action.explanation_read: {"hr": Scope.all},
    Action.contact_read: {"hr": Scope.all},
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
