"""Verifying a tracking code: the national code it must name, and the limit on wrong guesses.

A provider that asks about codes it was never shown gets 404s; past
DARMAN_INQUIRY_LOOKUP_MISSES_PER_HOUR of them it waits (429), counted in the database so that
the limit holds across workers and nodes.
"""

from datetime import timedelta

from flask import current_app

from .. import clock
from ..auth import rate_limits
from ..auth.rate_limits import Limit
from ..database import commit_now
from ..domain.refusal import Invalid, TooMany
from ..extensions import db
from ..web.toolkit import national_code_argument


def national_code_parameter(text: str | None) -> str:
    """`?national_code=`, normalised; 400 when it is missing or not a national code."""
    if not text or not text.strip():
        raise Invalid("missing_national_code", field="national_code")
    return national_code_argument(text, field="national_code")


def _misses(provider_id: int) -> Limit:
    """Tracking codes this provider looked up in vain, per hour."""
    per_hour = current_app.config["DARMAN_INQUIRY_LOOKUP_MISSES_PER_HOUR"]
    return Limit(f"inquiry-miss:provider:{provider_id}", per_hour, timedelta(hours=1))


def refuse_when_missed_too_often(provider_id: int) -> None:
    """429 with Retry-After once the provider's misses reach the hour's limit."""
    now = clock.now()
    limit = _misses(provider_id)
    if rate_limits.exceeded([limit], now) is None:
        return
    seconds = rate_limits.retry_after(limit, now)
    raise TooMany("rate_limited", retry_after=seconds, words={"limit": "lookup_misses"})


def count_miss(provider_id: int) -> None:
    """Count one lookup that found nothing, and commit it at once."""
    rate_limits.record([_misses(provider_id).key])
    commit_now(db.session)  # the miss counts although the answer is a 404
