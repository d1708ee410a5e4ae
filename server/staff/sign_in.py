"""Staff sign-in, always two factors: an SMS code to the mobile on file, then a passkey.

The first sign-in of a new staff member registers their passkey after the SMS code; every later
one asks for it. Codes reuse the citizens' keyed hash and SMS text (server/auth/sms_codes.py)
but live in their own table, bound to the staff session that asked for them.
"""

import hmac
import logging
import secrets
from datetime import timedelta

from sqlalchemy import select, update

from .. import clock
from ..auth import rate_limits
from ..auth.rate_limits import Limit
from ..auth.sms import SmsBackend, SmsDeliveryError
from ..auth.sms_codes import code_hash, sms_text
from ..database import commit_now
from ..domain.refusal import Invalid, TooMany, Unauthorized, Unavailable
from ..extensions import db
from ..models import Staff, StaffSession, StaffSmsChallenge

CODE_SECONDS = 180
MAX_WRONG_CODES = 5
SIGN_INS_PER_HOUR = 10  # per address and per national code

log = logging.getLogger(__name__)


def _limits(national_code: str, address: str) -> list[Limit]:
    """Staff sign-in attempts per address and per national code."""
    hour = timedelta(hours=1)
    return [
        Limit(f"staff-sign-in:ip:{address}", SIGN_INS_PER_HOUR, hour),
        Limit(f"staff-sign-in:nc:{national_code}", SIGN_INS_PER_HOUR, hour),
    ]


def start(
    national_code: str, mobile: str, address: str, sms: SmsBackend
) -> tuple[StaffSession, str]:
    """Check the pair against the staff table and text a code through `sms`; the new session
    and its token. The try is committed at once, whatever follows: it stays counted, and no
    write lock is held while the SMS goes out."""
    now = clock.now()
    limits = _limits(national_code, address)
    reached = rate_limits.exceeded(limits, now)
    if reached is not None:
        raise TooMany("staff_sign_in_limited", retry_after=rate_limits.retry_after(reached, now))
    rate_limits.record([limit.key for limit in limits], now)
    staff = db.session.scalar(select(Staff).where(Staff.national_code == national_code))
    if staff is None or staff.disabled_at or not hmac.compare_digest(staff.mobile, mobile):
        commit_now(db.session)  # the refused try stays counted
        raise Unauthorized("not_staff")
    from .sessions import begin

    session, token = begin(staff)
    challenge_id = secrets.token_urlsafe(24)
    code = f"{secrets.randbelow(10**6):06d}"
    db.session.add(
        StaffSmsChallenge(
            id=challenge_id,
            session_id=session.id,
            code_hash=code_hash(challenge_id, code),
            created_at=now,
            expires_at=now + timedelta(seconds=CODE_SECONDS),
        )
    )
    commit_now(db.session)  # counted even if the SMS fails; no write lock while it goes out
    try:
        sms.send_code(mobile, code, sms_text(code))
    except SmsDeliveryError:
        log.warning("staff SMS not delivered")
        raise Unavailable("staff_sms_unavailable") from None
    return session, token


def verify_code(session: StaffSession, code: str) -> None:
    """Mark the session's SMS step passed when `code` is its latest live code."""
    now = clock.now()
    challenge = db.session.scalar(
        select(StaffSmsChallenge)
        .where(StaffSmsChallenge.session_id == session.id)
        .order_by(StaffSmsChallenge.created_at.desc())
        .limit(1)
    )
    expired = Invalid("staff_code_expired")
    if (
        challenge is None
        or challenge.used_at is not None
        or clock.as_utc(challenge.expires_at) <= now
        or challenge.failed_attempts >= MAX_WRONG_CODES
    ):
        raise expired
    if not hmac.compare_digest(challenge.code_hash, code_hash(challenge.id, code)):
        challenge.failed_attempts += 1
        commit_now(db.session)  # the wrong try stays counted
        raise Invalid("staff_code_wrong")
    spent = db.session.execute(
        update(StaffSmsChallenge)
        .where(StaffSmsChallenge.id == challenge.id, StaffSmsChallenge.used_at.is_(None))
        .values(used_at=now)
    )
    if spent.rowcount != 1:
        raise expired
    session.sms_at = now
    db.session.flush()
