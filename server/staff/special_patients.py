"""The special-patients list in the console: SSO's medical staff find a person's entries by
national code, add one (a chronic condition from a day, to a day) or end one today; each look-up
and change is audited. The registry's `special_patients.csv` fills the same list
(`server/registry/importer.py`); a person on it on the day may get a repeat of up to 12 parts."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from .. import clock
from ..domain.periods import in_force
from ..domain.refusal import Conflict, Invalid, NotFound
from ..extensions import db
from ..models import Person, SpecialPatient
from . import audit


@dataclass(frozen=True)
class Entry:
    """One entry as the console shows it."""

    id: int
    condition: str
    valid_from: date
    valid_until: date | None
    current: bool
    by_staff: bool


def person_of(national_code: str) -> Person:
    """The registry's person of this national code; 404 `unknown_patient`."""
    person = db.session.scalar(select(Person).where(Person.national_code == national_code))
    if person is None:
        raise NotFound("unknown_patient")
    return person


def entries(person: Person) -> list[Entry]:
    """The person's entries, newest first (audited: the list is health data)."""
    today = clock.today()
    rows = db.session.scalars(
        select(SpecialPatient)
        .where(SpecialPatient.person_id == person.id)
        .order_by(SpecialPatient.valid_from.desc(), SpecialPatient.id.desc())
    ).all()
    audit.record("special_patients_viewed", person_id=person.id)
    return [
        Entry(
            row.id,
            row.condition,
            row.valid_from,
            row.valid_until,
            in_force(row.valid_from, row.valid_until, today),
            row.added_by is not None,
        )
        for row in rows
    ]


def add(person: Person, condition: str, valid_from: date, valid_until: date | None) -> None:
    """Put the person on the list for the condition from `valid_from` (to `valid_until`)."""
    if valid_until is not None and valid_until < valid_from:
        raise Invalid("ends_before_start", field="valid_until")
    taken = db.session.scalar(
        select(SpecialPatient.id).where(
            SpecialPatient.person_id == person.id,
            SpecialPatient.condition == condition,
            SpecialPatient.valid_from == valid_from,
        )
    )
    if taken is not None:
        raise Conflict("special_patient_exists", field="condition")
    row = SpecialPatient(
        person_id=person.id,
        condition=condition,
        valid_from=valid_from,
        valid_until=valid_until,
        added_by=audit.current_staff_id(),
        added_at=clock.now(),
    )
    db.session.add(row)
    db.session.flush()
    audit.record("special_patient_added", person_id=person.id, subject=f"entry:{row.id}")


def end(person: Person, entry_id: int) -> None:
    """End the entry: the person is off the list for it from today (its last day yesterday)."""
    row = db.session.get(SpecialPatient, entry_id)
    if row is None or row.person_id != person.id:
        raise NotFound("not_found")
    today = clock.today()
    if row.valid_until is not None and row.valid_until < today:
        raise Conflict("special_patient_ended")
    row.valid_until = max(today - timedelta(days=1), row.valid_from - timedelta(days=1))
    db.session.flush()
    audit.record("special_patient_ended", person_id=person.id, subject=f"entry:{entry_id}")
