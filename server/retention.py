"""`flask --app server darman prune` (also the end of `daily`): delete what has outlived its use.

Each kind of row has its window, a DARMAN_RETAIN_* setting. Deletes go in small batches, each
its own short transaction, so that SQLite's write lock is never held for more than a few
milliseconds and the service keeps answering while a prune runs: the ids of a batch are read
without the lock, then deleted by primary key (the condition checked again) and committed. A
batch that took longer than the budget halves the next one; quick ones let it grow back.
"""

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import click
from flask import current_app
from sqlalchemy import ColumnElement, Table, and_, delete, select, tuple_, update

from . import clock
from .channels import nonces
from .database import read_only_transaction
from .extensions import db
from .models import (
    DeviceSession,
    GatewayNonce,
    IdempotencyKey,
    Inquiry,
    Notification,
    OutboxEvent,
    PushDelivery,
    PushSubscription,
    RateBucket,
    RateLimitHit,
    RecordAccess,
    SmsAllowance,
    SmsChallenge,
    UsedToken,
)
from .staff import documents

WRITE_BUDGET_SECONDS = 0.05  # the longest a batch may hold the write lock
SMALLEST_BATCH = 10


@dataclass(frozen=True)
class Window:
    """One kind of row: its table, and which of its rows are past `setting`'s window."""

    name: str
    table: Table
    setting: str
    unit: str  # "days", "hours" or "seconds"
    expired: Callable[[datetime], ColumnElement[bool]]
    kept: Callable[[Mapping], timedelta] | None = None  # when more than the setting decides it

    def cutoff(self, now: datetime) -> datetime:
        """The moment before which this kind of row goes."""
        if self.kept is not None:
            return now - self.kept(current_app.config)
        return now - timedelta(**{self.unit: current_app.config[self.setting]})


def _table(model) -> Table:
    """A model's table (the deletes are Core statements: no ORM bookkeeping per row)."""
    return model.__table__


WINDOWS = (
    Window("rate_limit_hit", _table(RateLimitHit), "DARMAN_RETAIN_RATE_LIMIT_HOURS", "hours",
           lambda cutoff: RateLimitHit.at < cutoff),
    # A bucket untouched for as long is empty (every limit drains within its window).
    Window("rate_bucket", _table(RateBucket), "DARMAN_RETAIN_RATE_LIMIT_HOURS", "hours",
           lambda cutoff: RateBucket.at < cutoff.timestamp()),
    # A nonce stays while its request's timestamp could still be accepted (skew either side).
    Window("gateway_nonce", _table(GatewayNonce), "DARMAN_GATEWAY_NONCE_SECONDS", "seconds",
           lambda cutoff: GatewayNonce.seen_at < cutoff, kept=nonces.keep),
    Window("used_token", _table(UsedToken), "DARMAN_RETAIN_USED_TOKEN_HOURS", "hours",
           lambda cutoff: UsedToken.expires_at < cutoff),
    Window("sms_challenge", _table(SmsChallenge), "DARMAN_RETAIN_SMS_CHALLENGE_HOURS", "hours",
           lambda cutoff: SmsChallenge.expires_at < cutoff),
    Window("device_session", _table(DeviceSession), "DARMAN_RETAIN_ENDED_SESSION_DAYS", "days",
           lambda cutoff: and_(DeviceSession.ended_at.is_not(None),
                               DeviceSession.ended_at < cutoff)),
    # A day's count of notice SMS (its key: the account and the day) once the day is long past.
    Window("sms_allowance", _table(SmsAllowance), "DARMAN_RETAIN_SMS_ALLOWANCE_DAYS", "days",
           lambda cutoff: SmsAllowance.day < cutoff.date()),
    Window("idempotency_key", _table(IdempotencyKey), "DARMAN_RETAIN_IDEMPOTENCY_HOURS", "hours",
           lambda cutoff: IdempotencyKey.created_at < cutoff),
    Window("outbox", _table(OutboxEvent), "DARMAN_RETAIN_OUTBOX_DAYS", "days",
           lambda cutoff: and_(OutboxEvent.status != "pending", OutboxEvent.created_at < cutoff)),
    Window("push_delivery", _table(PushDelivery), "DARMAN_RETAIN_PUSH_DELIVERY_DAYS", "days",
           lambda cutoff: and_(PushDelivery.status != "pending",
                               PushDelivery.created_at < cutoff)),
    # A notice's pending pushes (if any are left a year on) go with it: ON DELETE CASCADE.
    Window("notification", _table(Notification), "DARMAN_RETAIN_NOTIFICATION_DAYS", "days",
           lambda cutoff: Notification.created_at < cutoff),
    Window("inquiry", _table(Inquiry), "DARMAN_RETAIN_INQUIRY_DAYS", "days",
           lambda cutoff: Inquiry.asked_at < cutoff),
    Window("record_access", _table(RecordAccess), "DARMAN_RETAIN_RECORD_ACCESS_DAYS", "days",
           lambda cutoff: RecordAccess.at < cutoff),
)  # fmt: skip


@dataclass
class Pruned:
    """What a prune deleted: rows per table, in how many batches, the longest batch's time."""

    rows: dict[str, int] = field(default_factory=dict)
    batches: dict[str, int] = field(default_factory=dict)
    longest_write_seconds: float = 0.0

    def summary(self) -> str:
        """One line for the operator."""
        deleted = ", ".join(f"{name} {count}" for name, count in self.rows.items() if count)
        longest = round(self.longest_write_seconds * 1000, 1)
        return f"pruned: {deleted or 'nothing'} (longest write {longest} ms)"


def _prune_window(window: Window, now: datetime, batch: int, pruned: Pruned) -> None:
    """Delete one kind of row past its window, a batch per transaction."""
    columns = list(window.table.primary_key.columns)
    key = columns[0] if len(columns) == 1 else tuple_(*columns)  # a key of two columns: pairs
    condition = window.expired(window.cutoff(now))
    rows = batches = 0
    largest = batch
    while True:
        read_only_transaction(db.session())  # find the batch without the write lock
        oldest = select(*columns).where(condition).order_by(*columns).limit(batch)
        ids = [row[0] if len(columns) == 1 else tuple(row) for row in db.session.execute(oldest)]
        db.session.commit()
        if not ids:
            break
        started = time.perf_counter()
        if window.name == "device_session":  # as ON DELETE SET NULL, even where a connection
            # runs without SQLite's foreign keys: the browser's subscription stays, unlinked
            db.session.execute(
                update(PushSubscription)
                .where(PushSubscription.device_session_id.in_(ids))
                .values(device_session_id=None)
            )
        result = db.session.execute(delete(window.table).where(key.in_(ids), condition))
        db.session.commit()
        took = time.perf_counter() - started
        pruned.longest_write_seconds = max(pruned.longest_write_seconds, took)
        rows, batches = rows + result.rowcount, batches + 1
        if took > WRITE_BUDGET_SECONDS:
            batch = max(SMALLEST_BATCH, batch // 2)
        elif took < WRITE_BUDGET_SECONDS / 4:  # a passing stall (a checkpoint, a busy disk)
            batch = min(largest, batch * 2)
    pruned.rows[window.name] = rows
    pruned.batches[window.name] = batches


def prune_all(now: datetime | None = None) -> Pruned:
    """Delete every kind of row past its window, and the files of documents decided long
    enough ago; what was deleted."""
    now = now or clock.now()
    pruned = Pruned()
    for window in WINDOWS:
        _prune_window(window, now, current_app.config["DARMAN_PRUNE_BATCH"], pruned)
    _prune_document_files(now, current_app.config["DARMAN_PRUNE_BATCH"], pruned)
    return pruned


def _prune_document_files(now: datetime, batch: int, pruned: Pruned) -> None:
    """Delete the photo or PDF of each document decided DARMAN_RETAIN_DOCUMENT_FILE_DAYS ago
    (the row stays, its file name emptied): a batch per transaction, the files deleted once the
    rows no longer name them, so that no page links a file that is gone."""
    decided_before = now - timedelta(days=current_app.config["DARMAN_RETAIN_DOCUMENT_FILE_DAYS"])
    removed = 0
    while True:
        read_only_transaction(db.session())  # find the batch without the write lock
        rows = documents.decided_files(decided_before, batch)
        db.session.commit()
        if not rows:
            break
        documents.forget_files(rows)
        db.session.commit()
        documents.delete_files(current_app.instance_path, [name for _, name in rows])
        removed += len(rows)
    pruned.rows["document_file"] = removed


@click.command("prune")
def prune_command() -> None:
    """Delete rows past their retention windows (DARMAN_RETAIN_* settings), in small batches."""
    click.echo(prune_all().summary())
