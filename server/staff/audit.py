"""The staff audit: one row per staff action (who, what, whom, when, from where), only added."""

from flask import g, has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import clock
from ..extensions import db
from ..models import StaffAudit

ACTION_LABELS = {
    "staff_created": _l("Staff member added"),
    "passkey_registered": _l("Passkey made"),
    "signed_in": _l("Signed in"),
    "signed_out": _l("Signed out"),
    "person_viewed": _l("Person looked up"),
    "person_listed": _l("Person listed by a name search"),
    "mobile_changed": _l("Mobile registered"),
    "passkeys_revoked": _l("Passkeys removed (lost device)"),
    "objection_viewed": _l("Objection opened"),
    "objection_status": _l("Objection status changed"),
    "objection_answered": _l("Objection answered"),
    "attachment_viewed": _l("Attachment opened"),
    "centre_viewed": _l("Registration opened"),
    "document_viewed": _l("Doctor's document opened"),
    "centre_approved": _l("Centre approved"),
    "centre_rejected": _l("Registration rejected"),
    "centre_suspended": _l("Centre suspended"),
    "contract_made": _l("Contract made"),
    "contract_refused": _l("Contract request refused"),
    "claims_month_viewed": _l("Centre's month of claims opened"),
    "claim_line_reduced": _l("Deduction from a claim line"),
    "claim_line_rejected": _l("Claim line rejected"),
    "claims_month_closed": _l("Centre's month of claims closed"),
    "special_patients_viewed": _l("Special-patients entries looked up"),
    "special_patient_added": _l("Added to the special-patients list"),
    "special_patient_ended": _l("Special-patients entry ended"),
    "overlap_resolved": _l("Insurers' overlap resolved"),
    "submission_viewed": _l("Document sent from the app opened"),
    "submission_file_viewed": _l("File of a document sent from the app opened"),
    "document_accepted": _l("Document accepted"),
    "document_refused": _l("Document not accepted"),
    "document_recorded": _l("Document shown at the branch recorded"),
    "staff_role_changed": _l("Staff member's role changed"),
}


def client_address() -> str:
    """The address the request came from (ProxyFix has already applied DARMAN_PROXY_HOPS)."""
    return (request.remote_addr or "")[:45]


def record(
    action: str,
    *,
    person_id: int | None = None,
    subject: str = "",
    staff_id: int | None = None,
    **detail: object,
) -> StaffAudit:
    """Add one audit row for the signed-in staff member (or `staff_id`); flushed, not committed.

    `detail` holds what the action was about (a document's kind, a status), never a national
    code or a mobile number in full.
    """
    who = staff_id if staff_id is not None else getattr(g.get("staff"), "id", None)
    row = StaffAudit(
        staff_id=who,
        action=action,
        person_id=person_id,
        subject=subject[:100],
        detail=detail,
        at=clock.now(),
        address=client_address() if has_request_context() else "",
    )
    db.session.add(row)
    db.session.flush()
    return row


def recent(limit: int = 200, action: str | None = None) -> list[StaffAudit]:
    """The latest audit rows, newest first; optionally of one action."""
    statement = select(StaffAudit).order_by(StaffAudit.id.desc()).limit(limit)
    if action:
        statement = statement.where(StaffAudit.action == action)
    return list(db.session.scalars(statement))


def current_staff_id() -> int | None:
    """The signed-in staff member's id, if any."""
    staff = g.get("staff") if has_request_context() else None
    return staff.id if staff is not None else None
