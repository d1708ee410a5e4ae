"""`flask darman worker`: outbox → notices → pushes → the SMS no push replaced, in a loop or once.

At least once, never lost: an outbox row is marked done in the transaction that writes its
notices and pending pushes. A batch of pushes is claimed before sending and recorded after:
on PostgreSQL the claim is `FOR UPDATE SKIP LOCKED` held while sending, so several workers
never send one push twice and a worker's crash rolls its claim back; on SQLite one worker runs
(a lock file beside the database says so), reads the due pushes, and a crash leaves them due.
Either way what was in flight when a worker died is sent again, and nothing else.

A batch job, not a request: it owns its short transactions and commits each itself (no unit
of work of a request is around it), so that SQLite's write lock is never held while a push
waits on the network.
"""

import fcntl
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from .. import clock
from ..auth.sms import SmsBackend, backend_from_config
from ..database import is_database_moving
from ..extensions import db
from ..models import Notification, PushDelivery, PushSubscription
from ..ops import metrics
from .fanout import fan_out_batch
from .sender import Push, Pusher, next_state, payload
from .sms_fallback import SmsTally, deliver_due
from .vapid import signer


class WorkerBusy(RuntimeError):
    """Another worker already runs on this SQLite database."""


@dataclass
class Tally:
    """What a run did."""

    events: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    gone: int = 0
    sms: int = 0  # notice SMS sent (the SMS fallback)

    def add(self, other: "Tally") -> None:
        """Add another batch's counts."""
        for name in ("events", "sent", "retried", "failed", "gone", "sms"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def summary(self) -> str:
        """One line for the operator."""
        return (
            f"{self.events} outbox rows done, {self.sent} pushes sent, {self.retried} to retry, "
            f"{self.failed} failed, {self.gone} subscriptions gone, {self.sms} notice SMS sent"
        )


def run(once: bool = False, stop: threading.Event | None = None) -> Tally:
    """Work until nothing is due (`once`) or until `stop` is set, polling in between."""
    config = current_app.config
    stop = stop or threading.Event()
    batch = config["DARMAN_PUSH_BATCH"]
    tally = Tally()
    sms_backend = backend_from_config(config)
    with (
        only_worker_on_sqlite(),
        Pusher(
            signer(),
            config["DARMAN_PUSH_CONCURRENCY"],
            config["DARMAN_PUSH_TIMEOUT_SECONDS"],
            hosts=config["DARMAN_PUSH_HOSTS"],
            allow_loopback=config["DARMAN_PUSH_ALLOW_LOOPBACK"],
        ) as pusher,
    ):
        while not stop.is_set():
            step, texts = _step(pusher, sms_backend, batch)
            tally.add(step)
            if step.events or step.sent or step.retried or step.failed or step.gone:
                continue
            if texts is not None and texts.busy():
                continue
            if once:
                break
            stop.wait(config["DARMAN_PUSH_POLL_SECONDS"])
    return tally


def _step(pusher: Pusher, sms_backend: SmsBackend, batch: int) -> tuple[Tally, SmsTally | None]:
    """Fan out one batch, send one, and the SMS that are due; nothing while PostgreSQL fails
    over to its standby (the worker waits a poll and tries the new primary: what it was sending
    is sent again)."""
    try:
        step = Tally(events=fan_out_batch(batch))
        step.add(send_batch(pusher, batch))
        texts = deliver_due(sms_backend, batch)
    except DBAPIError as error:
        if not is_database_moving(error):
            raise
        db.session.rollback()
        return Tally(), None
    step.sms = texts.sent
    return step, texts


def send_batch(pusher: Pusher, limit: int) -> Tally:
    """Claim up to `limit` due pushes, send them, record what came back."""
    rows = db.session.execute(
        select(
            PushDelivery.id,
            PushDelivery.subscription_id,
            PushDelivery.attempts,
            PushDelivery.created_at,
            PushSubscription.endpoint,
            PushSubscription.p256dh,
            PushSubscription.auth,
            Notification.id.label("notification_id"),
            Notification.kind,
            Notification.title,
            Notification.body,
            Notification.url,
        )
        .join(PushSubscription, PushSubscription.id == PushDelivery.subscription_id)
        .join(Notification, Notification.id == PushDelivery.notification_id)
        .where(PushDelivery.status == "pending", PushDelivery.next_attempt_at <= clock.now())
        .order_by(PushDelivery.next_attempt_at, PushDelivery.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=PushDelivery)
    ).all()
    if db.engine.dialect.name != "postgresql" or not rows:
        db.session.commit()  # SQLite: never hold the write lock while waiting on the network
    if not rows:
        return Tally()
    outcomes = pusher.push_all([_push(row) for row in rows])
    return _record(rows, outcomes)


def _push(row) -> Push:
    """A claimed row as a push to send."""
    data = payload(row.notification_id, row.kind, row.title, row.body, row.url)
    return Push(row.id, row.subscription_id, row.endpoint, row.p256dh, row.auth, data, row.kind)


def _record(rows, outcomes) -> Tally:
    """Write each delivery's new state, then drop gone subscriptions; commit."""
    now = clock.now()
    give_up = timedelta(hours=current_app.config["DARMAN_PUSH_GIVE_UP_HOURS"])
    states = [
        {
            "delivery_id": row.id,
            **next_state(o, row.attempts + 1, clock.as_utc(row.created_at), now, give_up),
        }
        for row, o in zip(rows, outcomes, strict=True)
        if o.result != "gone"
    ]
    if states:  # a row unsubscribed meanwhile (SQLite) is simply not there to update
        table = PushDelivery.__table__
        db.session.execute(table.update().where(table.c.id == bindparam("delivery_id")), states)
    db.session.commit()  # the batch job's own: the outcomes stick (and a claim ends) at once
    sent = sorted({o.push.subscription_id for o in outcomes if o.result == "sent"})
    gone = sorted({o.push.subscription_id for o in outcomes if o.result == "gone"})
    if sent:
        db.session.execute(
            update(PushSubscription)
            .where(PushSubscription.id.in_(sent))
            .values(last_success_at=now)
        )
    if gone:
        db.session.execute(delete(PushDelivery).where(PushDelivery.subscription_id.in_(gone)))
        db.session.execute(delete(PushSubscription).where(PushSubscription.id.in_(gone)))
    db.session.commit()  # the batch job's own: the subscriptions' upkeep, a short transaction
    metrics.count_pushes([o.result for o in outcomes])
    statuses = [state["status"] for state in states]
    return Tally(
        sent=statuses.count("sent"),
        retried=statuses.count("pending"),
        failed=statuses.count("failed"),
        gone=len(gone),
    )


@contextmanager
def only_worker_on_sqlite():
    """On SQLite, hold `<database>.push-worker.lock` for the run: one worker at a time there."""
    url = make_url(str(db.engine.url))
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        yield
        return
    fd = os.open(f"{url.database}.push-worker.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise WorkerBusy("another push worker runs on this SQLite database") from None
        yield
    finally:
        os.close(fd)
