"""Objections (1420): a person disputes their cover or a record; staff answer them."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base

OBJECTION_SUBJECTS = ("cover", "dependant_cover", "unknown_record", "misuse", "allergy")
OBJECTION_STATUSES = ("received", "in_review", "answered")


class Objection(Base):
    """One objection filed in the app; `about_person_id` is the dependant when it is theirs."""

    __tablename__ = "objection"
    __table_args__ = (Index("ix_objection_status_created_at", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_number: Mapped[str] = mapped_column(String(12), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    about_person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    subject: Mapped[str] = mapped_column(String(20))
    record_access_id: Mapped[int | None] = mapped_column(ForeignKey("record_access.id"))
    text: Mapped[str] = mapped_column(Text)
    # The attachment lives in the instance folder under a random name, never in the web root.
    attachment_name: Mapped[str | None] = mapped_column(String(80))
    attachment_type: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(12), default="received")
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ProviderReview(Base):
    """A provider's entry put under review by staff after a misuse objection."""

    __tablename__ = "provider_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    objection_id: Mapped[int] = mapped_column(ForeignKey("objection.id"), unique=True)
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id"), index=True)
    record_access_id: Mapped[int | None] = mapped_column(ForeignKey("record_access.id"))
    flagged_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    flagged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
