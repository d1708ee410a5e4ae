"""The citizen's sign-in API: CSRF token, SMS code, sign-out, me and my devices."""

from flask import Blueprint, current_app, request
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf
from sqlalchemy import exists, select

from .. import clock
from ..domain.refusal import Conflict, NotFound
from ..extensions import db
from ..models import DependantLink, DeviceSession, InsuranceRecord, Person
from ..web.toolkit import operation
from . import sessions, sms_codes
from .device_names import browser_name
from .schemas import (
    CsrfToken,
    DeviceSessions,
    LocaleRequest,
    Me,
    SmsStartAnswer,
    SmsStartRequest,
    SmsVerifyRequest,
)

bp = Blueprint("auth", __name__, url_prefix="/api")


def client_address() -> str:
    """The caller's address (behind proxies, DARMAN_PROXY_HOPS makes this the client's)."""
    return request.remote_addr or "unknown"


def _codes() -> sms_codes.SmsCodes:
    """The SMS-code service of the citizens' realm."""
    return sms_codes.for_realm("citizen", current_app.config)


@bp.get("/auth/csrf")
@operation("The CSRF token for this session", response=CsrfToken)
def csrf():
    """Send it back as X-CSRFToken on every POST, PUT and DELETE."""
    return {"csrf_token": generate_csrf()}


@bp.post("/auth/sms/start")
@operation(
    "Send a sign-in code to the mobile on record (409 mobile_mismatch when they differ)",
    request_schema=SmsStartRequest,
    response=SmsStartAnswer,
    errors=(400, 409, 429, 503),
)
def sms_start(body: SmsStartRequest):
    """Check the national code and mobile against the registry and send a code."""
    sent = _codes().start(
        body.national_code,
        body.mobile,
        client_address(),
        sms_codes.person_holder(body.national_code),
        Conflict("mobile_mismatch"),
    )
    return {
        "request_id": sent.request_id,
        "expires_in": sent.expires_in,
        "resend_in": sent.resend_in,
    }


@bp.post("/auth/sms/verify")
@operation(
    "Sign in with the SMS code; the first time this registers the account",
    request_schema=SmsVerifyRequest,
    response=Me,
    errors=(400, 429),
)
def sms_verify(body: SmsVerifyRequest):
    """Sign this device in."""
    person_id = _codes().verify(body.request_id, body.code, client_address())
    sessions.sign_in(sessions.registered_account(person_id), "sms")
    return me(), sessions.fresh_csrf_token()


@bp.post("/auth/logout")
@operation("Sign this device out", errors=(401,))
@login_required
def logout():
    """End this device's session."""
    sessions.sign_out()
    return {"signed_out": True}


def is_main_insured(person_id: int) -> bool:
    """True for a person with an insurance record or dependants of their own."""
    return bool(
        db.session.scalar(
            select(
                exists().where(InsuranceRecord.person_id == person_id)
                | exists().where(DependantLink.insured_id == person_id)
            )
        )
    )


@bp.get("/me")
@operation("The signed-in person", response=Me, errors=(401,))
@login_required
def me():
    """Who is signed in on this device."""
    person = db.session.get(Person, current_user.person_id)
    return {
        "national_code": person.national_code,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "locale": current_user.account.locale,
        "recent_sign_in": sessions.is_recent(current_user.device),
        "main_insured": is_main_insured(person.id),
    }


@bp.put("/me/locale")
@operation(
    "Choose the language of my notices",
    request_schema=LocaleRequest,
    response=Me,
    errors=(400, 401),
)
@login_required
def set_locale(body: LocaleRequest):
    """Keep the chosen language on the account: push notices are written in it."""
    current_user.account.locale = body.locale
    return me()


@bp.get("/me/sessions")
@operation("My signed-in devices", response=DeviceSessions, errors=(401,))
@login_required
def my_sessions():
    """Every live device session of my account, newest first."""
    rows = db.session.scalars(
        select(DeviceSession)
        .where(
            DeviceSession.account_id == current_user.account.id,
            DeviceSession.ended_at.is_(None),
        )
        .order_by(DeviceSession.created_at.desc())
    )
    return {
        "sessions": [
            {
                "id": row.id,
                "method": row.method,
                "browser": browser_name(row.user_agent),
                "signed_in_at": clock.as_tehran(row.created_at).isoformat(),
                "last_seen_at": clock.as_tehran(row.last_seen_at).isoformat(),
                "current": row.id == current_user.device.id,
            }
            for row in rows
        ]
    }


@bp.delete("/me/sessions/<session_id>")
@operation("End one of my devices' sessions", errors=(401, 404))
@login_required
def end_session(session_id: str):
    """Sign another (or this) device out."""
    if not sessions.end(session_id, current_user.account.id):
        raise NotFound("not_found")
    return {"ended": session_id}
