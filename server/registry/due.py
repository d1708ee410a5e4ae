"""Who may have a different answer on a day than the day before: the people `daily` recomputes.

A snapshot stays right until one of the dates the rules compare with `on` is passed, so only
these people can change between the day after `since` and `on` (each found by an indexed query):
- a last day that has passed: a snapshot's `valid_until` or `own_valid_until` (R1–R4, D1–D5);
- a Jalali month's start: the rolling cover of pensions and open-ended unemployment (R3, R4),
  whose `own_valid_until` was that month's end, and workers whose last paid month has just
  fallen out of the 24 recent months (R1);
- a birthday at an age a rule names (D2–D5's 60, 55, 19, 18; I1's 65), a death date;
- the start of an insurance record, of a dependant link, of a document, and the end of a link
  or a document (which may not be the snapshot's last day, yet change its reasons).
Dependants of whoever is found are added by the recompute itself.
"""

from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from sqlalchemy import Connection, select

from ..domain.eligibility import DEFAULT_SETTINGS, Settings
from ..domain.jalali import (
    add_months,
    end_of_month,
    is_leap_year,
    jalali_date,
    month_length,
    to_jalali,
)
from ..models import Coverage, DependantLink, Document, InsuranceRecord, Person

IN_BATCH = 500  # dates or ids in one `IN (…)`


def days_after(since: date, on: date) -> Iterator[date]:
    """The days after `since` up to and including `on`."""
    day = since + timedelta(days=1)
    while day <= on:
        yield day
        day += timedelta(days=1)


def due_people(
    connection: Connection, since: date, on: date, settings: Settings = DEFAULT_SETTINGS
) -> set[int]:
    """The ids of everyone whose answer may differ on some day after `since` up to `on`."""
    days = list(days_after(since, on))
    if not days:
        return set()
    passed = (since, on - timedelta(days=1))  # last days that are over by `on`
    started = (days[0], on)  # first days that have come by `on`
    people: set[int] = set()
    people |= _between(connection, Coverage.person_id, Coverage.valid_until, passed)
    people |= _between(connection, Coverage.person_id, Coverage.own_valid_until, passed)
    people |= _between(connection, Person.id, Person.death_date, started)
    people |= _between(connection, InsuranceRecord.person_id, InsuranceRecord.start_date, started)
    people |= _between(connection, DependantLink.dependant_id, DependantLink.start_date, started)
    people |= _between(connection, DependantLink.dependant_id, DependantLink.end_date, passed)
    people |= _between(connection, Document.person_id, Document.valid_from, started)
    people |= _between(connection, Document.person_id, Document.valid_until, passed)
    people |= _among(connection, Person.id, Person.birth_date, _birth_dates(days, settings))
    ends = _month_start_ends(days, settings)
    people |= _among(connection, Coverage.person_id, Coverage.own_valid_until, ends)
    return people


def _between(connection: Connection, id_column, date_column, bounds: tuple[date, date]) -> set[int]:
    """Ids whose date falls within the bounds (both included)."""
    low, high = bounds
    if low > high:
        return set()
    query = select(id_column).where(date_column >= low, date_column <= high)
    return set(connection.execute(query).scalars())


def _among(connection: Connection, id_column, date_column, dates: Iterable[date]) -> set[int]:
    """Ids whose date is one of `dates`."""
    dates, found = sorted(set(dates)), set()
    for start in range(0, len(dates), IN_BATCH):
        query = select(id_column).where(date_column.in_(dates[start : start + IN_BATCH]))
        found |= set(connection.execute(query).scalars())
    return found


def _birth_dates(days: list[date], settings: Settings) -> set[date]:
    """Birth dates whose anniversary at an age a rule names falls on one of `days`."""
    ages = {
        settings.son_age_limit,
        settings.daughter_age_limit,
        settings.husband_age,
        settings.father_age,
        settings.mother_age,
        settings.free_public_hospital_age,
    }
    births: set[date] = set()
    for day in days:
        year, month, day_of_month = to_jalali(day)
        for age in ages:
            if day_of_month <= month_length(year - age, month):
                births.add(jalali_date(year - age, month, day_of_month))
            # A 30 Esfand birthday has its anniversary on 1 Farvardin in a year without one.
            leap_birthday = (month, day_of_month) == (1, 1) and is_leap_year(year - 1 - age)
            if leap_birthday and not is_leap_year(year - 1):
                births.add(jalali_date(year - 1 - age, 12, 30))
    return births


def _month_start_ends(days: list[date], settings: Settings) -> set[date]:
    """For each Jalali month that starts on one of `days`: its own last day (R3/R4 roll on),
    and the last days of R1's continuation for a last payment just out of the recent months."""
    ends: set[date] = set()
    continuation = {months for _, months in settings.continuation}
    continuation.add(settings.continuation_max_months)
    for day in days:
        year, month, day_of_month = to_jalali(day)
        if day_of_month != 1:
            continue
        ends.add(end_of_month((year, month)))
        dropped = add_months((year, month), -(settings.recent_months + 1))
        ends.update(end_of_month(add_months(dropped, months)) for months in continuation)
    return ends
