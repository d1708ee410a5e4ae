"""Documents sent from the app (a student certificate, a disability decision) for SSO's
insurance staff to accept or refuse; an accepted one becomes a registry `document` row."""

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base

SUBMISSION_KINDS = ("student_certificate", "disability")
SUBMISSION_STATUSES = ("pending", "accepted", "refused")


class DocumentSubmission(Base):
    """One document sent in the app about `person_id` by the account of `sender_id` (the main
    insured, or the person themself); decided once, by one staff member."""

    __tablename__ = "document_submission"
    __table_args__ = (Index("ix_document_submission_status_created_at", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_number: Mapped[str] = mapped_column(String(12), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    sender_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    university: Mapped[str | None] = mapped_column(String(120))
    valid_until: Mapped[date | None] = mapped_column(Date)  # as the sender typed it
    note: Mapped[str | None] = mapped_column(Text)
    # The file lives in the instance folder under a random name, never in the web root.
    file_name: Mapped[str] = mapped_column(String(80))
    media_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    reason: Mapped[str | None] = mapped_column(Text)  # a refusal's, shown to the family
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
