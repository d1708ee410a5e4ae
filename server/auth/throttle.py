"""Sign-in limits: the per-address flood guard, and the refusal of a reached limit (429 with
`Retry-After`; its message says the wait in words: `refusal_texts.wait_text`)."""

from datetime import datetime, timedelta

from flask import current_app

from ..domain.refusal import TooMany
from . import rate_limits
from .addresses import counted_address
from .rate_limits import Limit


def too_many(limit: Limit, now: datetime) -> TooMany:
    """429 `rate_limited`: Retry-After in seconds, the message with the wait in words. What the
    request wrote before is rolled back with it (a refused try counts nowhere)."""
    return TooMany("rate_limited", retry_after=rate_limits.retry_after(limit, now))


def count_attempt(address: str, now: datetime, per_hour: int | None = None) -> None:
    """Count a sign-in attempt (SMS start or verify, passkey verify) from this address; 429 past
    `per_hour` (default DARMAN_SIGN_IN_PER_IP_HOUR). The request commits it (or the caller, with
    `commit_now`)."""
    # A flood guard only: a carrier's NAT puts many people behind one IPv4 address, so the
    # per-account limits do the real work; an IPv6 host counts by its /64.
    if per_hour is None:
        per_hour = current_app.config["DARMAN_SIGN_IN_PER_IP_HOUR"]
    limit = Limit(f"sign-in:ip:{counted_address(address)}", per_hour, timedelta(hours=1))
    if rate_limits.exceeded([limit], now):
        raise too_many(limit, now)
    rate_limits.record([limit.key], now)
