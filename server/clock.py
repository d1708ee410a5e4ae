"""Today's date in Iran: coverage is decided by the date in Tehran, not the server's zone."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

TEHRAN = ZoneInfo("Asia/Tehran")


def now() -> datetime:
    """The current time (UTC), or `DARMAN_NOW` (ISO) when the config pins it, as tests do."""
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
    """Today in Tehran, or `DARMAN_TODAY` (ISO) when the config pins it, as tests and demos do."""
    pinned = current_app.config.get("DARMAN_TODAY") if has_app_context() else None
    if pinned:
        return date.fromisoformat(pinned)
    return datetime.now(tz=TEHRAN).date()
