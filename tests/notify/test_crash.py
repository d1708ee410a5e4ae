"""The worker as a process: killed (SIGKILL) with pushes in flight and restarted, nothing is lost
and only what was in flight is sent again; SIGTERM finishes the batch and stops; on SQLite one
worker runs at a time."""

import signal
import time
from collections import Counter

import pytest
from families import INSURED, INSURED_MOBILE
from inboxes import inbox, write_outbox
from sqlalchemy import select
from worker_process import start_worker

from server import create_app
from server.extensions import db
from server.models import OutboxEvent, PushDelivery
from server.notify.worker import WorkerBusy, only_worker_on_sqlite

NOTICES = 30
BATCH = 10


def undelivered(app) -> int:
    """Pushes not yet sent."""
    with app.app_context():
        statuses = db.session.scalars(select(PushDelivery.status)).all()
        return len(statuses) - statuses.count("sent")


@pytest.fixture
def phone(family, subscribe):
    """Ali's phone, subscribed."""
    return subscribe(INSURED, INSURED_MOBILE)


def test_a_killed_worker_loses_nothing_and_resends_only_its_batch(
    app, database_url, phone, push_service, worker, tmp_path
):
    write_outbox(app, NOTICES)
    push_service.hold_after(15)  # the 16th push (in the second batch) stays unanswered
    log = tmp_path / "worker.log"
    process = start_worker(
        app, database_url, log, push_batch=str(BATCH), push_concurrency="1", push_poll_seconds="0.1"
    )
    try:
        assert push_service.holding.wait(60), log.read_text()
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    seen_before = [p["id"] for p in push_service.payloads(phone)]
    push_service.release.set()

    for _ in range(100):  # PostgreSQL ends the dead worker's transaction in a moment
        worker()
        if undelivered(app) == 0 and pending_rows(app) == 0:
            break
    received = Counter(p["id"] for p in push_service.payloads(phone))
    notices = inbox(app, INSURED)
    assert len(notices) == NOTICES  # every outbox row became one notice
    assert len(received) == NOTICES  # and every notice reached the phone
    again = {notice for notice, times in received.items() if times > 1}
    # Only the dead worker's batch in flight came twice: the 11th to the 16th push (the first
    # batch of 10 had been recorded; one push at a time, the 16th was held unanswered).
    assert again == set(seen_before[BATCH:])
    assert len(again) == 6 and max(received.values()) == 2


def pending_rows(app) -> int:
    """Outbox rows still pending."""
    with app.app_context():
        return len(
            db.session.scalars(select(OutboxEvent.id).where(OutboxEvent.status == "pending")).all()
        )


def test_sigterm_finishes_the_batch_and_stops(app, database_url, phone, push_service, tmp_path):
    write_outbox(app, 5)
    log = tmp_path / "worker.log"
    process = start_worker(app, database_url, log, push_poll_seconds="0.1")
    try:
        for _ in range(600):  # until the five have arrived (or a minute has passed)
            if len(push_service.payloads(phone)) == 5:
                break
            time.sleep(0.1)
        process.send_signal(signal.SIGTERM)
        assert process.wait(60) == 0
    finally:
        process.kill()
    assert "5 pushes sent" in log.read_text()
    assert undelivered(app) == 0


def test_one_worker_at_a_time_on_sqlite(tmp_path):
    other = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'one.sqlite3'}", "SECRET_KEY": "x"}
    )
    with other.app_context():
        try:
            with (
                only_worker_on_sqlite(),
                pytest.raises(WorkerBusy, match="another push worker"),
                only_worker_on_sqlite(),
            ):
                pass
            with only_worker_on_sqlite():
                pass  # free again once the first has stopped
        finally:
            db.engine.dispose()
