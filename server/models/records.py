"""The electronic health record: prescriptions and paraclinic orders, their dispensing, who read
them, and the providers' idempotency keys."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base
from .catalogue import CATALOGUE_KINDS

PRESCRIPTION_TYPES = CATALOGUE_KINDS  # a prescription holds items of its type's kind only
READER_KINDS = ("self", "parent", "provider")


class Prescription(Base):
    """A prescription or paraclinic order written by a doctor under a patient's national code.

    A newborn's is written under the mother (`person_id`) with `newborn_birth_date` set.
    `expires_on` is the last day anything of it may be dispensed. A repeat prescription has
    `parts` monthly parts (its items' quantities are the parts' sum); `reminded_parts` is the last
    part the patient was reminded of. A cancelled one names who cancelled it, when and why.
    """

    __tablename__ = "prescription"
    __table_args__ = (
        Index("ix_prescription_person_written", "person_id", "written_on", "id"),
        Index("ix_prescription_repeats", "parts", "written_on"),  # the daily job's reminders
        CheckConstraint("parts BETWEEN 1 AND 12", name="parts_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    newborn_birth_date: Mapped[date | None] = mapped_column(Date)
    written_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date)
    type: Mapped[str] = mapped_column(String(10))
    diagnosis: Mapped[str | None] = mapped_column(String(500))
    # The eligibility inquiry made when it was written, and what it said.
    tracking_code: Mapped[str] = mapped_column(String(12))
    covered: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    parts: Mapped[int] = mapped_column(SmallInteger, default=1, server_default="1")
    reminded_parts: Mapped[int] = mapped_column(SmallInteger, default=1, server_default="1")
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancel_reason: Mapped[str | None] = mapped_column(String(300))
    # The centre's member who cancelled it in the web; empty when the centre's software did.
    cancelled_by_member_id: Mapped[int | None] = mapped_column(ForeignKey("centre_member.id"))


class PrescriptionItem(Base):
    """One drug or service of a prescription; `dispensed` is the sum of its dispensing events,
    never more than prescribed (the database refuses it: a unit is dispensed at most once).
    A cancelled item (`cancelled_at`) has nothing more delivered of it."""

    __tablename__ = "prescription_item"
    __table_args__ = (
        UniqueConstraint("prescription_id", "code"),
        CheckConstraint("dispensed <= quantity", name="dispensed_within_quantity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    prescription_id: Mapped[int] = mapped_column(ForeignKey("prescription.id"), index=True)
    position: Mapped[int] = mapped_column(SmallInteger)
    code: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(200))
    instructions: Mapped[str | None] = mapped_column(String(300))
    quantity: Mapped[int] = mapped_column(Integer)
    dispensed: Mapped[int] = mapped_column(Integer, default=0)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancel_reason: Mapped[str | None] = mapped_column(String(300))
    # A hospital's item it lacks, to be got outside (seed 002), and why: served with cover at
    # any contracted centre of its kind, never by the hospital that wrote it.
    obtain_outside: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    outside_reason: Mapped[str | None] = mapped_column(String(300))


class Dispensing(Base):
    """Part (or all) of an item delivered by a centre: pharmacy, lab, imaging, physio, hospital."""

    __tablename__ = "dispensing"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("prescription_item.id"), index=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RecordAccess(Base):
    """One read of a person's health record: by the person, a parent, a provider, or SSO staff.

    `prescription_id` is set when one record was opened, empty when the list was read; a staff
    member's read (`reader` "staff") names what they opened in the console (`opened`).
    """

    __tablename__ = "record_access"
    __table_args__ = (
        Index("ix_record_access_person_id_id", "person_id", "id"),
        Index("ix_record_access_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    reader: Mapped[str] = mapped_column(String(10))  # self | parent | provider | staff
    reader_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id"))
    # The centre's member who read it in the web; empty when the centre's software did.
    member_id: Mapped[int | None] = mapped_column(ForeignKey("centre_member.id"))
    prescription_id: Mapped[int | None] = mapped_column(ForeignKey("prescription.id"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    opened: Mapped[str | None] = mapped_column(
        String(20)
    )  # objection | attachment | document (staff)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class IdempotencyKey(Base):
    """A provider's `Idempotency-Key` and the answer it got, so that a retry gets it again.

    `fingerprint` is a hash of the request (path and normalised body): the same key with another
    request is refused.
    """

    __tablename__ = "idempotency_key"
    __table_args__ = (UniqueConstraint("provider_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"))
    key: Mapped[str] = mapped_column(String(100))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(SmallInteger)
    answer: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
