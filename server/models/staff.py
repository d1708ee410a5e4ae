"""SSO's staff: their accounts, passkeys, sessions, and the append-only audit."""

from datetime import datetime

from sqlalchemy import DDL, JSON, DateTime, ForeignKey, Index, LargeBinary, String, event
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base
from .passkey_columns import PasskeyColumns

STAFF_ROLES = ("branch", "insurance", "medical", "claims", "admin")


class Staff(Base):
    """A member of SSO's staff with one role; signs in with an SMS code and a passkey, both."""

    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    national_code: Mapped[str] = mapped_column(String(12), unique=True)
    mobile: Mapped[str] = mapped_column(String(11))
    role: Mapped[str] = mapped_column(String(10))
    # A random handle for WebAuthn, so that passkeys never carry the national code.
    user_handle: Mapped[bytes] = mapped_column(LargeBinary(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class StaffPasskey(PasskeyColumns, Base):
    """A WebAuthn credential of a staff member (kept apart from citizens' passkeys)."""

    __tablename__ = "staff_passkey"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)


class StaffSession(Base):
    """One staff browser. Its cookie holds a random token; the row keeps only the token's hash.

    It is signed in once both `sms_at` and `passkey_at` are set; it lives 8 hours from
    `created_at` and dies after 15 minutes without use.
    """

    __tablename__ = "staff_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the cookie's token
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sms_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    passkey_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    address: Mapped[str] = mapped_column(String(45), default="")
    user_agent: Mapped[str] = mapped_column(String(300), default="")


class StaffAudit(Base):
    """One staff action: who, what, whom, when, from where. Rows are only ever added.

    The ORM refuses to update or delete a row (below), and on PostgreSQL a trigger refuses it
    too, whoever asks.
    """

    __tablename__ = "staff_audit"
    __table_args__ = (Index("ix_staff_audit_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    subject: Mapped[str] = mapped_column(String(100), default="")  # e.g. "objection:12"
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    address: Mapped[str] = mapped_column(String(45), default="")


AUDIT_TRIGGER = DDL(
    """
    CREATE OR REPLACE FUNCTION staff_audit_refuse_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'staff_audit is append-only';
    END;
    $$ LANGUAGE plpgsql;
    CREATE TRIGGER staff_audit_append_only BEFORE UPDATE OR DELETE ON staff_audit
        FOR EACH ROW EXECUTE FUNCTION staff_audit_refuse_change();
    """
)
event.listen(StaffAudit.__table__, "after_create", AUDIT_TRIGGER.execute_if(dialect="postgresql"))


@event.listens_for(StaffAudit, "before_update")
def _refuse_update(mapper, connection, target) -> None:
    """The audit is append-only."""
    raise PermissionError("staff_audit is append-only")


@event.listens_for(StaffAudit, "before_delete")
def _refuse_delete(mapper, connection, target) -> None:
    """The audit is append-only."""
    raise PermissionError("staff_audit is append-only")
