"""Sign-in codes by SMS: a 6-digit code per request, kept only as a keyed hash.

A code lives 3 minutes, is used once, dies after 5 wrong tries, and is bound to its request:
its hash is keyed with the app's secret and the request id, so it is worth nothing for another
request. Sending is limited per national code and per mobile (once a minute, 5 an hour) and per
address, with counters in the database.
"""

import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext
from sqlalchemy import select, update

from .. import clock, i18n
from ..errors import ApiError
from ..extensions import db
from ..messages import MOBILE_MISMATCH
from ..models import Account, Person, SmsChallenge
from . import rate_limits
from .rate_limits import Limit
from .sms import SmsDeliveryError, backend_from_config

# Compared against when the national code is unknown, so both failures cost the same.
_NO_MOBILE = "0" * 11


@dataclass(frozen=True)
class SentCode:
    """What the client learns of a sent code."""

    request_id: str
    expires_in: int
    resend_in: int


def _config(name: str) -> int:
    """One of the DARMAN_SMS_* numbers."""
    return current_app.config[name]


def code_hash(request_id: str, code: str) -> str:
    """HMAC-SHA256 of the code, keyed with the secret key and bound to the request id."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{request_id}:{code}".encode(), hashlib.sha256).hexdigest()


def _address_limit(address: str) -> Limit:
    """Sign-in attempts from one address."""
    per_hour = _config("DARMAN_SIGN_IN_PER_IP_HOUR")
    return Limit(f"sign-in:ip:{address}", per_hour, timedelta(hours=1))


def wait_message(seconds: int) -> str:
    """ "Try again in …": seconds up to 90, then about so many minutes, then hours."""
    if seconds <= 90:
        return gettext(
            "Too many tries. Please try again in %(seconds)s seconds.", seconds=i18n.number(seconds)
        )
    if seconds < 90 * 60:
        minutes = i18n.number(math.ceil(seconds / 60))
        return gettext("Too many tries. Please try again in about %(n)s minutes.", n=minutes)
    hours = i18n.number(round(seconds / 3600))
    return gettext("Too many tries. Please try again in about %(n)s hours.", n=hours)


def _too_many(limit: Limit, now: datetime) -> ApiError:
    """429 with a Retry-After in seconds."""
    seconds = rate_limits.retry_after(limit, now)
    db.session.rollback()
    return ApiError(429, "rate_limited", wait_message(seconds), retry_after=seconds)


def start(national_code: str, mobile: str, address: str) -> SentCode:
    """Check the pair against the registry and send a code; 409 when they do not match."""
    now = clock.now()
    limit = rate_limits.exceeded([_address_limit(address)], now)
    if limit:
        raise _too_many(limit, now)
    rate_limits.record([_address_limit(address).key], now)
    person = db.session.execute(
        select(Person.id, Person.mobile).where(Person.national_code == national_code)
    ).first()
    registered = (person.mobile if person else None) or _NO_MOBILE
    if not hmac.compare_digest(registered, mobile) or person is None:
        db.session.commit()
        raise ApiError(409, "mobile_mismatch", str(MOBILE_MISMATCH))
    return _send(person.id, national_code, mobile, now)


def _send(person_id: int, national_code: str, mobile: str, now: datetime) -> SentCode:
    """Within the resend limits, store a new challenge, commit, then hand the SMS over."""
    resend = timedelta(seconds=_config("DARMAN_SMS_RESEND_SECONDS"))
    hourly = _config("DARMAN_SMS_PER_HOUR")
    limits, hourly_limits = [], []
    for key in (f"sms:nc:{national_code}", f"sms:mobile:{mobile}"):
        limits += [Limit(key, 1, resend), Limit(key, hourly, timedelta(hours=1))]
        hourly_limits.append(Limit(key, hourly, timedelta(hours=1)))
    # A code used up by wrong tries may be replaced at once, within the hourly limit.
    limit = rate_limits.exceeded(hourly_limits if _used_up(person_id) else limits, now)
    if limit:
        raise _too_many(limit, now)
    request_id = secrets.token_urlsafe(24)
    code = f"{secrets.randbelow(10**6):06d}"
    lifetime = _config("DARMAN_SMS_CODE_SECONDS")
    db.session.add(
        SmsChallenge(
            id=request_id,
            person_id=person_id,
            mobile=mobile,
            code_hash=code_hash(request_id, code),
            created_at=now,
            expires_at=now + timedelta(seconds=lifetime),
        )
    )
    rate_limits.record([limit.key for limit in limits], now)
    db.session.commit()
    _deliver(request_id, mobile, code)
    return SentCode(request_id, lifetime, int(resend.total_seconds()))


def sms_text(code: str) -> str:
    """The message: Persian, naming the service, with a WebOTP line for the PWA's autofill."""
    from ..domain.digits import to_persian_digits

    origin_host = current_app.config["DARMAN_RP_ID"]
    text = gettext(
        "Darman — your sign-in code: %(code)s. Do not share it.", code=to_persian_digits(code)
    )
    return f"{text}\n\n@{origin_host} #{code}"


