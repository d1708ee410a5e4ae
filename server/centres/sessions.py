"""Members' sessions in the web for centres, apart from the citizen's Flask-Login session.

Their own cookie holds only a random session id, the row its SHA-256 (`auth.session_ids`); the
row says who and for which centre. A
session lives 12 hours from sign-in and 30 minutes without use (DARMAN_CENTRE_*); ending the row
— signing out, removing the member, suspending the centre — ends it at once. Only a session
confirmed with a passkey may write.
"""

from dataclasses import dataclass
from datetime import timedelta
from functools import wraps

from flask import current_app, g, redirect, request, url_for
from flask.wrappers import Response
from sqlalchemy import select, update

from .. import clock
from ..auth.providers import AuthenticatedProvider
from ..auth.session_ids import MAX_COOKIE_ID, new_session_id, stored_id
from ..database import commit_now
from ..extensions import db
from ..models import KIND_SCOPES, CentreMember, MemberSession, Person, Provider

SEEN_EVERY = timedelta(minutes=1)  # how often `last_seen_at` is written, at most


@dataclass(frozen=True)
class SignedInMember:
    """Who is signed in, as which member of which centre."""

    session_id: str  # the row's id (the hash of the cookie's)
    person_id: int
    name: str
    method: str
    member_id: int | None
    role: str | None
    is_admin: bool
    centre_id: int | None
    centre_name: str | None
    centre_kind: str | None
    centre_status: str | None

    @property
    def has_passkey_session(self) -> bool:
        """True when this session was confirmed with a passkey: it may write."""
        return self.method == "passkey"

    def as_provider(self) -> AuthenticatedProvider:
        """The centre as the records and inquiry code knows a provider (`g.provider`)."""
        scopes = KIND_SCOPES.get(self.centre_kind or "", frozenset())
        return AuthenticatedProvider(
            self.centre_id, self.centre_name, self.centre_kind, scopes, None, self.member_id
        )


def cookie_name() -> str:
    """`__Host-darman-centre` over https (Secure, whole host), else `darman-centre`."""
    if current_app.config["DARMAN_ORIGIN"].startswith("https://"):
        return "__Host-darman-centre"
    return "darman-centre"


def _limits() -> tuple[timedelta, timedelta]:
    """(absolute lifetime, idle lifetime) of a member's session."""
    config = current_app.config
    return (
        timedelta(hours=config["DARMAN_CENTRE_SESSION_HOURS"]),
        timedelta(minutes=config["DARMAN_CENTRE_IDLE_MINUTES"]),
    )


def start(person_id: int, member_id: int | None) -> str:
    """A new SMS-confirmed session; returns its raw id for the cookie (the caller commits)."""
    now = clock.now()
    cookie_id, row_id = new_session_id()
    db.session.add(
        MemberSession(
            id=row_id,
            person_id=person_id,
            member_id=member_id,
            method="sms",
            created_at=now,
            last_seen_at=now,
        )
    )
    return cookie_id


def set_cookie(response: Response, cookie_id: str) -> Response:
    """The session cookie: HttpOnly, SameSite=Strict, Secure over https, no Max-Age."""
    secure = current_app.config["DARMAN_ORIGIN"].startswith("https://")
    response.set_cookie(
        cookie_name(), cookie_id, httponly=True, secure=secure, samesite="Strict", path="/"
    )
    return response


def clear_cookie(response: Response) -> Response:
    """Forget the cookie."""
    response.delete_cookie(cookie_name(), path="/")
    return response


def current() -> SignedInMember | None:
    """The live session of this request (cached on `g`); a stale one is ended here (and that
    sticks, whatever the answer); the time it was last seen is written with the request."""
    if "member" in g:
        return g.member
    g.member = _load(request.cookies.get(cookie_name(), ""))
    return g.member


def _load(cookie_id: str) -> SignedInMember | None:
    """The session of the cookie's id, if it is alive."""
    if not cookie_id or len(cookie_id) > MAX_COOKIE_ID:
        return None
    row = db.session.execute(
        select(MemberSession, Person.first_name, Person.last_name)
        .join(Person, Person.id == MemberSession.person_id)
        .where(MemberSession.id == stored_id(cookie_id), MemberSession.ended_at.is_(None))
    ).first()
    if row is None:
        return None
    session_row, now = row.MemberSession, clock.now()
    absolute, idle = _limits()
    if (
        clock.as_utc(session_row.created_at) <= now - absolute
        or clock.as_utc(session_row.last_seen_at) <= now - idle
    ):
        session_row.ended_at = now
        commit_now(db.session)  # ended even when the answer is a 401 (which rolls back)
        return None
    if clock.as_utc(session_row.last_seen_at) < now - SEEN_EVERY:
        session_row.last_seen_at = now
    return _member(session_row, f"{row.first_name} {row.last_name}")


def _member(session_row: MemberSession, name: str) -> SignedInMember:
    """The signed-in member with their centre (none chosen yet: centre fields empty)."""
    member = centre = None
    if session_row.member_id is not None:
        member = db.session.get(CentreMember, session_row.member_id)
        centre = db.session.get(Provider, member.provider_id)
    return SignedInMember(
        session_id=session_row.id,
        person_id=session_row.person_id,
        name=name,
        method=session_row.method,
        member_id=member.id if member else None,
        role=member.role if member else None,
        is_admin=bool(member and member.is_admin),
        centre_id=centre.id if centre else None,
        centre_name=centre.name if centre else None,
        centre_kind=centre.kind if centre else None,
        centre_status=centre.status if centre else None,
    )


def choose(session_id: str, member_id: int) -> None:
    """Work as this member (one of the person's centres) from now on (the caller commits)."""
    db.session.execute(
        update(MemberSession).where(MemberSession.id == session_id).values(member_id=member_id)
    )


def confirm_with_passkey(session_id: str) -> None:
    """The session was confirmed with a passkey: it may write now (the caller commits)."""
    db.session.execute(
        update(MemberSession).where(MemberSession.id == session_id).values(method="passkey")
    )


def end(session_id: str) -> None:
    """End a session (sign out); the caller commits."""
    db.session.execute(
        update(MemberSession)
        .where(MemberSession.id == session_id, MemberSession.ended_at.is_(None))
        .values(ended_at=clock.now())
    )


def member_required(view):
    """Pages for a signed-in member of an active centre; others go to sign-in or waiting."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        member = current()
        if member is None:
            return redirect(url_for("centres.sign_in"))
        if member.member_id is None:
            return redirect(url_for("centres.choose_centre"))
        if member.centre_status != "active":
            return redirect(url_for("centres.waiting"))
        g.provider = member.as_provider()
        return view(*args, **kwargs)

    return wrapper


def passkey_required(view):
    """Writes: only a session confirmed with a passkey; others are sent to confirm first."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        member = current()
        if member is not None and not member.has_passkey_session:
            return redirect(url_for("centres.passkey", next=request.path))
        return view(*args, **kwargs)

    return wrapper


def admin_required(view):
    """The centre's administrators only (members and tokens); 403 for others."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        member = current()
        if member is None or not member.is_admin:
            from flask import abort

            abort(403)
        return view(*args, **kwargs)

    return wrapper
