"""A centre's people and keys: members with roles, their web sessions and passkeys, the
centre's API tokens, and a registering doctor's documents."""

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base
from .passkey_columns import PasskeyColumns

MEMBER_ROLES = ("doctor", "pharmacist", "technician", "reception", "admin")
TOKEN_SCOPES = ("eligibility", "prescribe", "dispense", "records")
# What each kind of centre may do through the API (a token gets at most these scopes).
KIND_SCOPES: dict[str, frozenset[str]] = {
    "doctor": frozenset({"eligibility", "prescribe", "records"}),
    "clinic": frozenset({"eligibility", "prescribe", "records"}),
    "pharmacy": frozenset({"eligibility", "dispense"}),
    "lab": frozenset({"eligibility", "dispense"}),
    "imaging": frozenset({"eligibility", "dispense"}),
    "physio": frozenset({"eligibility", "dispense"}),
    "hospital": frozenset(TOKEN_SCOPES),
}
DOCUMENT_KINDS = ("council_card", "national_card", "medical_licence", "activity_licence")


class CentreMember(Base):
    """A person working at a centre in one role; `is_admin` lets them manage members and tokens.

    A removed member keeps the row (inquiries and the access log name them) with `removed_at`.
    """

    __tablename__ = "centre_member"
    __table_args__ = (Index("ix_centre_member_person_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    role: Mapped[str] = mapped_column(String(20))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    medical_council_number: Mapped[str | None] = mapped_column(String(20), index=True)
    specialty: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class MemberSession(Base):
    """A member signed in to the web for centres. The cookie holds only `id`.

    It lives 12 hours from sign-in and 30 minutes without use; `method` is `sms` until a
    passkey is used, and only a `passkey` session may write.
    """

    __tablename__ = "member_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("centre_member.id"), index=True)
    method: Mapped[str] = mapped_column(String(10))  # sms | passkey
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class MemberPasskey(PasskeyColumns, Base):
    """A member's WebAuthn credential, kept apart from the citizen's passkeys: a clinic's
    shared computer must not open the doctor's own health record."""

    __tablename__ = "member_passkey"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)


class ProviderToken(Base):
    """A centre's API token, kept only as a SHA-256 hash, with its scopes and expiry."""

    __tablename__ = "provider_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[str] = mapped_column(String(100))  # comma-separated TOKEN_SCOPES
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CentreDocument(Base):
    """One document of a registration (a PDF, JPEG or PNG), stored in the instance folder."""

    __tablename__ = "centre_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    media_type: Mapped[str] = mapped_column(String(30))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    stored_as: Mapped[str] = mapped_column(String(200))  # relative to the documents folder
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
