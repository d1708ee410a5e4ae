"""Signed-in devices, with Flask-Login: the session cookie holds a device-session id only (the
row keeps its SHA-256: `session_ids`).

A device stays signed in for 30 days of use (each visit moves the 30 days on); ending the row —
by signing out, or from another device's list — signs that device out at once. Health data and
adding a passkey also need a sign-in (passkey or SMS code) within the last 10 minutes.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps

from flask import Flask, current_app, g, request, session
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import exists, select, update

from .. import clock
from ..database import commit_now
from ..domain.refusal import Unauthorized
from ..extensions import db
from ..models import Account, DeviceSession, OutboxEvent
from .device_names import known_name
from .session_ids import MAX_COOKIE_ID, new_session_id, stored_id

login_manager = LoginManager()
SEEN_EVERY = timedelta(minutes=5)  # how often `last_seen_at` is written, at most


@dataclass
class Citizen:
    """The signed-in person on this device: Flask-Login's user."""

    account: Account
    device: DeviceSession
    cookie_id: str  # the raw id the cookie holds; the row keeps only its hash
    is_authenticated: bool = True
    is_active: bool = True
    is_anonymous: bool = False

    def get_id(self) -> str:
        """The device session's raw id: what the cookie holds."""
        return self.cookie_id

    @property
    def person_id(self) -> int:
        """The registry person behind the account."""
        return self.account.person_id


def _lifetime() -> timedelta:
    """How long a device stays signed in without use."""
    return current_app.config["PERMANENT_SESSION_LIFETIME"]


@login_manager.user_loader
def _load(device_id: str) -> Citizen | None:
    """The citizen of a live device session; a stale one is ended here (and at once: the
    request answers 401). A refreshed `last_seen_at` is committed with the request."""
    if not device_id or len(device_id) > MAX_COOKIE_ID:
        return None
    row = db.session.execute(
        select(DeviceSession, Account)
        .join(Account, Account.id == DeviceSession.account_id)
        .where(DeviceSession.id == stored_id(device_id))
    ).first()
    if row is None:
        return None
    device, account = row
    if device.ended_at is not None:
        g.session_end_reason = device.end_reason or "ended"  # the 401 says why
        return None
    now = clock.now()
    if clock.as_utc(device.last_seen_at) < now - _lifetime():
        device.ended_at, device.end_reason = now, "expired"
        commit_now(db.session)  # ended although the request's answer is an error (401)
        g.session_end_reason = "expired"
        return None
    if clock.as_utc(device.last_seen_at) < now - SEEN_EVERY:
        device.last_seen_at = now
    return Citizen(account, device, device_id)


@login_manager.unauthorized_handler
def _unauthorized():
    """JSON, never a redirect; a device whose session ended is told why (`reason`)."""
    reason = g.get("session_end_reason")
    if reason:
        raise Unauthorized("session_ended", reason=reason)
    raise Unauthorized("sign_in_required")


def sign_in(account: Account, method: str) -> DeviceSession:
    """Sign this device in (or refresh its recent sign-in when it already is this account).

    The CSRF token is rotated (`fresh_csrf_token` gives the new one); another account signed in
    on this browser is signed out first; the account's other devices are told of a new sign-in.
    The request commits it.
    """
    now = clock.now()
    _rotate_csrf()
    if current_user.is_authenticated and current_user.account.id == account.id:
        device = current_user.device
        device.authenticated_at, device.method = now, method
        return device
    if current_user.is_authenticated:  # someone else's session on this browser: it ends here
        end(current_user.device.id, current_user.account.id, "other_account")
        logout_user()
    user_agent = request.headers.get("User-Agent", "")[:300]
    cookie_id, row_id = new_session_id()
    device = DeviceSession(
        id=row_id,
        account_id=account.id,
        method=method,
        user_agent=user_agent,
        created_at=now,
        authenticated_at=now,
        last_seen_at=now,
    )
    if _had_devices(account.id):  # the very first sign-in (registration) tells nobody
        tell_other_devices(account, device, "sign_in")
    db.session.add(device)
    session.permanent = True  # the cookie lasts PERMANENT_SESSION_LIFETIME, renewed by use
    login_user(Citizen(account, device, cookie_id))
    return device


