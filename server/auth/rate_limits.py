"""Rate limits kept in the database, so that they hold across gunicorn workers and nodes.

A limit is "at most `limit` hits under `key` in the last `window`". Checking and recording
happen in one transaction that holds a lock for the keys: SQLite's write lock does that for
the whole database, PostgreSQL takes a transaction-scoped advisory lock per key.
"""

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select, text

from .. import clock
from ..database import lock_for_write
from ..extensions import db
from ..models import RateLimitHit


@dataclass(frozen=True)
class Limit:
    """At most `limit` hits under `key` within `window`."""

    key: str
    limit: int
    window: timedelta


def _lock(key: str) -> None:
    """Serialise concurrent checks of one key: SQLite's write lock, a PostgreSQL advisory lock."""
    if db.session.get_bind().dialect.name != "postgresql":
        lock_for_write(db.session)
        return
    number = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
    db.session.execute(text("SELECT pg_advisory_xact_lock(:n)"), {"n": number})


def hits_since(key: str, since: datetime) -> int:
    """How many hits `key` has had since a time."""
    return db.session.scalar(
        select(func.count())
        .select_from(RateLimitHit)
        .where(RateLimitHit.key == key, RateLimitHit.at > since)
    )


def exceeded(limits: list[Limit], now: datetime | None = None) -> Limit | None:
    """The first limit already reached, or None; locks the keys until the transaction ends."""
    now = now or clock.now()
    for limit in sorted(limits, key=lambda item: item.key):
        _lock(limit.key)
    for limit in limits:
        if hits_since(limit.key, now - limit.window) >= limit.limit:
            return limit
    return None


def record(keys: list[str], now: datetime | None = None) -> None:
    """Count one hit under each key (the caller commits)."""
    now = now or clock.now()
    db.session.execute(insert(RateLimitHit), [{"key": key, "at": now} for key in set(keys)])


def forget_before(moment: datetime) -> int:
    """Delete hits older than any window; returns how many were deleted."""
    result = db.session.execute(delete(RateLimitHit).where(RateLimitHit.at < moment))
    return result.rowcount


def retry_after(limit: Limit, now: datetime | None = None) -> int:
    """Seconds until the oldest hit inside a reached limit's window leaves it."""
    now = now or clock.now()
    oldest = db.session.scalar(
        select(func.min(RateLimitHit.at)).where(
            RateLimitHit.key == limit.key, RateLimitHit.at > now - limit.window
        )
    )
    if oldest is None:
        return 1
    return max(1, math.ceil((clock.as_utc(oldest) + limit.window - now).total_seconds()))