def _deliver(request_id: str, mobile: str, code: str) -> None:
    """Hand the SMS to the provider; if it fails, the challenge dies and the client gets 503."""
    try:
        backend_from_config(current_app.config).send_code(mobile, code, sms_text(code))
    except SmsDeliveryError as error:
        current_app.logger.warning("SMS not delivered: status %s", error.status)
        db.session.execute(
            update(SmsChallenge).where(SmsChallenge.id == request_id).values(used_at=clock.now())
        )
        db.session.commit()
        message = gettext("The SMS could not be sent. Please try again in a few minutes.")
        raise ApiError(503, "sms_unavailable", message) from None


def verify(request_id: str, code: str, address: str) -> Account:
    """The account signed in by a right code (made the first time: registration)."""
    now = clock.now()
    limit = rate_limits.exceeded([_address_limit(address)], now)
    if limit:
        raise _too_many(limit, now)
    rate_limits.record([_address_limit(address).key], now)
    challenge = db.session.get(SmsChallenge, request_id)
    if challenge is None or not _alive(challenge, now):
        db.session.commit()
        message = gettext("This code is no longer valid. Please ask for a new code.")
        raise ApiError(400, "code_expired", message)
    if not hmac.compare_digest(challenge.code_hash, code_hash(request_id, code)):
        raise _wrong_code(challenge)
    spent = db.session.execute(
        update(SmsChallenge)
        .where(SmsChallenge.id == request_id, SmsChallenge.used_at.is_(None))
        .values(used_at=now)
    )
    if spent.rowcount != 1:
        db.session.commit()
        message = gettext("This code is no longer valid. Please ask for a new code.")
        raise ApiError(400, "code_expired", message)
    return _account_of(challenge.person_id, now)


def _alive(challenge: SmsChallenge, now: datetime) -> bool:
    """Not used, not expired, not killed by wrong tries."""
    return (
        challenge.used_at is None
        and clock.as_utc(challenge.expires_at) > now
        and challenge.failed_attempts < _config("DARMAN_SMS_MAX_WRONG_CODES")
    )


def _used_up(person_id: int) -> bool:
    """True when the person's latest code was killed by wrong tries (and never used)."""
    latest = db.session.execute(
        select(SmsChallenge.failed_attempts, SmsChallenge.used_at)
        .where(SmsChallenge.person_id == person_id)
        .order_by(SmsChallenge.created_at.desc())
        .limit(1)
    ).first()
    limit = _config("DARMAN_SMS_MAX_WRONG_CODES")
    return latest is not None and latest.used_at is None and latest.failed_attempts >= limit


def _wrong_code(challenge: SmsChallenge) -> ApiError:
    """Count a wrong try (atomically) and say how many are left."""
    db.session.execute(
        update(SmsChallenge)
        .where(SmsChallenge.id == challenge.id)
        .values(failed_attempts=SmsChallenge.failed_attempts + 1)
    )
    db.session.commit()
    db.session.refresh(challenge)
    left = max(0, _config("DARMAN_SMS_MAX_WRONG_CODES") - challenge.failed_attempts)
    if left == 0:
        message = gettext(
            "This code is used up after too many wrong tries. Please ask for a new code: you "
            "can do so now."
        )
        return ApiError(400, "code_used_up", message, attempts_left=0, resend_in=0)
    message = gettext("The code is not right. %(left)s tries left.", left=i18n.number(left))
    return ApiError(400, "code_wrong", message, attempts_left=left)


def _account_of(person_id: int, now: datetime) -> Account:
    """The person's account, registered now if this is their first sign-in."""
    account = db.session.execute(
        select(Account).where(Account.person_id == person_id)
    ).scalar_one_or_none()
    if account is None:
        account = Account(person_id=person_id, user_handle=secrets.token_bytes(32), created_at=now)
        db.session.add(account)
    db.session.flush()
    return account
