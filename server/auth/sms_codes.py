"""Sign-in codes by SMS, one service for every realm: citizens, centre members and staff.

A code is 6 digits, kept only as a keyed hash bound to its request id and realm; it lives
DARMAN_SMS_CODE_SECONDS, is used once and dies after DARMAN_SMS_MAX_WRONG_CODES wrong tries
(each counted atomically before the code is compared). The realm says whom a national code names
and their mobile on file (`Holder`); what a right code signs in is the realm's business.

Limits, all counted in the database, and never one a stranger can use against the owner:
- codes sent: once per DARMAN_SMS_RESEND_SECONDS, DARMAN_SMS_PER_HOUR and DARMAN_SMS_PER_DAY per
  national code and per mobile *from one address* (an IPv4 address or an IPv6 /64); a code that
  signed its owner in stops counting;
- failed tries (a wrong code, a mobile that does not match), counted apart from codes sent:
  DARMAN_SMS_FAILURES_PER_HOUR per realm and national code from one address, after which that
  address (only) gets no code and may try none for that national code for the hour;
- every attempt from an address, whoever it names: DARMAN_SIGN_IN_PER_IP_HOUR (`throttle`).
So requests from a stranger's address use up that address only: the owner, from their own
address, still gets and uses codes; a passkey sign-in meets only the address's flood guard.
"""

import hashlib
import hmac
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext
from sqlalchemy import select, update

from .. import clock
from ..database import commit_now
from ..domain.refusal import Invalid, Refused, Unavailable
from ..extensions import db
from ..models import Person, SmsChallenge
from ..ops import metrics
from . import rate_limits, throttle
from .addresses import counted_address
from .rate_limits import Limit
from .sms import SmsBackend, SmsDeliveryError, backend_from_config

log = logging.getLogger(__name__)
REALMS = ("citizen", "centre", "staff")
# Compared against when the national code is unknown, so both failures cost the same.
_NO_MOBILE = "0" * 11


@dataclass(frozen=True)
class SmsSettings:
    """The DARMAN_SMS_* numbers (and the keys a code is bound with), read once from config."""

    secret_key: str
    rp_id: str
    code_seconds: int
    max_wrong_codes: int
    resend_seconds: int
    per_hour: int
    per_day: int
    failures_per_hour: int
    per_address_hour: int

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "SmsSettings":
        """The settings of an app's config: each code setting is DARMAN_SMS_ + its name."""
        codes = {name: config[f"DARMAN_SMS_{name.upper()}"] for name in _CODE_SETTINGS}
        return cls(
            secret_key=config["SECRET_KEY"],
            rp_id=config["DARMAN_RP_ID"],
            per_address_hour=config["DARMAN_SIGN_IN_PER_IP_HOUR"],
            **codes,
        )


_CODE_SETTINGS = (
    "code_seconds",
    "max_wrong_codes",
    "resend_seconds",
    "per_hour",
    "per_day",
    "failures_per_hour",
)


@dataclass(frozen=True)
class Holder:
    """Whom a national code names in a realm: their id there and the mobile on file."""

    subject_id: int
    mobile: str | None


@dataclass(frozen=True)
class SentCode:
    """What the client learns of a sent code."""

    request_id: str
    expires_in: int
    resend_in: int


def _where(address: str) -> str:
    """The address a limit counts under (an IPv4 address, an IPv6 /64), short enough for a key."""
    return counted_address(address)[:40]


def code_hash(secret_key: str, request_id: str, code: str) -> str:
    """HMAC-SHA256 of the code, keyed with the secret key and bound to the request id."""
    return hmac.new(
        secret_key.encode(), f"{request_id}:{code}".encode(), hashlib.sha256
    ).hexdigest()


def sms_text(code: str, rp_id: str) -> str:
    """The message: Persian, naming the service, with a WebOTP line for the PWA's autofill."""
    from ..domain.digits import to_persian_digits

    text = gettext(
        "Darman — your sign-in code: %(code)s. Do not share it.", code=to_persian_digits(code)
    )
    return f"{text}\n\n@{rp_id} #{code}"


