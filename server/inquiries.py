"""Eligibility inquiries: a keyed read of the coverage snapshot, and the inquiry log with its
tracking code. Every channel (provider, citizen, USSD, …) goes through here."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import insert, select, text
from sqlalchemy.exc import IntegrityError

from . import clock
from .domain import eligibility as rules
from .domain.tracking import new_tracking_code
from .extensions import db
from .models import Coverage, Inquiry, Person
from .ops import metrics

TRACKING_CODE_ATTEMPTS = 5


@dataclass(frozen=True)
class Answer:
    """A person's eligibility on a day, as an inquiry reports it."""

    person_id: int | None
    eligibility: rules.Eligibility

    @property
    def covered(self) -> bool:
        """True iff the day is on or before `valid_until`."""
        return self.eligibility.covered

    @property
    def label(self) -> str:
        """«حمایت درمانی دارد» or «حمایت درمانی ندارد»."""
        return rules.label(self.eligibility.covered)


def from_snapshot(row, on: date) -> rules.Eligibility:
    """The snapshot read on `on`: still covered only while `on` ≤ `valid_until`."""
    valid_until = row.valid_until
    covered = valid_until is not None and on <= valid_until
    reasons = tuple(filter(None, row.reasons.split(",")))
    if not covered and not reasons:
        reasons = ("cover_ended",)
    notes = tuple(filter(None, row.notes.split(",")))
    return rules.Eligibility(covered, valid_until, row.basis, () if covered else reasons, notes)


def find(national_code: str, on: date) -> Answer:
    """The eligibility of the person with this (normalised) national code on `on` (X2 if none)."""
    statement = (
        select(
            Person.id,
            Coverage.valid_until,
            Coverage.basis,
            Coverage.reasons,
            Coverage.notes,
        )
        .outerjoin(Coverage, Coverage.person_id == Person.id)
        .where(Person.national_code == national_code)
    )
    row = db.session.execute(statement).first()
    if row is None:
        return Answer(None, rules.x2_not_found())
    if row.reasons is None:  # in the registry, not yet computed: treat as not covered
        return Answer(row.id, rules.Eligibility(False, None, None, ("not_insured",)))
    return Answer(row.id, from_snapshot(row, on))


def find_newborn(mother_national_code: str, birth_date: date, on: date) -> Answer:
    """N1: a newborn's eligibility under the mother's code, capped by the mother's cover."""
    mother = find(mother_national_code, on)
    if mother.person_id is None:
        return mother
    mother_valid_until = mother.eligibility.valid_until if mother.covered else None
    return Answer(mother.person_id, rules.n1_newborn(birth_date, mother_valid_until, on))


def log(
    answer: Answer,
    *,
    channel: str,
    national_code: str,
    provider_id: int | None = None,
    newborn_birth_date: date | None = None,
) -> str:
    """Write the inquiry and commit; returns its new, unique tracking code.

    On PostgreSQL this commit does not wait for the WAL to reach the disk: an inquiry log may
    lose its last fraction of a second in a database crash (never corrupt), which buys most of
    the inquiry's throughput. Everything else keeps full durability.
    """
    for _ in range(TRACKING_CODE_ATTEMPTS):
        tracking_code = new_tracking_code()
        values = {
            "tracking_code": tracking_code,
            "channel": channel,
            "provider_id": provider_id,
            "person_id": answer.person_id,
            "national_code": national_code,
            "newborn_birth_date": newborn_birth_date,
            "covered": answer.covered,
            "valid_until": answer.eligibility.valid_until,
            "asked_at": clock.now(),
        }
        try:
            if db.session.get_bind().dialect.name == "postgresql":
                db.session.execute(text("SET LOCAL synchronous_commit TO OFF"))
            db.session.execute(insert(Inquiry), [values])
            db.session.commit()
        except IntegrityError:
            db.session.rollback()  # the same tracking code twice in 10¹¹: draw again
            continue
        metrics.count_inquiry(channel, answer.covered, answer.person_id is not None)
        return tracking_code
    raise RuntimeError("could not draw a unique tracking code")


def by_tracking_code(tracking_code: str) -> Inquiry | None:
    """The logged inquiry with this tracking code."""
    return db.session.execute(
        select(Inquiry).where(Inquiry.tracking_code == tracking_code)
    ).scalar_one_or_none()
