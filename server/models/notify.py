"""Notices: the inbox, the browsers' push subscriptions, each push's delivery, the settings.

The worker turns outbox rows into `Notification` rows (the inbox, one per account that should be
told) and one `PushDelivery` per subscribed browser of that account, in one transaction.
"""

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
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


class PushSubscription(Base):
    """A browser's push subscription (PushSubscription.toJSON()), tied to an account.

    `device_session_id` is the signed-in device that subscribed: once it signs out, no push is
    sent there any more (the inbox still gets every notice).
    """

    __tablename__ = "push_subscription"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    device_session_id: Mapped[str | None] = mapped_column(
        ForeignKey("device_session.id", ondelete="SET NULL")
    )
    endpoint: Mapped[str] = mapped_column(String(1000), unique=True)
    p256dh: Mapped[str] = mapped_column(String(100))  # base64url, a 65-byte P-256 point
    auth: Mapped[str] = mapped_column(String(40))  # base64url, 16 bytes
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_success_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Notification(Base):
    """One notice in an account's inbox, written whether or not any push reaches a device.

    `dedup_key` makes a notice once per account even when two outbox rows tell the same thing
    (the daily job's "ended today" and the recompute's change, say).
    """

    __tablename__ = "notification"
    __table_args__ = (
        UniqueConstraint("account_id", "dedup_key"),
        Index("ix_notification_account_id_id", "account_id", "id"),
        Index("ix_notification_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(String(1000))
    url: Mapped[str] = mapped_column(String(200))
    dedup_key: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class NotificationOptOut(Base):
    """A kind of notice an account has turned off (no row: the kind is on)."""

    __tablename__ = "notification_opt_out"

    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), primary_key=True)


class PushDelivery(Base):
    """One notice to one subscribed browser: pending until sent, retried, or given up."""

    __tablename__ = "push_delivery"
    __table_args__ = (
        Index("ix_push_delivery_status_next", "status", "next_attempt_at"),
        Index("ix_push_delivery_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(
        ForeignKey("notification.id", ondelete="CASCADE"), index=True
    )
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("push_subscription.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending|sent|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(String(200))


class CoverageReminder(Base):
    """A reminder the daily job has put in the outbox, so that it is written once.

    kind: `coverage_ending`, `coverage_ended` or `newborn_ending` (then the person is the mother);
    `valid_until` is the last day of the cover it is about.
    """

    __tablename__ = "coverage_reminder"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), primary_key=True)
    valid_until: Mapped[date] = mapped_column(Date, primary_key=True)


class SmsNotice(Base):
    """A notice that may have to go by SMS: the SMS outbox (server/notify/sms_fallback.py).

    pending (until `due_at`) → sending (claimed by one worker, `claim`) → sent, summarised (told
    in another row's SMS, `carried_by`), skipped (a push got through, or the person chose push
    only) or failed (no mobile, or a number the provider refuses). `held`: kept for the next day
    by the daily cap, so that the next SMS summarises it.
    """

    __tablename__ = "sms_notice"
    __table_args__ = (Index("ix_sms_notice_status_due", "status", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(
        ForeignKey("notification.id", ondelete="CASCADE"), unique=True
    )
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    text: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    held: Mapped[bool] = mapped_column(Boolean, default=False)
    claim: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    carried_by: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SmsAllowance(Base):
    """The notice SMS an account has been sent on one Tehran day, against the daily cap."""

    __tablename__ = "sms_allowance"

    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    used: Mapped[int] = mapped_column(Integer, default=0)
