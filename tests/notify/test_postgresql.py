"""Two workers on PostgreSQL share the outbox and the pushes (FOR UPDATE SKIP LOCKED): every
notice is written once and every push sent once."""

import re
from collections import Counter

import pytest
from families import INSURED, INSURED_MOBILE
from inboxes import write_outbox
from sqlalchemy import func, select
from worker_process import start_worker

from server.extensions import db
from server.models import Notification, OutboxEvent, PushDelivery

NOTICES = 300


@pytest.mark.postgresql
def test_two_workers_never_send_one_push_twice(
    app, database_url, family, subscribe, push_service, tmp_path
):
    phone = subscribe(INSURED, INSURED_MOBILE)
    write_outbox(app, NOTICES)
    push_service.delay = 0.005  # a push service that takes a moment, so that both get work
    settings = {"push_batch": "20", "push_concurrency": "2"}
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    workers = [start_worker(app, database_url, log, "--once", **settings) for log in logs]
    for process, log in zip(workers, logs, strict=True):
        assert process.wait(120) == 0, log.read_text()

    received = Counter(p["id"] for p in push_service.payloads(phone))
    assert len(received) == NOTICES and set(received.values()) == {1}
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Notification)) == NOTICES
        statuses = db.session.scalars(select(PushDelivery.status)).all()
        assert statuses == ["sent"] * NOTICES
        assert set(db.session.scalars(select(OutboxEvent.status))) == {"done"}
    sent = [int(re.search(r"(\d+) pushes sent", log.read_text())[1]) for log in logs]
    assert sum(sent) == NOTICES and min(sent) > 0  # both took part
