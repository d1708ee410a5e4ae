"""Today's date in Iran: coverage is decided by the date in Tehran, not the server's zone."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

TEHRAN = ZoneInfo("Asia/Tehran")

# The moment a batch job replays the past at (`at`); None everywhere else.
_replayed: ContextVar[datetime | None] = ContextVar("darman_replayed_moment", default=None)


@contextmanager
def at(moment: datetime) -> Iterator[None]:
    """Within the block, `now()` is `moment` and `today()` its day in Tehran: for a batch job
    that writes the past through the operations (the demo's history). A context variable, set
    and reset here: no request, no other thread, nothing after the block sees it."""
    token = _replayed.set(as_utc(moment))
    try:
        yield
    finally:
        _replayed.reset(token)


def now() -> datetime:
    """The current time (UTC), or `DARMAN_NOW` (ISO) when the config pins it, as tests do (a
    batch job's `at` comes first)."""
    replayed = _replayed.get()
    if replayed is not None:
        return replayed
    pinned = current_app.config.get("DARMAN_NOW") if has_app_context() else None
    if pinned:
        return datetime.fromisoformat(pinned).astimezone(UTC)
    return datetime.now(tz=UTC)


def as_utc(moment: datetime) -> datetime:
    """A stored time made aware: SQLite gives back naive UTC times, PostgreSQL aware ones."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def as_tehran(moment: datetime) -> datetime:
    """A stored time in Tehran's zone."""
    return as_utc(moment).astimezone(TEHRAN)


def today() -> date:
    """Today in Tehran, or `DARMAN_TODAY` (ISO) when the config pins it, as tests and demos do
    (a batch job's `at` comes first)."""
    replayed = _replayed.get()
    if replayed is not None:
        return as_tehran(replayed).date()
    pinned = current_app.config.get("DARMAN_TODAY") if has_app_context() else None
    if pinned:
        return date.fromisoformat(pinned)
    return datetime.now(tz=TEHRAN).date()
