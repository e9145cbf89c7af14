"""The terms of a new offer: the salary — HR's, within the requisition's band, or proposed from the
weighted AI score — and the offer built from the application, the requisition and HR's request."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from shared.domain import offers as rules
from shared.domain.development import development_path
from shared.errors import ValidationFailed
from shared.models.application import Application
from shared.models.background import BackgroundCheck
from shared.models.common import iso, new_id, utcnow
from shared.models.offer import DevelopmentPath, Offer, OfferCreate, OfferStatus, SalaryProposal
from shared.models.requisition import Requisition
from shared.models.training import Course
from shared.security.fields import reveal
from shared.services import confidence


def document_keys(application_id: str, offer_id: str) -> tuple[str, str]:
    return f"offers/{application_id}/{offer_id}.html", f"offers/{application_id}/{offer_id}.pdf"


def annual_band(req: Requisition) -> tuple[int, int]:
    return rules.annual_band(req.salary_band.min, req.salary_band.max, req.salary_band.period)


def proposed_salary(req: Requisition, app: Application, checks: Sequence[BackgroundCheck]) -> SalaryProposal:
    """The salary an offer proposes when HR names none: by the confidence-weighted score within the band
    (the AI scores weighed by what the background check verified; the basis says how)."""
    if app.ai is None:
        return rules.propose_salary(annual_band(req), None)
    weighed = confidence.weighed(app, checks, req.dimension_weights)
    return rules.propose_salary(annual_band(req), weighed.weighted, weighed.explanation_en)


def salary_for(
    req: Requisition, app: Application, checks: Sequence[BackgroundCheck], annual_salary: int | None
) -> SalaryProposal:
    """HR's salary if it lies within the requisition's band (else 400), or the proposed one."""
    if annual_salary is None:
        return proposed_salary(req, app, checks)
    band = annual_band(req)
    given = rules.given_salary(band, annual_salary)
    if given is None:
        message = f"must lie within {band[0]}–{band[1]} {req.salary_band.currency} a year"
        raise ValidationFailed(
            "the salary is outside the requisition's band", [{"field": "annual_salary", "message": message}]
        )
    return given


def new_offer(
    app: Application,
    req: Requisition,
    body: OfferCreate,
    salary: SalaryProposal,
    by: str,
    path: DevelopmentPath | None = None,
) -> Offer:
    """A new offer, pending the requisition's approval chain; its letter's keys are fixed by its id."""
    now = iso(utcnow())
    offer_id = new_id()
    html_key, pdf_key = document_keys(app.id, offer_id)
    return Offer(
        id=offer_id,
        application_id=app.id,
        requisition_id=req.id,
        department=app.department,
        role_family=req.role_family,
        title=req.title,
        name=app.name,
        email=reveal(app.email, "email"),  # the offer letter and the signing envelope go to it
        grade=body.grade,
        annual_salary=salary.annual_salary,
        currency=req.salary_band.currency,
        salary_source=salary.source,
        salary_basis=salary.basis,
        benefits=body.benefits if body.benefits is not None else list(rules.DEFAULT_BENEFITS),
        start_date=body.start_date,
        work_location=body.work_location,
        documents_to_bring=(
            body.documents_to_bring if body.documents_to_bring is not None else list(rules.DEFAULT_DOCUMENTS)
        ),
        expires_on=body.expires_on,
        note=body.note,
        probation_months=body.probation_months,
        development_path=path,
        status=OfferStatus.pending_approval,
        approval_chain=list(req.offer_approval_chain),
        html_key=html_key,
        pdf_key=pdf_key,
        created_by=by,
        created_at=now,
        updated_at=now,
    )


def development_path_for(
    req: Requisition, app: Application, checks: Sequence[BackgroundCheck], catalogue: Sequence[Course], start: date
) -> DevelopmentPath | None:
    """The offer's development path from the confidence-weighted profile (None without AI scores)."""
    if app.ai is None:
        return None
    weighed = confidence.weighed(app, checks, req.dimension_weights)
    return development_path(weighed.scores, req.competency_bar, catalogue, start)