def registered_account(person_id: int) -> Account:
    """The person's citizen account, registered now if this is their first sign-in."""
    account = db.session.execute(
        select(Account).where(Account.person_id == person_id)
    ).scalar_one_or_none()
    if account is None:
        account = Account(
            person_id=person_id, user_handle=secrets.token_bytes(32), created_at=clock.now()
        )
        db.session.add(account)
    db.session.flush()
    return account


def _had_devices(account_id: int) -> bool:
    """True when the account has signed in on some device before."""
    return bool(db.session.scalar(select(exists().where(DeviceSession.account_id == account_id))))


def tell_other_devices(account: Account, device: DeviceSession, event: str) -> None:
    """Put a security notice (`sign_in` or `passkey`) for the account's devices in the outbox;
    the device it happened on gets no push. The caller commits."""
    new = {
        "event": event,
        "device": known_name(device.user_agent),
        "at": clock.as_tehran(clock.now()).isoformat(),
        "device_key": device_key(device.id),
    }
    db.session.add(
        OutboxEvent(
            kind="sign_in", person_id=account.person_id, old=None, new=new, created_at=clock.now()
        )
    )


def device_key(device_id: str) -> str:
    """What an outbox row names a device by: a hash, as the id is what the cookie carries."""
    return hashlib.sha256(f"device:{device_id}".encode()).hexdigest()[:32]


def _rotate_csrf() -> None:
    """Forget this browser's CSRF token: a token known before the sign-in is worth nothing after."""
    name = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    session.pop(name, None)
    g.pop(name, None)


def fresh_csrf_token() -> dict[str, str]:
    """The header that hands the browser its new CSRF token after a sign-in."""
    return {"X-CSRFToken": generate_csrf()}


def end(device_id: str, account_id: int, reason: str = "ended_elsewhere") -> bool:
    """End one of this account's device sessions (the request commits it), saying why (that
    device's app tells its person); False when there is no such live one."""
    result = db.session.execute(
        update(DeviceSession)
        .where(
            DeviceSession.id == device_id,
            DeviceSession.account_id == account_id,
            DeviceSession.ended_at.is_(None),
        )
        .values(ended_at=clock.now(), end_reason=reason)
    )
    return result.rowcount == 1


def sign_out() -> None:
    """End this device's session and forget the cookie."""
    if current_user.is_authenticated:
        end(current_user.device.id, current_user.account.id, "signed_out")
    logout_user()
    session.clear()


def is_recent(device: DeviceSession) -> bool:
    """Signed in (passkey or SMS code) within DARMAN_RECENT_SIGN_IN_SECONDS (10 minutes)."""
    window = timedelta(seconds=current_app.config["DARMAN_RECENT_SIGN_IN_SECONDS"])
    return clock.as_utc(device.authenticated_at) >= clock.now() - window


def recent_sign_in_required(view):
    """Admit only a sign-in within DARMAN_RECENT_SIGN_IN (10 minutes): health data, passkeys."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return _unauthorized()
        if not is_recent(current_user.device):
            raise Unauthorized("reauthentication_required")
        return view(*args, **kwargs)

    return wrapper


def init_app(app: Flask) -> None:
    """Bind Flask-Login; cookies are `__Host-` and Secure whenever the origin is https."""
    login_manager.init_app(app)
    login_manager.session_protection = None  # phones change networks; the row is the check
    if app.config["DARMAN_ORIGIN"].startswith("https://"):
        app.config["SESSION_COOKIE_NAME"] = "__Host-darman"
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["SESSION_COOKIE_PATH"] = "/"
        app.config["SESSION_COOKIE_DOMAIN"] = None
