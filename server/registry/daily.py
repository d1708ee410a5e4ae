"""The daily job: bring the snapshots of the people due today to today, then the reminders.

Only the people whose answer may have changed since the job last ran are recomputed (`due`),
in short transactions, and the reminders are found without the write lock and written a batch
at a time, so that the service keeps answering while it runs. Its first run, or a
run with `everyone`, recomputes the whole registry.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import clock
from ..database import read_transaction, write_transaction
from ..models import JobRun, Person
from ..notify import document_reminders, reminders, repeat_reminders
from . import due, recompute

JOB = "daily"
# Reminders written a transaction at a time: on SQLite a few milliseconds of the write lock (a
# day's 10,000 reminders in one transaction held it for a second). A run stopped between two
# batches writes the rest next time: each reminder is noted, so none goes twice.
REMINDER_BATCH = 500


@dataclass(frozen=True)
class DailyResult:
    """How many people were due, how many snapshots changed, how many reminders went out."""

    since: date | None
    computed: int
    changed: int
    reminded: int


def run(session: Session, today: date, *, everyone: bool = False) -> DailyResult:
    """Recompute who is due since the last run (everyone on the first), remind, note the day."""
    with read_transaction(session) as connection:
        last = connection.execute(select(JobRun.last_on).where(JobRun.name == JOB)).scalar()
        since = None if everyone or last is None else min(last, today)
        ended_candidates = reminders.ending_today(connection, today)
        if since is None:
            people = set(connection.execute(select(Person.id)).scalars())
        else:
            people = due.due_people(connection, since, today)
    result = recompute.recompute_in_batches(session, people, today)
    with read_transaction(session) as connection:  # found without the write lock
        due_reminders = reminders.due(connection, today, ended_candidates)
        due_edges = document_reminders.due(connection, today)  # ahead of a rule's edge
        due_parts = repeat_reminders.due(connection, today)  # a repeat's next part
    reminded = 0
    for start in range(0, len(due_reminders), REMINDER_BATCH):  # short writes, as the recompute's
        with write_transaction(session) as connection:
            reminded += reminders.store(connection, due_reminders[start : start + REMINDER_BATCH])
    for start in range(0, len(due_edges), REMINDER_BATCH):
        with write_transaction(session) as connection:
            edges = due_edges[start : start + REMINDER_BATCH]
            reminded += document_reminders.store(connection, today, edges)
    if due_parts:
        with write_transaction(session) as connection:
            reminded += repeat_reminders.store(connection, due_parts)
    with write_transaction(session) as connection:
        _note_run(connection, today)
    return DailyResult(since, result.computed, result.changed, reminded)


def _note_run(connection, today: date) -> None:
    """Remember that the job has brought everything to `today`."""
    table = JobRun.__table__
    values = {"last_on": today, "finished_at": clock.now()}
    updated = connection.execute(table.update().where(table.c.name == JOB).values(**values))
    if updated.rowcount == 0:
        connection.execute(table.insert().values(name=JOB, **values))
