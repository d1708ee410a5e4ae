"""Hospitals: a patient's admission (the inpatient eligibility answer it was made with) and the
registry's other base insurers, whose overlap with SSO an admission shows and staff resolve."""

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class OtherInsurance(Base):
    """A base insurer other than SSO that the registry says covers a person over a span
    (`other_insurance.csv`; no `end_date`: open-ended)."""

    __tablename__ = "other_insurance"
    __table_args__ = (UniqueConstraint("person_id", "insurer", "start_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    insurer: Mapped[str] = mapped_column(String(100))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)


class Admission(Base):
    """A patient admitted to a hospital's ward, from `admitted_on` until discharged; the
    eligibility inquiry made for it, and the other base insurers found on that day (comma-
    separated) until staff mark the overlap handled with a note."""

    __tablename__ = "admission"
    __table_args__ = (
        Index("ix_admission_provider_person", "provider_id", "person_id"),
        CheckConstraint(
            "discharged_on IS NULL OR discharged_on >= admitted_on",
            name="discharged_after_admitted",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("centre_member.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    newborn_birth_date: Mapped[date | None] = mapped_column(Date)
    ward: Mapped[str] = mapped_column(String(100))
    admitted_on: Mapped[date] = mapped_column(Date)
    discharged_on: Mapped[date | None] = mapped_column(Date)
    tracking_code: Mapped[str] = mapped_column(String(12))
    covered: Mapped[bool] = mapped_column(Boolean)
    overlap: Mapped[str] = mapped_column(String(500), default="")
    overlap_resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    overlap_resolved_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    overlap_note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
