"""Today's date in Iran: coverage is decided by the date in Tehran, not the server's zone."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app

TEHRAN = ZoneInfo("Asia/Tehran")


def now() -> datetime:
    """The current time, timezone-aware (UTC)."""
    return datetime.now(tz=UTC)


def as_tehran(moment: datetime) -> datetime:
    """A stored time in Tehran's zone; SQLite gives back naive UTC times, PostgreSQL aware ones."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(TEHRAN)


def today() -> date:
    """Today in Tehran, or `DARMAN_TODAY` (ISO) when the config pins it, as tests and demos do."""
    pinned = current_app.config.get("DARMAN_TODAY") if current_app else None
    if pinned:
        return date.fromisoformat(pinned)
    return datetime.now(tz=TEHRAN).date()
