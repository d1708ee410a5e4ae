"""Centres (doctors' offices, pharmacies, labs, …) and every eligibility inquiry with its
tracking code. A centre keeps the `provider` table and its ids, so that everything which
points at a provider (inquiries, prescriptions, dispensing, the access log) points at a centre."""

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base

PROVIDER_KINDS = ("doctor", "clinic", "pharmacy", "lab", "imaging", "physio", "hospital")
# Whose doctors see patients at a visit (a clinic, درمانگاه, is doctors' offices under one roof):
# the eligibility inquiry a prescription is written in is logged as a visit. A hospital admits
# instead; it writes and reads the history too (`records.rules.WRITER_KINDS`).
PRESCRIBER_KINDS = ("doctor", "clinic")
CENTRE_STATUSES = ("pending", "active", "suspended")


class Provider(Base):
    """A centre: its name, kind, city and licence; only an active one works. Whether SSO has a
    contract with it on a day is in its contracts (`contract`, server/money/contracts.py)."""

    __tablename__ = "provider"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    city: Mapped[str] = mapped_column(String(100), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    licence_number: Mapped[str | None] = mapped_column(String(50))
    # SSO's own centre (ملکی): the insured pays nothing there (server/domain/shares.py, S2).
    sso_owned: Mapped[bool] = mapped_column(Boolean, default=False)
    # A public or university centre (a public hospital's rules S3–S5).
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    # A registering doctor asks for a contract with SSO; staff decide on it later.
    contract_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(10), default="active")
    rejection_reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The medical staff member who approved it (empty for centres made by the CLI).
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))

    @property
    def rejected(self) -> bool:
        """Refused at registration: suspended without ever having been approved."""
        return self.status == "suspended" and self.approved_at is None


Centre = Provider  # the same row: "centre" in the web's words, "provider" in the API's


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
    # The centre's member who asked in the web (channel `web`); empty for software and citizens.
    member_id: Mapped[int | None] = mapped_column(ForeignKey("centre_member.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    national_code: Mapped[str] = mapped_column(String(12))
    newborn_birth_date: Mapped[date | None] = mapped_column(Date)
    covered: Mapped[bool] = mapped_column(Boolean)
    valid_until: Mapped[date | None] = mapped_column(Date)
    asked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