def person_holder(national_code: str) -> Holder | None:
    """The registry person a national code names (citizens and centre members)."""
    row = db.session.execute(
        select(Person.id, Person.mobile).where(Person.national_code == national_code)
    ).first()
    return Holder(row.id, row.mobile) if row else None


def for_realm(realm: str, config: Mapping[str, Any]) -> "SmsCodes":
    """The service for one realm, its settings and SMS backend read from `config` once."""
    return SmsCodes(realm, SmsSettings.from_config(config), backend_from_config(config))


@dataclass(frozen=True)
class SmsCodes:
    """Sends and checks the sign-in codes of one realm."""

    realm: str
    settings: SmsSettings
    backend: SmsBackend

    def __post_init__(self) -> None:
        """Only the known realms: a code of one is worth nothing in another."""
        if self.realm not in REALMS:
            raise ValueError(f"unknown realm {self.realm!r}")

    def _failures(self, national_code: str, address: str) -> Limit:
        """Failed tries for this national code from this address (codes sent count apart)."""
        key = f"sms-failed:{self.realm}:{national_code}:{_where(address)}"
        return Limit(key, self.settings.failures_per_hour, timedelta(hours=1))

    def _refuse_locked_address(self, national_code: str, address: str, now: datetime) -> None:
        """429 when this address has failed too often for this national code."""
        limit = self._failures(national_code, address)
        if rate_limits.exceeded([limit], now):
            raise throttle.too_many(limit, now)

    def _count_failure(self, national_code: str, address: str, now: datetime) -> None:
        """Count a failed try and commit it: it stays counted whatever the answer."""
        rate_limits.record([self._failures(national_code, address).key], now)
        commit_now(db.session)

    def start(
        self,
        national_code: str,
        mobile: str,
        address: str,
        holder: Holder | None,
        mismatch: Refused,
    ) -> SentCode:
        """Send a code when `mobile` is the holder's mobile on file; `mismatch` when it is not
        (or there is no holder), 429 past a limit, 503 when the SMS could not be handed over."""
        now = clock.now()
        throttle.count_attempt(address, now, self.settings.per_address_hour)
        self._refuse_locked_address(national_code, address, now)
        registered = (holder.mobile if holder else None) or _NO_MOBILE
        if not hmac.compare_digest(registered, mobile) or holder is None:
            self._count_failure(national_code, address, now)
            raise mismatch
        return self._send(holder.subject_id, national_code, mobile, address, now)

    @staticmethod
    def _sent_keys(national_code: str, mobile: str, where: str) -> list[str]:
        """What codes sent count under: the national code and the mobile, from one address."""
        return [f"sms:nc:{national_code}:{where}", f"sms:mobile:{mobile}:{where}"]

    def _sent_limits(self, subject_id: int, national_code: str, mobile: str, where: str):
        """The codes-sent limits of this national code and mobile from this address."""
        resend = timedelta(seconds=self.settings.resend_seconds)
        used_up = self._used_up(subject_id)
        limits = []
        for key in self._sent_keys(national_code, mobile, where):
            if not used_up:  # a code used up by wrong tries may be replaced at once
                limits.append(Limit(key, 1, resend))
            limits.append(Limit(key, self.settings.per_hour, timedelta(hours=1)))
            limits.append(Limit(key, self.settings.per_day, timedelta(days=1)))
        return limits

    def _send(
        self, subject_id: int, national_code: str, mobile: str, address: str, now: datetime
    ) -> SentCode:
        """Within the limits, store a new challenge and commit it, then hand the SMS over."""
        where = _where(address)
        limits = self._sent_limits(subject_id, national_code, mobile, where)
        limit = rate_limits.exceeded(limits, now)
        if limit:
            raise throttle.too_many(limit, now)
        request_id = secrets.token_urlsafe(24)
        code = f"{secrets.randbelow(10**6):06d}"
        lifetime = self.settings.code_seconds
        db.session.add(
            SmsChallenge(
                id=request_id,
                realm=self.realm,
                subject_id=subject_id,
                national_code=national_code,
                mobile=mobile,
                address=where,
                code_hash=code_hash(self.settings.secret_key, request_id, code),
                created_at=now,
                expires_at=now + timedelta(seconds=lifetime),
            )
        )
        rate_limits.record([limit.key for limit in limits], now)
        # Stored before the SMS goes: a code is sent only for a kept challenge, and the answer
        # (sent, or 503) must say what became of the SMS.
        commit_now(db.session)
        self._deliver(request_id, mobile, code)
        return SentCode(request_id, lifetime, self.settings.resend_seconds)

    def _deliver(self, request_id: str, mobile: str, code: str) -> None:
        """Hand the SMS to the provider; if it fails, the challenge dies and the answer is 503."""
        try:
            with metrics.counting_sms("code"):
                self.backend.send_code(mobile, code, sms_text(code, self.settings.rp_id))
        except SmsDeliveryError as error:
            log.warning("SMS not delivered: status %s", error.status)
            db.session.execute(
                update(SmsChallenge)
                .where(SmsChallenge.id == request_id)
                .values(used_at=clock.now())
            )
            commit_now(db.session)  # the challenge dies although the answer is an error
            raise Unavailable("sms_unavailable") from None

    def verify(self, request_id: str, code: str, address: str) -> int:
        """The subject (person or staff id) a right code signs in; the code is spent."""
        now = clock.now()
        throttle.count_attempt(address, now, self.settings.per_address_hour)
        tried = self._count_try(request_id)
        limit = self.settings.max_wrong_codes
        if tried is None or tried.tries > limit or clock.as_utc(tried.expires_at) <= now:
            commit_now(db.session)  # the try stays counted, whatever the answer
            raise Invalid("code_expired")
        failures = self._failures(tried.national_code, address)
        locked = rate_limits.exceeded([failures], now) is not None
        right = not locked and hmac.compare_digest(
            tried.code_hash, code_hash(self.settings.secret_key, request_id, code)
        )
        if not right and not locked:
            rate_limits.record([failures.key], now)
        # The try (and a failure) is committed before the answer, whatever it is: concurrent
        # tries hold the row's lock one by one, so no more than the limit compare.
        commit_now(db.session)
        if locked:
            raise throttle.too_many(failures, now)
        if not right:
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
        # A code that signed its owner in counts against no limit: a doctor or a clerk who signs
        # in twenty times a day from the office is no flood (the request commits this).
        keys = self._sent_keys(tried.national_code, tried.mobile, tried.address)
        rate_limits.forget(keys, tried.created_at)
        return tried.subject_id

    def _count_try(self, request_id: str):
        """Count one more try of an unused challenge of this realm, atomically; its row after
        that, or None."""
        # One UPDATE … RETURNING: PostgreSQL's row lock and SQLite's write lock make concurrent
        # tries count one by one, so each sees its own number and no more than the limit compare.
        return db.session.execute(
            update(SmsChallenge)
            .where(
                SmsChallenge.id == request_id,
                SmsChallenge.realm == self.realm,
                SmsChallenge.used_at.is_(None),
            )
            .values(failed_attempts=SmsChallenge.failed_attempts + 1)
            .returning(
                SmsChallenge.failed_attempts.label("tries"),
                SmsChallenge.code_hash,
                SmsChallenge.subject_id,
                SmsChallenge.national_code,
                SmsChallenge.mobile,
                SmsChallenge.address,
                SmsChallenge.created_at,
                SmsChallenge.expires_at,
            )
        ).first()

    def _used_up(self, subject_id: int) -> bool:
        """True when the subject's latest code was killed by wrong tries (and never used)."""
        latest = db.session.execute(
            select(SmsChallenge.failed_attempts, SmsChallenge.used_at)
            .where(SmsChallenge.realm == self.realm, SmsChallenge.subject_id == subject_id)
            .order_by(SmsChallenge.created_at.desc())
            .limit(1)
        ).first()
        return (
            latest is not None
            and latest.used_at is None
            and latest.failed_attempts >= self.settings.max_wrong_codes
        )
