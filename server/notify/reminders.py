"""The daily job's reminders: cover ending within 7 days, cover ended today, and a newborn's cover
under the mother ending — each written to the outbox once (`coverage_reminder` remembers it),
in the daily job's transaction.

"Days left" counts today, as the home screen does: a cover whose last day is today has 1 day
left, and "ends within 7 days" is 1–7 days left.
"""

from datetime import date, timedelta

from sqlalchemy import Connection, exists, literal, select

from .. import clock
from ..domain.eligibility import newborn_until
from ..models import Birth, Coverage, CoverageReminder, OutboxEvent

WINDOW_DAYS = 7
NEWBORN_SEARCH = timedelta(days=32)  # longer than any newborn period (N1)
BATCH = 2000  # ids in one `IN (…)`


def ending_today(connection: Connection, today: date) -> set[int]:
    """Before the recompute: people whose snapshot says covered with yesterday as last day."""
    rows = connection.execute(
        select(Coverage.person_id).where(
            Coverage.covered.is_(True), Coverage.valid_until == today - timedelta(days=1)
        )
    )
    return set(rows.scalars())


def due(connection: Connection, today: date, ended_candidates: set[int]) -> list[tuple]:
    """After the recompute: the day's reminders not yet sent (reads only: no write lock)."""
    reminders = _ended(connection, today, ended_candidates)
    reminders += _ending(connection, today)
    reminders += _newborns_ending(connection, today)
    return reminders


def store(connection: Connection, reminders: list[tuple]) -> int:
    """Put reminders (of `due`) in the outbox, each noted so that it goes once; how many."""
    if not reminders:
        return 0
    now = clock.now()
    connection.execute(
        CoverageReminder.__table__.insert(),
        [{"person_id": p, "kind": k, "valid_until": until} for k, p, until, _, _ in reminders],
    )
    events = [
        {"kind": k, "person_id": p, "old": old, "new": new, "created_at": now, "status": "pending"}
        for k, p, _, old, new in reminders
    ]
    connection.execute(OutboxEvent.__table__.insert(), events)
    return len(reminders)


def _not_reminded(kind: str, person_column, until_column):
    """No reminder of `kind` yet for this person and last day."""
    return ~exists().where(
        CoverageReminder.person_id == person_column,
        CoverageReminder.kind == kind,
        CoverageReminder.valid_until == until_column,
    )


def _ended(connection: Connection, today: date, candidates: set[int]) -> list[tuple]:
    """Those of the candidates whose cover the recompute has now ended (last day yesterday)."""
    yesterday = today - timedelta(days=1)
    people = sorted(candidates)
    until = yesterday.isoformat()
    rows = []
    for start in range(0, len(people), BATCH):
        ended = connection.execute(
            select(Coverage.person_id).where(
                Coverage.person_id.in_(people[start : start + BATCH]),
                Coverage.covered.is_(False),
                _not_reminded("coverage_ended", Coverage.person_id, literal(yesterday)),
            )
        ).scalars()
        old, new = {"covered": True, "valid_until": until}, {"covered": False, "valid_until": until}
        rows += [("coverage_ended", person_id, yesterday, old, new) for person_id in ended]
    return rows


def _ending(connection: Connection, today: date) -> list[tuple]:
    """Covered people with 1–7 days left, not yet reminded of this last day."""
    last = today + timedelta(days=WINDOW_DAYS - 1)
    rows = connection.execute(
        select(Coverage.person_id, Coverage.valid_until).where(
            Coverage.covered.is_(True),
            Coverage.valid_until >= today,
            Coverage.valid_until <= last,
            _not_reminded("coverage_ending", Coverage.person_id, Coverage.valid_until),
        )
    )
    return [
        (
            "coverage_ending",
            person_id,
            until,
            None,
            {
                "covered": True,
                "valid_until": until.isoformat(),
                "days_left": _days_left(until, today),
            },
        )
        for person_id, until in rows
    ]


def _newborns_ending(connection: Connection, today: date) -> list[tuple]:
    """Newborns (under a covered mother) whose cover has 1–7 days left, one reminder a mother and
    last day."""
    rows = connection.execute(
        select(Birth.mother_id, Birth.birth_date, Coverage.valid_until)
        .join(Coverage, Coverage.person_id == Birth.mother_id)
        .where(
            Birth.birth_date > today - NEWBORN_SEARCH,
            Birth.birth_date <= today,
            Coverage.covered.is_(True),
        )
    ).all()
    found: dict[tuple[int, date], date] = {}
    for mother_id, birth_date, mother_until in rows:
        until = min(newborn_until(birth_date), mother_until)
        if 1 <= _days_left(until, today) <= WINDOW_DAYS:
            found.setdefault((mother_id, until), birth_date)
    reminded = set()
    if found:
        reminded = set(
            connection.execute(
                select(CoverageReminder.person_id, CoverageReminder.valid_until).where(
                    CoverageReminder.kind == "newborn_ending",
                    CoverageReminder.person_id.in_({mother for mother, _ in found}),
                )
            ).all()
        )
    return [
        (
            "newborn_ending",
            mother_id,
            until,
            None,
            {
                "birth_date": birth_date.isoformat(),
                "valid_until": until.isoformat(),
                "days_left": _days_left(until, today),
            },
        )
        for (mother_id, until), birth_date in sorted(found.items())
        if (mother_id, until) not in reminded
    ]


def _days_left(until: date, today: date) -> int:
    """Days of cover left, today included."""
    return (until - today).days + 1
