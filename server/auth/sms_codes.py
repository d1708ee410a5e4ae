"""Sign-in codes by SMS: a 6-digit code per request, kept only as a keyed hash.

A code lives 3 minutes, is used once, dies after 3 wrong tries, and is bound to its request:
its hash is keyed with the app's secret and the request id, so it is worth nothing for another
request. Each try is counted (atomically) before the code is compared, so concurrent guesses
cannot compare more codes than the limit. Sending is limited per national code and per mobile
(once a minute, 5 an hour, 10 a day) and per address, with counters in the database.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext
from sqlalchemy import select, update

from .. import clock
from ..database import commit_now
from ..domain.refusal import Conflict, Invalid, Unavailable
from ..extensions import db
from ..models import Account, Person, SmsChallenge
from ..ops import metrics
from . import rate_limits, throttle
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


def start(national_code: str, mobile: str, address: str) -> SentCode:
    """Check the pair against the registry and send a code; 409 when they do not match, 429 past a
    limit, 503 when the SMS could not be handed over."""
    now = clock.now()
    throttle.count_attempt(address, now)
    person = db.session.execute(
        select(Person.id, Person.mobile).where(Person.national_code == national_code)
    ).first()
    registered = (person.mobile if person else None) or _NO_MOBILE
    if not hmac.compare_digest(registered, mobile) or person is None:
        commit_now(db.session)  # the attempt counts although the answer is a refusal
        raise Conflict("mobile_mismatch")
    return _send(person.id, national_code, mobile, now)


def _send(person_id: int, national_code: str, mobile: str, now: datetime) -> SentCode:
    """Within the resend limits, store a new challenge and commit it, then hand the SMS over."""
    resend = timedelta(seconds=_config("DARMAN_SMS_RESEND_SECONDS"))
    hourly, daily = _config("DARMAN_SMS_PER_HOUR"), _config("DARMAN_SMS_PER_DAY")
    used_up = _used_up(person_id)
    limits = []
    for key in (f"sms:nc:{national_code}", f"sms:mobile:{mobile}"):
        if not used_up:  # a code used up by wrong tries may be replaced at once
            limits.append(Limit(key, 1, resend))
        limits.append(Limit(key, hourly, timedelta(hours=1)))
        limits.append(Limit(key, daily, timedelta(days=1)))
    limit = rate_limits.exceeded(limits, now)
    if limit:
        raise throttle.too_many(limit, now)
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
    # Stored before the SMS goes: a code is sent only for a kept challenge, and the answer
    # (sent, or 503) must say what became of the SMS.
    commit_now(db.session)
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
        with metrics.counting_sms("code"):
            backend_from_config(current_app.config).send_code(mobile, code, sms_text(code))
    except SmsDeliveryError as error:
        current_app.logger.warning("SMS not delivered: status %s", error.status)
        db.session.execute(
            update(SmsChallenge).where(SmsChallenge.id == request_id).values(used_at=clock.now())
        )
        commit_now(db.session)  # the challenge dies although the answer is an error
        raise Unavailable("sms_unavailable") from None


def verify(request_id: str, code: str, address: str) -> Account:
    """The account signed in by a right code (made the first time: registration)."""
    now = clock.now()
    throttle.count_attempt(address, now)
    tried = _count_try(request_id)
    commit_now(db.session)  # the try is counted before the code is compared, whatever it gives
    limit = _config("DARMAN_SMS_MAX_WRONG_CODES")
    if tried is None or tried.tries > limit or clock.as_utc(tried.expires_at) <= now:
        raise Invalid("code_expired")
    if not hmac.compare_digest(tried.code_hash, code_hash(request_id, code)):
        left = limit - tried.tries
        if left <= 0:
            raise Invalid("code_used_up", attempts_left=0, resend_in=0)
        raise Invalid("code_wrong", attempts_left=left)
    spent = db.session.execute(
        update(SmsChallenge)
        .where(SmsChallenge.id == request_id, SmsChallenge.used_at.is_(None))
        .values(used_at=now)
    )
    if spent.rowcount != 1:  # a concurrent right try spent it first
        raise Invalid("code_expired")
    return _account_of(tried.person_id, now)


def _count_try(request_id: str):
    """Count one more try of an unused challenge, atomically; its row after that, or None."""
    # One UPDATE … RETURNING: PostgreSQL's row lock and SQLite's write lock make concurrent
    # tries count one by one, so each sees its own number and no more than the limit compare.
    return db.session.execute(
        update(SmsChallenge)
        .where(SmsChallenge.id == request_id, SmsChallenge.used_at.is_(None))
        .values(failed_attempts=SmsChallenge.failed_attempts + 1)
        .returning(
            SmsChallenge.failed_attempts.label("tries"),
            SmsChallenge.code_hash,
            SmsChallenge.person_id,
            SmsChallenge.expires_at,
        )
    ).first()


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
