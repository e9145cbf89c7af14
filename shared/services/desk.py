"""The console's work views: an interviewer's assigned applications with their stage now, what waits
for each user (我的待办), and the salary an offer would propose before HR makes one."""

from __future__ import annotations

from collections import Counter
from typing import Any

from shared.models.application import Application
from shared.models.assessment import AssessmentStatus
from shared.models.desk import Assignment, AssignmentPage, SalaryProposalView, TodoItem, TodoList
from shared.models.offer import ApprovalStep
from shared.models.tasks import TaskStatus, Team
from shared.security.tokens import Principal
from shared.services.offer_terms import annual_band, proposed_salary
from shared.store import assignments
from shared.store.assessments import AssessmentStore
from shared.store.background import BackgroundStore
from shared.store.evaluations import EvaluationStore
from shared.store.offers import OfferStore
from shared.store.onboarding import OnboardingStore
from shared.store.probation import ProbationStore
from shared.store.repository import Repository
from shared.vocabulary import Stage

ASSESSED_AT = (Stage.second_interview, Stage.supplementary_assessment, Stage.evaluated)
MAX_ROWS = 500  # a work queue shows at most this many of one kind


class Desk:
    def __init__(self, repo: Repository | None = None) -> None:
        self.repo = repo or Repository()

    def assignments(self, username: str, limit: int, token: str | None) -> AssignmentPage:
        """One page of the applications assigned to ``username`` (one Query on the interviewer's lookup
        partition), each with its stage now (one BatchGetItem)."""
        page = assignments.assigned_to(self.repo, username, limit, token)
        stages = assignments.current_stages(self.repo, [str(i["application_id"]) for i in page.items])
        items = [
            Assignment.model_validate(
                {k: i[k] for k in Assignment.model_fields if k in i} | {"stage": stages.get(str(i["application_id"]))}
            )
            for i in page.items
        ]
        return AssignmentPage(username=username, items=items, next_token=page.next_token)

    def todo(self, who: Principal) -> TodoList:
        """What waits for ``who``: each role's items, of its own scope (HR every department, a manager
        their own, an interviewer the applications assigned to them)."""
        items: list[TodoItem] = []
        if "interviewer" in who.roles:
            items += self._evaluations_due(who.username)
        if who.roles & {"hr", "manager"}:
            hr = "hr" in who.roles
            department = None if hr else who.department
            if hr or department:
                items += self._hiring(who, department, hr)
                items += self._probation(department)
        if "it" in who.roles:
            open_tasks = OnboardingStore(self.repo).board(Team.it, TaskStatus.open, MAX_ROWS, None).items
            if open_tasks:
                items.append(
                    TodoItem(kind="onboarding_tasks", subject_id=Team.it.value, name="", count=len(open_tasks))
                )
        items.sort(key=lambda i: i.since or "")
        return TodoList(items=items, counts=dict(Counter(i.kind for i in items)))

    def _requisitions(self, department: str | None) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        token = None
        while len(found) < MAX_ROWS:
            page = self.repo.requisitions.page(department, 100, token)
            found += page.items
            token = page.next_token
            if not token:
                break
        return found

    def _hiring(self, who: Principal, department: str | None, hr: bool) -> list[TodoItem]:
        """Offers waiting for the user's approval step; for HR also completed checks to review and
        assessment requests to decide — read from the applications at those stages."""
        step = ApprovalStep.hr_director if hr else ApprovalStep.department_manager
        items: list[TodoItem] = []
        offers, checks, assessments = OfferStore(self.repo), BackgroundStore(self.repo), AssessmentStore(self.repo)
        for req in self._requisitions(department):
            at = self._at(req["id"])
            for app in at(Stage.offer):
                for offer in offers.offers(app["id"]):
                    if offer.next_step is step and (not hr or offer.created_by != who.username):
                        items.append(self._item("offer_approval", app, req, offer.created_at))
            if not hr:
                continue
            for app in at(Stage.background_check):
                for check in checks.checks(app["id"]):
                    reviewed = any(h.action == "reviewed" for h in check.history)
                    if check.status == "completed" and check.outcome == "consider" and not reviewed:
                        items.append(self._item("check_review", app, req, check.completed_at))
            for stage in ASSESSED_AT:
                for app in at(stage):
                    for request in assessments.all_of(app["id"]):
                        if request.status is AssessmentStatus.requested:
                            items.append(self._item("assessment_decision", app, req, request.requested_at))
        return items

    def _at(self, requisition_id: str) -> Any:
        """The list rows of one requisition's applications at a stage."""
        return lambda stage: self.repo.applications.summaries(requisition_id, stage.value)

    @staticmethod
    def _item(kind: Any, app: dict[str, Any], req: dict[str, Any], since: str | None) -> TodoItem:
        return TodoItem(kind=kind, subject_id=app["id"], name=app["name"], context=req["title"], since=since)

    def _evaluations_due(self, username: str) -> list[TodoItem]:
        """The assigned applications at the second interview the interviewer has not evaluated yet."""
        page = self.assignments(username, 200, None)
        evaluations = EvaluationStore(self.repo)
        return [
            TodoItem(
                kind="evaluation_due",
                subject_id=a.application_id,
                name=a.name,
                context=a.requisition_title,
                since=a.assigned_at,
            )
            for a in page.items
            if a.stage is Stage.second_interview and evaluations.get(a.application_id, username) is None
        ]

    def _probation(self, department: str | None) -> list[TodoItem]:
        """Probations whose final review waits for the decision (of one department when named)."""
        items: list[TodoItem] = []
        token = None
        store = ProbationStore(self.repo)
        while True:
            page = store.active(200, token)
            for p in page.items:
                if p.get("phase") == "awaiting_decision" and department in (None, p.get("department")):
                    items.append(
                        TodoItem(
                            kind="probation_decision",
                            subject_id=p["employee_id"],
                            name=p.get("name") or p["employee_id"],
                            context=p.get("department"),
                            since=p.get("phase_at"),
                        )
                    )
            token = page.next_token
            if not token or len(items) >= MAX_ROWS:
                return items

    def salary_proposal(self, app: Application) -> SalaryProposalView:
        """What ``Offers.create`` would propose without an ``annual_salary``: the same rule."""
        req = self.repo.requisitions.require(app.requisition_id)
        band = annual_band(req)
        proposal = proposed_salary(req, app, BackgroundStore(self.repo).checks(app.id))
        return SalaryProposalView(
            application_id=app.id,
            annual_salary=proposal.annual_salary,
            currency=req.salary_band.currency,
            basis=proposal.basis,
            band_min=band[0],
            band_max=band[1],
            weighted_score=app.ai.weighted_score if app.ai else None,
            approval_chain=[s.value for s in req.offer_approval_chain],
        )
