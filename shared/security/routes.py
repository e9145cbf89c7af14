"""Who may call each route: one declarative entry per route, in terms of the policy table.

Every route the app serves has exactly one entry here: the ``Action`` of ``shared.security.policy``
it performs (the roles and scopes then come from ``POLICY``), or a ``Gate`` for the routes that are
not governed by an action. ``tests/integration/test_access_matrix.py`` walks the app's route table
and fails for a route without an entry, so a new route cannot ship without a declared expectation.
"""

from __future__ import annotations

from enum import StrEnum

from shared.security.policy import Action


class Gate(StrEnum):
    public = "public"  # no credentials (health, the OpenAPI document, the console's static files, sign-in)
    webhook = "webhook"  # a vendor's Standard Webhooks signature, never a bearer token
    signed_in = "signed_in"  # any signed-in role (reference data without personal data)


A = Action
ROUTE_ACCESS: dict[tuple[str, str], Action | Gate] = {
    ("GET", "/health"): Gate.public,
    ("GET", "/openapi.json"): Gate.public,
    ("GET", "/console"): Gate.public,
    ("GET", "/console/{asset}"): Gate.public,
    ("POST", "/auth/session"): Gate.public,
    ("GET", "/stages"): Gate.signed_in,
    ("POST", "/webhooks/interview-results"): Gate.webhook,
    ("POST", "/webhooks/background-checks"): Gate.webhook,
    ("POST", "/webhooks/esign"): Gate.webhook,
    ("POST", "/requisitions"): A.requisition_create,
    ("GET", "/requisitions"): A.requisition_read,
    ("GET", "/requisitions/{requisition_id}"): A.requisition_read,
    ("POST", "/requisitions/{requisition_id}/applications"): A.application_create,
    ("GET", "/requisitions/{requisition_id}/applications"): A.application_read,
    ("GET", "/requisitions/{requisition_id}/funnel"): A.application_read,
    ("POST", "/requisitions/{requisition_id}/screening/decisions"): A.screening_decide,
    ("POST", "/requisitions/{requisition_id}/shortlist"): A.shortlist_manage,
    ("POST", "/requisitions/{requisition_id}/shortlist/confirm"): A.shortlist_manage,
    ("POST", "/requisitions/{requisition_id}/transitions"): A.stage_transition,
    ("GET", "/applications/{application_id}"): A.archive_read,
    ("GET", "/candidates/{candidate_id}"): A.archive_read,
    ("GET", "/applications/{application_id}/radar"): A.archive_read,
    ("POST", "/applications/{application_id}/resume"): A.resume_upload,
    ("PUT", "/applications/{application_id}/interviewers"): A.interviewers_assign,
    ("POST", "/applications/{application_id}/transitions"): A.stage_transition,
    ("POST", "/applications/{application_id}/videos"): A.video_upload,
    ("GET", "/applications/{application_id}/videos"): A.video_read,
    ("GET", "/applications/{application_id}/videos/{video_id}"): A.video_read,
    ("GET", "/applications/{application_id}/interview-kit"): A.interview_kit_read,
    ("POST", "/applications/{application_id}/evaluations"): A.evaluation_create,
    ("POST", "/applications/{application_id}/assessment-requests"): A.assessment_request,
    ("GET", "/applications/{application_id}/assessment-requests"): A.assessment_read,
    ("GET", "/applications/{application_id}/assessment-requests/{request_id}"): A.assessment_read,
    ("POST", "/applications/{application_id}/assessment-requests/{request_id}/decision"): A.assessment_decide,
    ("POST", "/applications/{application_id}/assessment-requests/{request_id}/result"): A.assessment_result,
    ("GET", "/applications/{application_id}/offer-readiness"): A.offer_readiness_read,
    ("POST", "/applications/{application_id}/background-checks"): A.background_check_order,
    ("GET", "/applications/{application_id}/background-checks"): A.background_check_read,
    ("POST", "/applications/{application_id}/background-checks/{check_id}/review"): A.background_check_review,
    ("POST", "/applications/{application_id}/offers"): A.offer_create,
    ("GET", "/applications/{application_id}/offers"): A.offer_read,
    ("GET", "/applications/{application_id}/offers/{offer_id}"): A.offer_read,
    ("POST", "/applications/{application_id}/offers/{offer_id}/approvals"): A.offer_approve,
    ("GET", "/audit"): A.audit_read,
    ("POST", "/imports"): A.import_create,
    ("GET", "/imports/{import_id}"): A.import_read,
    ("GET", "/imports/{import_id}/rows"): A.import_read,
    ("GET", "/question-bank"): A.question_bank_read,
    ("POST", "/question-bank"): A.question_bank_write,
    ("GET", "/question-bank/{question_id}"): A.question_bank_read,
    ("PUT", "/question-bank/{question_id}"): A.question_bank_write,
    ("DELETE", "/question-bank/{question_id}"): A.question_bank_write,
    ("GET", "/courses"): A.course_read,
    ("POST", "/courses"): A.course_write,
    ("GET", "/courses/{course_id}"): A.course_read,
    ("PUT", "/courses/{course_id}"): A.course_write,
    ("DELETE", "/courses/{course_id}"): A.course_write,
    ("GET", "/employees"): A.employee_read,
    ("GET", "/employees/{employee_id}"): A.employee_read,
    ("POST", "/employees/{employee_id}/departure"): A.departure_record,
    ("GET", "/employees/{employee_id}/tasks"): A.employee_read,
    ("GET", "/employees/{employee_id}/training"): A.training_read,
    ("POST", "/employees/{employee_id}/training/assessments"): A.training_assess,
    ("GET", "/analytics/attrition"): A.attrition_read,
    ("GET", "/onboarding/tasks"): A.onboarding_task_read,
    ("GET", "/onboarding/tasks/{task_id}"): A.onboarding_task_read,
    ("PATCH", "/onboarding/tasks/{task_id}"): A.onboarding_task_update,
    ("GET", "/employees/{employee_id}/probation"): A.probation_read,
    ("PUT", "/employees/{employee_id}/probation/goals"): A.probation_manage,
    ("POST", "/employees/{employee_id}/probation/confirm"): A.probation_manage,
    ("POST", "/employees/{employee_id}/probation/progress"): A.probation_manage,
    ("POST", "/employees/{employee_id}/probation/decision"): A.probation_decide,
    ("DELETE", "/candidates/{candidate_id}"): A.candidate_erase,
    ("GET", "/applications/{application_id}/explanation"): A.explanation_read,
}
