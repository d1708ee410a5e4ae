"""Rate limits kept in the database, so that they hold across gunicorn workers and nodes.

A limit is "at most `limit` hits under `key` in the last `window`". Two ways to keep one:
- the sign-in limits keep each hit (`exceeded` and `record`, in one transaction that holds a
  lock for the keys: SQLite's write lock, or a PostgreSQL advisory lock per key), so that a
  reached limit can say exactly when its oldest hit leaves the window;
- the providers' per-token limits, on the hot path of every visit, keep a leaky bucket
  (`take`): one keyed upsert that counts and checks at once, one row a key, no lock to take.
"""

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import (
    Float,
    bindparam,
    case,
    delete,
    func,
    insert,
    literal,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from .. import clock
from ..database import lock_for_write
from ..domain.refusal import TooMany
from ..extensions import db
from ..models import RateBucket, RateLimitHit
from ..prepared import AnyConnection


@dataclass(frozen=True)
class Limit:
    """At most `limit` hits under `key` within `window`."""

    key: str
    limit: int
    window: timedelta

    @property
    def per_second(self) -> float:
        """How fast a leaky bucket of this limit drains."""
        return self.limit / self.window.total_seconds()


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


def forget(keys: list[str], at: datetime) -> None:
    """Take back the hits counted under `keys` at one moment (the caller commits)."""
    db.session.execute(
        delete(RateLimitHit).where(RateLimitHit.key.in_(keys), RateLimitHit.at == at)
    )


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


def take_statement(dialect_insert):
    """INSERT … ON CONFLICT DO UPDATE … WHERE … RETURNING: add a hit to the key's bucket after
    draining it for the time gone by, unless that would overflow it (then no row returns)."""
    table = RateBucket.__table__
    now = bindparam("now", type_=Float)
    drained = table.c.level - (now - table.c.at) * bindparam("per_second", type_=Float)
    left = case((drained > 0, drained), else_=literal(0.0, Float))
    statement = dialect_insert(table).values(key=bindparam("key"), level=1.0, at=now)
    return statement.on_conflict_do_update(
        index_elements=["key"],
        set_={"level": left + 1, "at": now},
        where=left + 1 <= bindparam("limit", type_=Float),
    ).returning(table.c.level)


_TAKE = {"sqlite": take_statement(sqlite_insert), "postgresql": take_statement(postgresql_insert)}
_LEVEL = select(RateBucket.level, RateBucket.at).where(RateBucket.key == bindparam("key"))


def bucket_values(limit: Limit, now: datetime) -> dict:
    """The values of `take_statement` for a hit in `limit`'s bucket at `now`."""
    return {
        "key": limit.key,
        "now": now.timestamp(),
        "per_second": limit.per_second,
        "limit": limit.limit,
    }


def take(connection: AnyConnection, limit: Limit, now: datetime | None = None) -> int | None:
    """Count a hit in `limit`'s bucket on `connection` (in its transaction); None when counted,
    else the seconds to wait until one more hit fits (nothing is counted then)."""
    now = now or clock.now()
    if connection.execute(_TAKE[connection.dialect.name], bucket_values(limit, now)).first():
        return None
    return wait(connection, limit, now)


def wait(connection: AnyConnection, limit: Limit, now: datetime | None = None) -> int:
    """Seconds until one more hit fits in `limit`'s bucket (at least 1)."""
    moment = (now or clock.now()).timestamp()
    row = connection.execute(_LEVEL, {"key": limit.key}).first()
    level = max(0.0, row.level - (moment - row.at) * limit.per_second) if row else 0.0
    return max(1, math.ceil((level + 1 - limit.limit) / limit.per_second))


def token_full(seconds: int) -> TooMany:
    """The refusal of a request whose provider token's bucket is full: `seconds` until one
    more fits (the message says it is the token's limit)."""
    return TooMany("rate_limited", retry_after=seconds, words={"limit": "token"})
