"""The registry loaded from SSO's files: people, insurance, dependants, contributions, documents,
births."""

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Person(Base):
    """Anyone in the registry: a main insured, a dependant, or both."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    national_code: Mapped[str] = mapped_column(String(12), unique=True)
    first_name: Mapped[str] = mapped_column(String(60))
    last_name: Mapped[str] = mapped_column(String(60))
    birth_date: Mapped[date | None] = mapped_column(Date, index=True)  # `daily`: birthdays
    sex: Mapped[str] = mapped_column(String(1))
    mobile: Mapped[str | None] = mapped_column(String(11))
    death_date: Mapped[date | None] = mapped_column(Date, index=True)


class InsuranceRecord(Base):
    """One basis of cover of a main insured: worker, self-employed, voluntary, pensioner, …"""

    __tablename__ = "insurance_record"
    __table_args__ = (UniqueConstraint("person_id", "kind", "start_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    insurance_number: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))
    start_date: Mapped[date] = mapped_column(Date, index=True)
    end_date: Mapped[date | None] = mapped_column(Date)


class DependantLink(Base):
    """A dependant (تحت تکفل) of a main insured: spouse, child or parent."""

    __tablename__ = "dependant_link"
    __table_args__ = (UniqueConstraint("insured_id", "dependant_id", "relation"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    insured_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    dependant_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    relation: Mapped[str] = mapped_column(String(10))
    start_date: Mapped[date | None] = mapped_column(Date, index=True)
    end_date: Mapped[date | None] = mapped_column(Date, index=True)


class Contribution(Base):
    """Days of contribution in one Jalali month at one workshop (payroll is per Jalali month)."""

    __tablename__ = "contribution"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    jalali_year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    jalali_month: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    workshop_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    days: Mapped[int] = mapped_column(SmallInteger)


class Document(Base):
    """A document that extends a dependant's cover: student certificate, birth certificate seen,
    disability."""

    __tablename__ = "document"
    __table_args__ = (UniqueConstraint("person_id", "kind", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    valid_from: Mapped[date] = mapped_column(Date, index=True)
    valid_until: Mapped[date | None] = mapped_column(Date, index=True)


class Birth(Base):
    """A birth not yet given a national code; the newborn is served under the mother's code.

    `ordinal` tells twins of the same sex apart: the n-th identical row of one file.
    """

    __tablename__ = "birth"
    __table_args__ = (UniqueConstraint("mother_id", "birth_date", "sex", "ordinal"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mother_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    birth_date: Mapped[date] = mapped_column(Date, index=True)
    sex: Mapped[str] = mapped_column(String(1))
    ordinal: Mapped[int] = mapped_column(SmallInteger, default=1)


class SpecialPatient(Base):
    """A person on the special-patients list («بیماران خاص»: a chronic condition) for a period:
    from `special_patients.csv`, or added by SSO's medical staff (`added_by`, audited). A
    person on it on the day may get a repeat prescription of up to 12 parts."""

    __tablename__ = "special_patient"
    __table_args__ = (UniqueConstraint("person_id", "condition", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    condition: Mapped[str] = mapped_column(String(100))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    added_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    added_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
