"""The console's work views: an interviewer's assigned applications with their stage now, and the
salary an offer would propose before HR makes one."""

from __future__ import annotations

from shared.models.application import Application
from shared.models.desk import Assignment, AssignmentPage, SalaryProposalView
from shared.services.offer_terms import annual_band, proposed_salary
from shared.store import assignments
from shared.store.background import BackgroundStore
from shared.store.repository import Repository


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
