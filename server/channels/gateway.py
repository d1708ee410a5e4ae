"""What the USSD and SMS gateways share: the signature (with a timestamp and a once-only
nonce), the caller, per-number limits."""

import hashlib
import hmac
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps

from flask import current_app, request
from flask_babel import gettext
from sqlalchemy import select

from .. import clock
from ..auth import rate_limits
from ..auth.rate_limits import Limit
from ..extensions import db
from ..models import Person
from . import nonces

# Compared against when a national code has no mobile, so every mismatch costs the same.
_NO_MOBILE = "0" * 11

Refusal = Callable[[int, str, str], object]


def signature(secret: str, timestamp: str, nonce: str, body: bytes) -> str:
    """hex(HMAC-SHA256(secret, timestamp + "." + nonce + "." + body)): X-Signature (DESIGN §5)."""
    message = f"{timestamp}.{nonce}.".encode("ascii") + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def _well_formed(timestamp: str, nonce: str) -> bool:
    """Unix seconds in ASCII digits, and a nonce of 16–64 visible ASCII characters."""
    digits_only = timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12
    return digits_only and 16 <= len(nonce) <= 64 and all("!" <= ch <= "~" for ch in nonce)


def _signature_is_valid(secret: str, timestamp: str, nonce: str, body: bytes, given: str) -> bool:
    """Compare in constant time; any odd byte in the header simply fails to match."""
    expected = signature(secret, timestamp, nonce, body).encode("ascii")
    return hmac.compare_digest(expected, given.strip().lower().encode("utf-8", "replace"))


def _refusal(secret: str, body: bytes) -> tuple[int, str, str] | None:
    """Why this request is refused (status, code, message), or None when it is signed and fresh.

    The signature is checked first, so that unsigned requests never reach the nonce table.
    """
    timestamp = request.headers.get("X-Timestamp", "").strip()
    nonce = request.headers.get("X-Nonce", "").strip()
    given = request.headers.get("X-Signature", "")
    if not _well_formed(timestamp, nonce) or not _signature_is_valid(
        secret, timestamp, nonce, body, given
    ):
        return 401, "invalid_signature", gettext("The request signature is not valid.")
    now = clock.now()
    skew = abs(int(now.timestamp()) - int(timestamp))  # in whole seconds, as the header counts
    if skew > current_app.config["DARMAN_GATEWAY_SKEW_SECONDS"]:
        message = gettext("The request's time is too far from ours. Please check the clock.")
        return 401, "stale_request", message
    if not nonces.first_use(nonce, now, nonces.keep(current_app.config)):
        return 401, "replayed", gettext("This request has already been received.")
    return None


def gateway_signed(refuse: Refusal) -> Callable:
    """Admit fresh requests signed with DARMAN_GATEWAY_SECRET; `refuse(status, code, message)`
    the others."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            secret = current_app.config.get("DARMAN_GATEWAY_SECRET")
            if not secret:  # no secret, no channel: never accept unsigned calls by default
                current_app.logger.warning("DARMAN_GATEWAY_SECRET is not set: %s", request.path)
                message = gettext("This channel is not configured.")
                return refuse(503, "channel_not_configured", message)
            body = request.get_data(cache=True)  # read before the form is parsed from it
            refusal = _refusal(secret, body)
            if refusal is not None:
                return refuse(*refusal)
            return view(*args, **kwargs)

        return wrapper

    return decorate


@dataclass(frozen=True)
class InquiryLimits:
    """How many inquiries one number may make, by USSD and SMS together."""

    per_hour: int
    per_day: int

    @classmethod
    def from_config(cls, config: Mapping) -> "InquiryLimits":
        """DARMAN_CHANNEL_INQUIRIES_PER_HOUR and _PER_DAY."""
        return cls(
            config["DARMAN_CHANNEL_INQUIRIES_PER_HOUR"], config["DARMAN_CHANNEL_INQUIRIES_PER_DAY"]
        )


def _limits(mobile: str, allowed: InquiryLimits) -> list[Limit]:
    """Inquiries from one number, per hour and per day."""
    key = f"channel:{mobile}"
    return [
        Limit(key, allowed.per_hour, timedelta(hours=1)),
        Limit(key, allowed.per_day, timedelta(days=1)),
    ]


def admit(mobile: str, allowed: InquiryLimits) -> int | None:
    """Count an inquiry from `mobile` (the request commits it), or the seconds to wait when over
    a limit (nothing counted)."""
    now = clock.now()
    limits = _limits(mobile, allowed)
    reached = rate_limits.exceeded(limits, now)
    if reached:
        return rate_limits.retry_after(reached, now)
    rate_limits.record([limits[0].key], now)
    return None


def caller_owns(national_code: str, mobile: str) -> bool:
    """True when `mobile` is the mobile on record for this national code (seed 000 item 2-b)."""
    registered = db.session.scalar(
        select(Person.mobile).where(Person.national_code == national_code)
    )
    return hmac.compare_digest(registered or _NO_MOBILE, mobile) and registered is not None
