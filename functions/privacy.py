"""Privacy: erasure of a candidate's personal data (DELETE /candidates/{id}) and the plain-language
explanation of what the automated assessment said (GET /applications/{id}/explanation)."""

from __future__ import annotations

from typing import Any

from functions.http import Call, ok
from functions.verbs import Routes
from shared.models.privacy import ContactDetails, ErasureReceipt, ErasureRequest, Explanation
from shared.security.fields import reveal
from shared.security.policy import Action, authorize
from shared.services.access import authorized_application
from shared.services.erasure import erase
from shared.services.explanation import explain
from shared.store.repository import Repository

bp = Routes(__name__)
CONTACT_FIELDS = ["email", "phone", "national_id"]  # sealed fields of the application (shared/security/fields.py)


@bp.delete("/candidates/{candidate_id}", body=ErasureRequest, response=ErasureReceipt, extra_statuses=(409,))
def erase_candidate(call: Call[ErasureRequest, None], candidate_id: str) -> Any:
    """Erase the candidate's personal data, keep the anonymised scores (hr, with a reason; audited).

    Removes name, e-mail, phone, national ID, resume text and file, interview videos, transcripts,
    the vendor's raw payload, background-check results and offer documents; the person's name and
    contact details are redacted from every free text of the archive (evaluations, reasons). The
    AI dimension scores, weighted score, screening score, stage reached, requisition and dates stay
    for the validity statistics. A second call answers 200 ``already_erased``. An employee (offer
    signed or hired) is 409: employment records have their own retention."""
    authorize(call.who, Action.candidate_erase)
    return ok(erase(Repository(), candidate_id, call.who.username, call.body.reason, call.source_ip))


@bp.get("/applications/{application_id}/explanation", response=Explanation)
def explain_application(call: Call, application_id: str) -> Any:
    """A plain-language explanation (zh and en) of what the automated assessment said (hr).

    Screening matches and the proposal, each AI dimension score against the requisition's bar, the
    weighted score and rank, the human decisions recorded (from the audit trail) and who ended the
    application, if anyone: no automated step rejects a person."""
    authorize(call.who, Action.explanation_read)
    return ok(explain(Repository(), application_id))


@bp.get("/applications/{application_id}/contact", response=ContactDetails)
def contact_details(call: Call, application_id: str) -> Any:
    """The candidate's e-mail, phone and national ID in clear (hr; every read is audited as ``contact.read``).

    These fields are stored sealed (field-level encryption); this is the one route that decrypts them
    for a person. Every other response carries the masks (``email_masked``, ``phone_masked``,
    ``national_id_masked``). An erased candidate answers empty strings."""
    repo = Repository()
    app = authorized_application(call.who, Action.contact_read, application_id, repo)
    return ok(
        ContactDetails(
            application_id=app.id,
            name=app.name,
            **{name: reveal(getattr(app, name), name) for name in CONTACT_FIELDS},
        )
    )
