"""Money: the price of each catalogue code over time, and centres' contracts with SSO.

Amounts are whole rials (`BigInteger`), never floats. A price holds from its `valid_from` until
the next price of the same code; a centre is contracted on a day iff one of its contracts covers
that day (`valid_until` empty: open-ended).
"""

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
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


CLAIM_STATUSES = ("open", "accepted", "reduced", "rejected")


class ClaimLine(Base):
    """One service a centre claims for: a delivered item or a visit, priced on its service date,
    with the insured's and SSO's shares (server/domain/shares.py) and the rule that split them.
    Settled once (`settled_on`: the day of the settlement that counted it); reviewed monthly."""

    __tablename__ = "claim_line"
    __table_args__ = (
        CheckConstraint("price = patient_share + sso_share", name="shares_add_up"),
        CheckConstraint("patient_share >= 0 AND sso_share >= 0", name="shares_not_negative"),
        CheckConstraint("deducted >= 0 AND deducted <= sso_share", name="deduction_within_share"),
        Index("ix_claim_line_service_date_provider_id", "service_date", "provider_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"))
    service_date: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(10))  # drug | lab | imaging | physio | visit
    code: Mapped[str] = mapped_column(String(30))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(BigInteger)
    price: Mapped[int] = mapped_column(BigInteger)
    patient_share: Mapped[int] = mapped_column(BigInteger)
    sso_share: Mapped[int] = mapped_column(BigInteger)
    rule: Mapped[str] = mapped_column(String(30))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    # The eligibility inquiry the centre made for it (at the counter; a visit's: the write's).
    tracking_code: Mapped[str] = mapped_column(String(12))
    prescription_id: Mapped[int | None] = mapped_column(ForeignKey("prescription.id"), index=True)
    # A delivered item's line: one per dispensing row (a visit has none).
    dispensing_id: Mapped[int | None] = mapped_column(ForeignKey("dispensing.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    settled_on: Mapped[date | None] = mapped_column(Date)  # counted by that day's settlement
    status: Mapped[str] = mapped_column(String(10), default="open")
    deducted: Mapped[int] = mapped_column(BigInteger, default=0)  # کسورات, by the review
    review_reason: Mapped[str | None] = mapped_column(String(500))


class SettledDay(Base):
    """A day whose settlement began (a day is settled once), and when it finished."""

    __tablename__ = "settled_day"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    centres: Mapped[int] = mapped_column(Integer, default=0)
    lines: Mapped[int] = mapped_column(Integer, default=0)


class Settlement(Base):
    """One centre's day: its claims' totals, the advance paid at once, and what is held until the
    month's review. A centre with no contract on the day is listed, not payable, with the reason."""

    __tablename__ = "settlement"
    __table_args__ = (
        UniqueConstraint("provider_id", "day"),
        CheckConstraint("advance + held = sso_share", name="advance_and_held_add_up"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"), index=True)
    day: Mapped[date] = mapped_column(ForeignKey("settled_day.day"), index=True)
    lines: Mapped[int] = mapped_column(Integer)
    price: Mapped[int] = mapped_column(BigInteger)
    patient_share: Mapped[int] = mapped_column(BigInteger)
    sso_share: Mapped[int] = mapped_column(BigInteger)
    advance: Mapped[int] = mapped_column(BigInteger)
    held: Mapped[int] = mapped_column(BigInteger)
    payable: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str | None] = mapped_column(String(30))  # not_contracted


MONTH_STATUSES = ("open", "closed")


class ClaimMonth(Base):
    """One centre's Jalali month under review by SSO's claims staff (opened when first reviewed).
    `first_day`..`last_day` are its Gregorian days, so lines and settlements are found by range.
    Once closed, its figures are frozen: the SSO share accepted on the payable days, the advances
    paid for them, and the final payment (`payable = accepted - advances`, negative when the
    advances were more than what was accepted: the centre owes the difference)."""

    __tablename__ = "claim_month"
    __table_args__ = (
        UniqueConstraint("provider_id", "year", "month"),
        CheckConstraint("status IN ('open', 'closed')", name="month_status"),
        CheckConstraint("last_day >= first_day", name="month_ends_after_it_starts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"))
    year: Mapped[int] = mapped_column(Integer)  # Jalali
    month: Mapped[int] = mapped_column(Integer)  # Jalali, 1-12
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="open")
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    opened_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    accepted: Mapped[int | None] = mapped_column(BigInteger)  # rials, frozen at the close
    advances: Mapped[int | None] = mapped_column(BigInteger)
    payable: Mapped[int | None] = mapped_column(BigInteger)
