"""The limit on looking codes up in vain: tracking codes and prescription codes.

Whoever asks about codes it was never shown gets 404s; past DARMAN_INQUIRY_LOOKUP_MISSES_PER_HOUR
of them in an hour it waits (429 with `Retry-After`). The misses are counted in the database, so
the limit holds across workers and nodes, per asker: a member of a centre in the web by their
own count, an API token by its own; tracking codes and prescription codes apart.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from flask import current_app

from .. import clock
from ..database import commit_now
from ..domain.refusal import NotFound, TooMany
from ..extensions import db
from . import rate_limits
from .providers import AuthenticatedProvider
from .rate_limits import Limit

# What each kind of code's 429 says (`auth/refusal_texts.rate_limited`'s `limit`).
MESSAGES = {"tracking": "lookup_misses", "prescription": "prescription_misses"}


def _asker(provider: AuthenticatedProvider) -> str:
    """Whose misses these are: the member signed in to the web, else the API token."""
    if provider.member_id is not None:
        return f"member:{provider.member_id}"
    if provider.token_id is not None:
        return f"token:{provider.token_id}"
    return f"provider:{provider.id}"


def _misses(provider: AuthenticatedProvider, kind: str) -> Limit:
    """Codes of this kind (`tracking`, `prescription`) the asker looked up in vain, per hour."""
    per_hour = current_app.config["DARMAN_INQUIRY_LOOKUP_MISSES_PER_HOUR"]
    return Limit(f"lookup-miss:{kind}:{_asker(provider)}", per_hour, timedelta(hours=1))


def refuse_when_missed_too_often(provider: AuthenticatedProvider, kind: str) -> None:
    """429 with Retry-After once the asker's misses of this kind reach the hour's limit."""
    now = clock.now()
    limit = _misses(provider, kind)
    if rate_limits.exceeded([limit], now) is None:
        return
    seconds = rate_limits.retry_after(limit, now)
    raise TooMany("rate_limited", retry_after=seconds, words={"limit": MESSAGES[kind]})


def count_miss(provider: AuthenticatedProvider, kind: str) -> None:
    """Count one lookup of this kind that found nothing, and commit it at once."""
    rate_limits.record([_misses(provider, kind).key])
    commit_now(db.session)  # the miss counts although the answer is a 404


@contextmanager
def counted(provider: AuthenticatedProvider, kind: str) -> Iterator[None]:
    """A lookup of a code of this kind: refused (429) once the asker missed too often, and a
    404 (`NotFound`) raised inside it counted as a miss."""
    refuse_when_missed_too_often(provider, kind)
    try:
        yield
    except NotFound:
        count_miss(provider, kind)
        raise
