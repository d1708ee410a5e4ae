"""Clinical facts beside the record: a prescription's coded diagnoses (WHO ICD-10), a person's
drug allergies, and the allergies a doctor wrote a prescription through."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base

ALLERGY_SEVERITIES = ("mild", "moderate", "severe")
ALLERGY_STATUSES = ("active", "disputed", "removed")


class PrescriptionDiagnosis(Base):
    """One ICD-10 code of a prescription, in the order the doctor gave them; the title is the
    classification's, read from the library when shown."""

    __tablename__ = "prescription_diagnosis"
    __table_args__ = (UniqueConstraint("prescription_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    prescription_id: Mapped[int] = mapped_column(ForeignKey("prescription.id"), index=True)
    position: Mapped[int] = mapped_column(SmallInteger)
    code: Mapped[str] = mapped_column(String(10))


class Allergy(Base):
    """A drug allergy a doctor recorded during a visit: an ingredient as the catalogue names it,
    or a class of them (`penicillins`). `disputed` while the person's objection is open (still
    checked: safety first); `removed` once SSO's staff upheld the objection."""

    __tablename__ = "allergy"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    ingredient: Mapped[str] = mapped_column(String(100))
    reaction: Mapped[str] = mapped_column(String(300))
    severity: Mapped[str] = mapped_column(String(10))
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("centre_member.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(10), default="active")
    objection_id: Mapped[int | None] = mapped_column(ForeignKey("objection.id"))


class AllergyAcknowledgement(Base):
    """An item written although the patient is allergic to one of its ingredients, with the
    doctor's reason; shown to the centres that deliver the prescription."""

    __tablename__ = "allergy_acknowledgement"
    __table_args__ = (UniqueConstraint("prescription_id", "allergy_id", "item_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    prescription_id: Mapped[int] = mapped_column(ForeignKey("prescription.id"), index=True)
    allergy_id: Mapped[int] = mapped_column(ForeignKey("allergy.id"))
    item_code: Mapped[str] = mapped_column(String(30))
    ingredient: Mapped[str] = mapped_column(String(100))  # the allergy's, as recorded
    reaction: Mapped[str] = mapped_column(String(300))
    reason: Mapped[str] = mapped_column(String(300))
