"""What staff see of a person's registry entries to decide an objection: insurance records,
contributions by workshop and documents on file (never health records)."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, cast, func, select

from ..domain.digits import to_persian_digits
from ..domain.jalali import MONTH_NAMES_FA
from ..extensions import db
from ..models import Contribution, DependantLink, Document, InsuranceRecord, Person

INSURANCE_KINDS = {
    "worker": _l("Worker"),
    "self_employed": _l("Self-employed"),
    "voluntary": _l("Voluntary"),
    "pensioner": _l("Pensioner"),
    "unemployment": _l("Unemployment insurance"),
}
DOCUMENT_KINDS = {
    "student_certificate": _l("University enrolment certificate"),
    "unmarried_verified": _l("Unmarried status verified"),
    "disability": _l("Disability"),
}
RELATIONS = {  # what the dependant is to the main insured
    "spouse": _l("Spouse"),
    "child": _l("Child"),
    "parent": _l("Parent"),
}
WORKSHOPS = 12  # the latest workshops shown


@dataclass(frozen=True)
class Workshop:
    """A workshop's contributions for the person: from and to which month, how many days."""

    code: str
    first_month: str
    last_month: str
    months: int
    days: int


@dataclass(frozen=True)
class History:
    """The person's registry entries an objection is decided on."""

    insurance: list[InsuranceRecord]
    workshops: list[Workshop]
    documents: list[Document]


def month_text(year: int, month: int) -> str:
    """A Jalali month in words, «آبان ۱۴۰۵»."""
    return f"{MONTH_NAMES_FA[month - 1]} {to_persian_digits(year)}"


def _workshops(person_id: int) -> list[Workshop]:
    """The person's contributions by workshop, the latest worked first."""
    # As an INTEGER: the columns are SMALLINT, and 1405 × 100 is beyond it on PostgreSQL.
    month = cast(Contribution.jalali_year, Integer) * 100 + Contribution.jalali_month
    rows = db.session.execute(
        select(
            Contribution.workshop_code,
            func.min(month),
            func.max(month),
            func.count(),
            func.sum(Contribution.days),
        )
        .where(Contribution.person_id == person_id)
        .group_by(Contribution.workshop_code)
        .order_by(func.max(month).desc())
        .limit(WORKSHOPS)
    ).all()
    return [
        Workshop(code, month_text(*divmod(first, 100)), month_text(*divmod(last, 100)), n, days)
        for code, first, last, n, days in rows
    ]


def history(person_id: int) -> History:
    """The person's insurance records (the latest first), workshops and documents."""
    insurance = db.session.scalars(
        select(InsuranceRecord)
        .where(InsuranceRecord.person_id == person_id)
        .order_by(InsuranceRecord.start_date.desc())
    )
    documents = db.session.scalars(
        select(Document).where(Document.person_id == person_id).order_by(Document.valid_from.desc())
    )
    return History(list(insurance), _workshops(person_id), list(documents))


def main_insured(person_id: int) -> list[tuple[DependantLink, Person]]:
    """The links that make the person a dependant, each with its main insured, the latest
    first: a dependant's cover rests on the main insured's contributions."""
    rows = db.session.execute(
        select(DependantLink, Person)
        .join(Person, Person.id == DependantLink.insured_id)
        .where(DependantLink.dependant_id == person_id)
        .order_by(DependantLink.start_date.desc())
    )
    return [(row.DependantLink, row.Person) for row in rows]
