"""Precomputed coverage (one row a person) and the outbox of its changes."""

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Coverage(Base):
    """A person's eligibility as last computed; an inquiry reads this row and nothing else.

    `own_valid_until` is the person's cover as a main insured (R1–R4) — what their dependants'
    cover is capped by. `reasons` and `notes` are comma-separated codes of the domain rules.
    """

    __tablename__ = "coverage"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    covered: Mapped[bool] = mapped_column(Boolean)
    # Indexed: `daily` finds whose cover ended yesterday, or rolls over at a month's end.
    valid_until: Mapped[date | None] = mapped_column(Date, index=True)
    own_valid_until: Mapped[date | None] = mapped_column(Date, index=True)
    basis: Mapped[str | None] = mapped_column(String(20))
    reasons: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(String(100), default="")
    computed_on: Mapped[date] = mapped_column(Date)


class OutboxEvent(Base):
    """A change to be told to the person (push, inbox); written in the same transaction as it."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    old: Mapped[dict | None] = mapped_column(JSON)
    new: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
