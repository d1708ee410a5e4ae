"""Money: the price of each catalogue code over time, and centres' contracts with SSO.

Amounts are whole rials (`BigInteger`), never floats. A price holds from its `valid_from` until
the next price of the same code; a centre is contracted on a day iff one of its contracts covers
that day (`valid_until` empty: open-ended).
"""

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Tariff(Base):
    """The price of one unit of a catalogue code from a day on (rials)."""

    __tablename__ = "tariff"
    __table_args__ = (
        UniqueConstraint("code", "valid_from"),
        CheckConstraint("price_rial >= 0", name="price_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30))
    valid_from: Mapped[date] = mapped_column(Date)
    price_rial: Mapped[int] = mapped_column(BigInteger)


class Contract(Base):
    """A centre's contract with SSO over a span of days."""

    __tablename__ = "contract"
    __table_args__ = (
        CheckConstraint(
            "valid_until IS NULL OR valid_until >= valid_from", name="ends_after_it_starts"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"), index=True)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    made_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The staff member who approved it (empty when an operator made it with the CLI).
    made_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
