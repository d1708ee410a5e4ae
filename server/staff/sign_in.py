"""Staff sign-in, always two factors: an SMS code to the mobile on file, then a passkey.

The codes are the sign-in kit's (`server/auth/sms_codes.py`, realm `staff`: its settings, its
limits); what is the staff's own is who may sign in — a staff member, not disabled, with the
mobile on their row — and in which role (their session's). The first sign-in of a new staff
member registers their passkey after the SMS code; every later one asks for it.
"""

from sqlalchemy import select

from .. import clock
from ..auth.sms_codes import Holder, SmsCodes
from ..domain.refusal import Invalid, Unauthorized
from ..extensions import db
from ..models import Staff, StaffSession


def staff_holder(national_code: str) -> Holder | None:
    """The staff member a national code names, unless disabled: their id and mobile on file."""
    staff = db.session.scalar(select(Staff).where(Staff.national_code == national_code))
    if staff is None or staff.disabled_at is not None:
        return None
    return Holder(staff.id, staff.mobile)


def start(national_code: str, mobile: str, address: str, codes: SmsCodes) -> tuple[str, str]:
    """Text a code when the pair is a staff member's (401 `not_staff` when not); the cookie
    token of a new, not yet signed-in session, and the code's request id."""
    from .sessions import begin

    holder = staff_holder(national_code)
    sent = codes.start(national_code, mobile, address, holder, Unauthorized("not_staff"))
    _, token = begin(db.session.get(Staff, holder.subject_id))
    return token, sent.request_id


def verify_code(
    session: StaffSession, request_id: str, code: str, address: str, codes: SmsCodes
) -> None:
    """Mark the session's SMS step passed when `code` is right for its staff member's request."""
    if codes.verify(request_id, code, address) != session.staff_id:
        raise Invalid("code_expired")  # another staff member's code: worth nothing here
    session.sms_at = clock.now()
    db.session.flush()
