"""Providers (doctors, pharmacies, …) and every eligibility inquiry with its tracking code."""

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base

PROVIDER_KINDS = ("doctor", "pharmacy", "lab", "imaging", "physio", "hospital")


class Provider(Base):
    """A doctor's or centre's software; its bearer token is stored only as a SHA-256 hash."""

    __tablename__ = "provider"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Inquiry(Base):
    """One eligibility inquiry in any channel, kept so that its tracking code can be verified."""

    __tablename__ = "inquiry"
    # The records' visit rule asks "did this provider ask about this code lately?"
    __table_args__ = (
        Index(
            "ix_inquiry_provider_national_code_asked", "provider_id", "national_code", "asked_at"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_code: Mapped[str] = mapped_column(String(12), unique=True)
    channel: Mapped[str] = mapped_column(String(20))
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    national_code: Mapped[str] = mapped_column(String(12))
    newborn_birth_date: Mapped[date | None] = mapped_column(Date)
    covered: Mapped[bool] = mapped_column(Boolean)
    valid_until: Mapped[date | None] = mapped_column(Date)
    asked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
