"""What the USSD and SMS gateways share: the body's signature, the caller, per-number limits."""

import hashlib
import hmac
from collections.abc import Callable
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

# Compared against when a national code has no mobile, so every mismatch costs the same.
_NO_MOBILE = "0" * 11

Refusal = Callable[[int, str, str], object]


def signature(secret: str, body: bytes) -> str:
    """hex(HMAC-SHA256(secret, body)): what the gateway sends as X-Signature (DESIGN §5)."""
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def _signature_is_valid(secret: str, body: bytes, given: str) -> bool:
    """Compare in constant time; any odd byte in the header simply fails to match."""
    expected = signature(secret, body).encode("ascii")
    return hmac.compare_digest(expected, given.strip().lower().encode("utf-8", "replace"))


def gateway_signed(refuse: Refusal) -> Callable:
    """Admit bodies signed with DARMAN_GATEWAY_SECRET; `refuse(status, code, message)` others."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            secret = current_app.config.get("DARMAN_GATEWAY_SECRET")
            if not secret:  # no secret, no channel: never accept unsigned calls by default
                current_app.logger.warning("DARMAN_GATEWAY_SECRET is not set: %s", request.path)
                message = gettext("This channel is not configured.")
                return refuse(503, "channel_not_configured", message)
            body = request.get_data(cache=True)  # read before the form is parsed from it
            given = request.headers.get("X-Signature", "")
            if not _signature_is_valid(secret, body, given):
                message = gettext("The request signature is not valid.")
                return refuse(401, "invalid_signature", message)
            return view(*args, **kwargs)

        return wrapper

    return decorate


def _limits(mobile: str) -> list[Limit]:
    """Inquiries from one number, by USSD and SMS together, per hour and per day."""
    config = current_app.config
    key = f"channel:{mobile}"
    return [
        Limit(key, config["DARMAN_CHANNEL_INQUIRIES_PER_HOUR"], timedelta(hours=1)),
        Limit(key, config["DARMAN_CHANNEL_INQUIRIES_PER_DAY"], timedelta(days=1)),
    ]


def admit(mobile: str) -> int | None:
    """Count an inquiry from `mobile` (caller commits), or the seconds to wait when over a limit."""
    now = clock.now()
    limits = _limits(mobile)
    reached = rate_limits.exceeded(limits, now)
    if reached:
        seconds = rate_limits.retry_after(reached, now)
        db.session.rollback()
        return seconds
    rate_limits.record([limits[0].key], now)
    return None


def caller_owns(national_code: str, mobile: str) -> bool:
    """True when `mobile` is the mobile on record for this national code (seed 000 item 2-b)."""
    registered = db.session.scalar(
        select(Person.mobile).where(Person.national_code == national_code)
    )
    return hmac.compare_digest(registered or _NO_MOBILE, mobile) and registered is not None
