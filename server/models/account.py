"""Citizens' accounts: made at the first SMS sign-in, with their devices' sessions and passkeys."""

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base
from .passkey_columns import PasskeyColumns


class Account(Base):
    """An insured person who has registered (once) with their national code and mobile."""

    __tablename__ = "account"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), unique=True)
    # A random handle for WebAuthn, so that passkeys never carry the national code.
    user_handle: Mapped[bytes] = mapped_column(LargeBinary(64), unique=True)
    locale: Mapped[str] = mapped_column(String(5), default="fa")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # How notices reach the person: push_only | push_then_sms (an SMS when no push got through
    # in time) | sms_too (an SMS as well, at once). See server/notify/sms_fallback.py.
    notice_sms: Mapped[str] = mapped_column(
        String(15), default="push_then_sms", server_default="push_then_sms"
    )


class DeviceSession(Base):
    """One signed-in device. The cookie holds only `id`; ending the row signs the device out."""

    __tablename__ = "device_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    method: Mapped[str] = mapped_column(String(10))  # sms | passkey
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    authenticated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    # why it ended, for the open app to say: signed_out | ended_elsewhere | other_account |
    # expired | mobile_changed (None: before this was kept)
    end_reason: Mapped[str | None] = mapped_column(String(20))


class SmsChallenge(Base):
    """A sign-in code sent by SMS in one realm (citizen | centre | staff): kept only as a keyed
    hash bound to its request id. `subject_id` is a person's id (citizen, centre) or a staff
    member's (staff), so it has no foreign key."""

    __tablename__ = "sms_challenge"
    __table_args__ = (Index("ix_sms_challenge_realm_subject", "realm", "subject_id"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # the request_id
    realm: Mapped[str] = mapped_column(String(10))
    subject_id: Mapped[int] = mapped_column(Integer)
    national_code: Mapped[str] = mapped_column(String(12))
    mobile: Mapped[str] = mapped_column(String(11))
    address: Mapped[str] = mapped_column(String(40))  # where it was asked from, as counted
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RateLimitHit(Base):
    """One counted event (an SMS sent, a sign-in tried) under a key such as `ip:1.2.3.4`.

    Counters live in the database so that every gunicorn worker and node sees the same ones.
    """

    __tablename__ = "rate_limit_hit"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class RateBucket(Base):
    """A leaky bucket under a key such as `token:7:inquiries`: one row, whatever the traffic.

    Each hit adds 1 to `level`, which drains at `limit / window` a second; a hit that would
    overflow `limit` is refused. One keyed upsert counts and checks (`auth/rate_limits.take`),
    so a busy centre's limit costs no growing table and no count.
    """

    __tablename__ = "rate_bucket"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    level: Mapped[float] = mapped_column(Float)  # hits still in the bucket at `at`
    at: Mapped[float] = mapped_column(Float)  # Unix seconds of the last counted hit


class Passkey(PasskeyColumns, Base):
    """A WebAuthn credential (discoverable, user-verified) of an account."""

    __tablename__ = "passkey"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")


class UsedToken(Base):
    """The id of a one-time token (a WebAuthn challenge) that has been spent."""

    __tablename__ = "used_token"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
