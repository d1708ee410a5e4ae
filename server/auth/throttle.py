"""Sign-in limits: the per-address flood guard, and the answer to a reached limit (429 with
`Retry-After`, and the wait in minutes or hours)."""

import math
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext

from .. import i18n
from ..errors import ApiError
from ..extensions import db
from . import rate_limits
from .addresses import counted_address
from .rate_limits import Limit

# Up to this many seconds a wait is said in seconds; past it, in minutes, then in hours.
SECONDS_SAID = 90
MINUTES_SAID = 90


def wait_text(seconds: int) -> str:
    """«۵ دقیقه», «۳ ساعت»: a wait in words, never thousands of seconds."""
    if seconds <= SECONDS_SAID:
        return gettext("%(n)s seconds", n=i18n.number(max(1, seconds)))
    minutes = math.ceil(seconds / 60)
    if minutes <= MINUTES_SAID:
        return gettext("about %(n)s minutes", n=i18n.number(minutes))
    return gettext("about %(n)s hours", n=i18n.number(math.ceil(seconds / 3600)))


def too_many(limit: Limit, now: datetime) -> ApiError:
    """429 `rate_limited`: Retry-After in seconds, the message with the wait in words."""
    seconds = rate_limits.retry_after(limit, now)
    db.session.rollback()
    message = gettext("Too many tries. Please try again in %(wait)s.", wait=wait_text(seconds))
    return ApiError(429, "rate_limited", message, retry_after=seconds)


def count_attempt(address: str, now: datetime) -> None:
    """Count a sign-in attempt (SMS start or verify, passkey verify) from this address; 429 past
    DARMAN_SIGN_IN_PER_IP_HOUR. The caller commits."""
    # A flood guard only: a carrier's NAT puts many people behind one IPv4 address, so the
    # per-account limits do the real work; an IPv6 host counts by its /64.
    per_hour = current_app.config["DARMAN_SIGN_IN_PER_IP_HOUR"]
    limit = Limit(f"sign-in:ip:{counted_address(address)}", per_hour, timedelta(hours=1))
    if rate_limits.exceeded([limit], now):
        raise too_many(limit, now)
    rate_limits.record([limit.key], now)
