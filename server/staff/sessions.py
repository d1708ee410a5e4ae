"""Staff sessions: their own cookie (never the citizen's), 8 hours at most, 15 minutes idle.

The cookie holds a random token; the database keeps only its SHA-256, so a copy of the table
signs nobody in. A session is signed in once it has passed both an SMS code and a passkey.
Its last use is written at most once a minute, with the request's unit of work, so that
reading a page takes no write lock.
"""

from datetime import timedelta
from functools import wraps

from flask import abort, current_app, g, redirect, request, url_for
from flask.wrappers import Response
from sqlalchemy import select, update

from .. import clock
from ..auth.session_ids import MAX_COOKIE_ID, new_session_id, stored_id
from ..database import commit_now
from ..extensions import db
from ..models import Staff, StaffSession
from .audit import client_address

SESSION_HOURS = 8
IDLE_MINUTES = 15
SEEN_EVERY = timedelta(minutes=1)  # how often a session's last use is written


def cookie_name() -> str:
    """`__Host-darman-staff` on https (Secure, path /), else `darman-staff`."""
    https = current_app.config["DARMAN_ORIGIN"].startswith("https://")
    return "__Host-darman-staff" if https else "darman-staff"


def begin(staff: Staff) -> tuple[StaffSession, str]:
    """A new, not yet signed-in session for `staff`; its token goes in the cookie."""
    token, row_id = new_session_id()
    now = clock.now()
    row = StaffSession(
        id=row_id,
        staff_id=staff.id,
        created_at=now,
        last_seen_at=now,
        address=client_address(),
        user_agent=request.headers.get("User-Agent", "")[:300],
    )
    db.session.add(row)
    db.session.flush()
    return row, token


def set_cookie(response: Response, token: str) -> Response:
    """The staff cookie: HttpOnly, SameSite=Strict, Secure on https, gone after 8 hours."""
    secure = current_app.config["DARMAN_ORIGIN"].startswith("https://")
    response.set_cookie(
        cookie_name(),
        token,
        max_age=SESSION_HOURS * 3600,
        path="/",
        secure=secure,
        httponly=True,
        samesite="Strict",
    )
    return response


def clear_cookie(response: Response) -> Response:
    """Forget the staff cookie."""
    response.delete_cookie(cookie_name(), path="/")
    return response


def _alive(row: StaffSession) -> bool:
    """Not ended, younger than 8 hours, used within the last 15 minutes."""
    now = clock.now()
    return (
        row.ended_at is None
        and clock.as_utc(row.created_at) > now - timedelta(hours=SESSION_HOURS)
        and clock.as_utc(row.last_seen_at) > now - timedelta(minutes=IDLE_MINUTES)
    )


def load() -> None:
    """Put this browser's staff session (and staff member) in `g`, if it has a live one."""
    g.staff_session, g.staff = None, None
    token = request.cookies.get(cookie_name())
    if not token or len(token) > MAX_COOKIE_ID:
        return
    found = db.session.execute(
        select(StaffSession, Staff)
        .join(Staff, Staff.id == StaffSession.staff_id)
        .where(StaffSession.id == stored_id(token))
    ).first()
    if found is None:
        return
    row, staff = found
    now = clock.now()
    if staff.disabled_at is not None or not _alive(row):
        if row.ended_at is None:
            row.ended_at = now
            commit_now(db.session)  # ended for good, whatever this request answers
        return
    if clock.as_utc(row.last_seen_at) <= now - SEEN_EVERY:
        row.last_seen_at = now  # committed with the request
    g.staff_session, g.staff = row, staff


def signed_in() -> bool:
    """This browser has passed both the SMS code and the passkey."""
    row = g.get("staff_session")
    return row is not None and row.sms_at is not None and row.passkey_at is not None


def end_current() -> None:
    """End this browser's staff session (sign out)."""
    row = g.get("staff_session")
    if row is not None:
        db.session.execute(
            update(StaffSession).where(StaffSession.id == row.id).values(ended_at=clock.now())
        )


def role_required(*roles: str):
    """Only a signed-in staff member with one of `roles`; others are sent to sign in, or 403."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not signed_in():
                return redirect(url_for("staff.sign_in_page"))
            if roles and g.staff.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorate
