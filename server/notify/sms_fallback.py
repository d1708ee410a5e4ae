"""Notices that reach everyone: the SMS a notice gets when no push got through in time.

The fan-out queues one `sms_notice` row per notice of an SMS kind (lost or regained cover, a
prescription under the person's code, a read of the record, an answered objection), due at
once when the account has no push subscription or asked for SMS too, else after
DARMAN_SMS_FALLBACK_MINUTES; none for an account that chose push only. When it is due, a push
confirmed by the push service (201) within that window counts as delivered; anything else
(failed, still retrying, never sent) does not, and the SMS goes.

Never sent twice: a worker claims due rows with one guarded UPDATE (status and due time checked
again in its WHERE; `FOR UPDATE SKIP LOCKED` first on PostgreSQL), so two workers racing never
hold the same row; only then does it call the provider, and it records the answer at once.
Never lost: a failure puts the row back with a backoff; a claim left by a worker that died is
taken again after DARMAN_SMS_CLAIM_SECONDS. At most DARMAN_SMS_FALLBACK_PER_DAY SMS an account
a Tehran day, counted by a guarded increment in `sms_allowance`; the rest wait for the next day
and its first SMS summarises them («و ۲ پیام دیگر در برنامه»).

A batch job, like the push worker: it owns its short transactions and commits each itself, and
never holds a transaction while the provider is on the line.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from itertools import groupby

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import Connection, and_, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from .. import clock
from ..auth.sms import SmsBackend, SmsDeliveryError
from ..domain.digits import to_persian_digits
from ..extensions import db
from ..models import Account, Notification, Person, PushDelivery, SmsAllowance, SmsNotice
from ..ops import metrics
from .sender import backoff_seconds

# The kinds a notice may go by SMS for; an objection's only when it is answered, a document's
# once it is decided (`sms_text`).
SMS_KINDS = frozenset(
    {
        "coverage_gained",
        "coverage_lost",
        "coverage_ended",
        "dependant_gained",
        "dependant_lost",
        "dependant_ended",
        "prescription_written",
        "record_read",
        "objection_status",
        "document_status",
    }
)
CHOICES = ("push_only", "push_then_sms", "sms_too")
# Provider statuses that no retry can mend: the number itself is refused (Kavenegar 411).
NUMBER_REFUSED = frozenset({411})


@dataclass
class SmsTally:
    """What one pass did."""

    sent: int = 0
    summarised: int = 0
    skipped: int = 0
    held: int = 0
    retried: int = 0
    failed: int = 0

    def busy(self) -> bool:
        """Whether the pass settled anything (then the worker loops again at once); rows held
        for tomorrow or put back to retry later are not due again now."""
        return any((self.sent, self.summarised, self.skipped, self.failed))


def queue(
    connection: Connection,
    written: list[tuple[int, int, str]],
    texts: dict[tuple[int, str], str],
    subscribed: set[int],
    now: datetime,
) -> None:
    """Queue the SMS of the notices just written that have an SMS text, by each account's
    choice: none for push only; at once for SMS too or without a subscription; else later."""
    wanted = [(n, a, texts[(a, key)]) for n, a, key in written if (a, key) in texts]
    if not wanted:
        return
    choices = dict(
        connection.execute(
            select(Account.id, Account.notice_sms).where(Account.id.in_({a for _, a, _ in wanted}))
        ).all()
    )
    later = now + timedelta(minutes=current_app.config["DARMAN_SMS_FALLBACK_MINUTES"])
    rows = [
        {
            "notification_id": notification_id,
            "account_id": account_id,
            "text": text[:300],
            "status": "pending",
            "due_at": now
            if choices[account_id] == "sms_too" or account_id not in subscribed
            else later,
            "attempts": 0,
            "held": False,
            "created_at": now,
        }
        for notification_id, account_id, text in wanted
        if choices.get(account_id, "push_then_sms") != "push_only"
    ]
    if rows:
        connection.execute(SmsNotice.__table__.insert(), rows)


def deliver_due(backend: SmsBackend, limit: int) -> SmsTally:
    """Claim up to `limit` due rows, decide each account's SMS, send them; what was done."""
    token = _claim(limit)
    tally = SmsTally()
    if token is None:
        return tally
    claimed = (
        db.session.execute(
            select(SmsNotice)
            .where(SmsNotice.claim == token)
            .order_by(SmsNotice.account_id, SmsNotice.id)
        )
        .scalars()
        .all()
    )
    db.session.commit()  # the batch job's own: read, hold nothing while sending
    for account_id, rows in groupby(claimed, key=lambda row: row.account_id):
        _deliver_account(backend, account_id, list(rows), tally)
    return tally


def _claim(limit: int) -> str | None:
    """Mark up to `limit` due rows as this worker's (a guarded UPDATE); its token, or None."""
    now = clock.now()
    stale = now - timedelta(seconds=current_app.config["DARMAN_SMS_CLAIM_SECONDS"])
    due = or_(
        and_(SmsNotice.status == "pending", SmsNotice.due_at <= now),
        and_(SmsNotice.status == "sending", SmsNotice.claimed_at < stale),
    )
    ids = (
        db.session.execute(
            select(SmsNotice.id)
            .where(due)
            .order_by(SmsNotice.due_at, SmsNotice.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        .scalars()
        .all()
    )
    if not ids:
        db.session.commit()
        return None
    token = uuid.uuid4().hex
    claimed = db.session.execute(
        update(SmsNotice)
        .where(SmsNotice.id.in_(ids), due)  # checked again: another worker may have been first
        .values(status="sending", claim=token, claimed_at=now)
    ).rowcount
    db.session.commit()  # the batch job's own: the claim stands before anything is sent
    return token if claimed else None


def _deliver_account(backend: SmsBackend, account_id: int, rows: list, tally: SmsTally) -> None:
    """One account's claimed rows: skip what a push delivered, send the rest within the cap."""
    choice, mobile, locale = db.session.execute(
        select(Account.notice_sms, Person.mobile, Account.locale)
        .join(Person, Person.id == Account.person_id)
        .where(Account.id == account_id)
    ).one()
    delivered = _delivered_by_push([row.notification_id for row in rows])
    needed = []
    for row in rows:
        pushed = choice == "push_then_sms" and row.notification_id in delivered
        if choice == "push_only" or pushed:
            _finish(row, "skipped")
            tally.skipped += 1
        else:
            needed.append(row)
    db.session.commit()  # the batch job's own: the skipped rows
    if needed and not mobile:
        for row in needed:
            _finish(row, "failed", error="no mobile in the registry")
        tally.failed += len(needed)
        db.session.commit()  # the batch job's own
        return
    units = _units(needed)
    for position, unit in enumerate(units):
        if not _reserve(account_id):
            _hold([row for later in units[position:] for row in later], tally)
            return
        _send(backend, account_id, mobile, locale, unit, tally)


def _delivered_by_push(notification_ids: list[int]) -> set[int]:
    """The notices a push service confirmed (sent) within the window after the notice."""
    window = timedelta(minutes=current_app.config["DARMAN_SMS_FALLBACK_MINUTES"])
    rows = db.session.execute(
        select(PushDelivery.notification_id, PushDelivery.sent_at, Notification.created_at)
        .join(Notification, Notification.id == PushDelivery.notification_id)
        .where(
            PushDelivery.notification_id.in_(notification_ids),
            PushDelivery.status == "sent",
            PushDelivery.sent_at.is_not(None),
        )
    ).all()
    return {
        notification_id
        for notification_id, sent_at, created_at in rows
        if clock.as_utc(sent_at) <= clock.as_utc(created_at) + window
    }


def _units(rows: list) -> list[list]:
    """The SMS to send: the rows held by yesterday's cap as one (the first, and a summary of the
    others), then each other row alone."""
    held = [row for row in rows if row.held]
    fresh = [[row] for row in rows if not row.held]
    return ([held] if held else []) + fresh


def _reserve(account_id: int) -> bool:
    """Take one of today's SMS for the account, if the cap leaves one (a guarded increment)."""
    day = clock.today()
    connection = db.session.connection()
    insert = postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert
    connection.execute(
        insert(SmsAllowance)
        .values(account_id=account_id, day=day, used=0)
        .on_conflict_do_nothing(index_elements=["account_id", "day"])
    )
    taken = connection.execute(
        update(SmsAllowance)
        .where(
            SmsAllowance.account_id == account_id,
            SmsAllowance.day == day,
            SmsAllowance.used < current_app.config["DARMAN_SMS_FALLBACK_PER_DAY"],
        )
        .values(used=SmsAllowance.used + 1)
    ).rowcount
    db.session.commit()  # the batch job's own: the SMS is counted before it goes
    return taken == 1


def _release(account_id: int) -> None:
    """Give back today's SMS of a send that failed."""
    db.session.execute(
        update(SmsAllowance)
        .where(
            SmsAllowance.account_id == account_id,
            SmsAllowance.day == clock.today(),
            SmsAllowance.used > 0,
        )
        .values(used=SmsAllowance.used - 1)
    )


def _hold(rows: list, tally: SmsTally) -> None:
    """Past the cap: keep the rows for the start of the next Tehran day, to be summarised (an
    hour on at least, should the day be pinned, as in tests and demos)."""
    tomorrow = datetime.combine(clock.today() + timedelta(days=1), time(), tzinfo=clock.TEHRAN)
    due = max(clock.as_utc(tomorrow), clock.now() + timedelta(hours=1))
    for row in rows:
        row.status, row.held, row.due_at = "pending", True, due
        row.claim = row.claimed_at = None
    tally.held += len(rows)
    db.session.commit()  # the batch job's own


def _send(backend, account_id: int, mobile: str, locale: str, unit: list, tally: SmsTally) -> None:
    """Send one SMS (the first row's text, and how many more wait in the app); record it."""
    carrier, others = unit[0], unit[1:]
    text = with_summary(carrier.text, len(others), locale)
    try:
        with metrics.counting_sms("notice"):
            backend.send_text(mobile, text)
    except SmsDeliveryError as error:
        _release(account_id)
        _failed_send(unit, error, tally)
        db.session.commit()  # the batch job's own
        return
    now = clock.now()
    _finish(carrier, "sent", sent_at=now)
    for row in others:
        _finish(row, "summarised", sent_at=now, carried_by=carrier.id)
    tally.sent += 1
    tally.summarised += len(others)
    db.session.commit()  # the batch job's own: recorded the moment the provider took it


def _failed_send(unit: list, error: SmsDeliveryError, tally: SmsTally) -> None:
    """A refused number fails for good; anything else is tried again after a backoff."""
    now = clock.now()
    for row in unit:
        row.attempts += 1
        row.last_error = str(error)[:200]
        if error.status in NUMBER_REFUSED:
            _finish(row, "failed", error=row.last_error)
            tally.failed += 1
            continue
        row.status, row.claim, row.claimed_at = "pending", None, None
        row.due_at = now + timedelta(seconds=backoff_seconds(row.attempts))
        tally.retried += 1


def _finish(row, status: str, *, sent_at=None, carried_by=None, error=None) -> None:
    """The row's last state: the claim ends with it."""
    row.status, row.claim = status, None
    row.sent_at, row.carried_by = sent_at, carried_by
    if error:
        row.last_error = error


def with_summary(text: str, others: int, locale: str) -> str:
    """The SMS: one notice's text and, when more wait, a line saying how many."""
    if not others:
        return text
    with force_locale(locale):
        count = to_persian_digits(others) if locale == "fa" else str(others)
        line = gettext("and %(n)s more messages in the app", n=count)
    return f"{text}\n{line}"
