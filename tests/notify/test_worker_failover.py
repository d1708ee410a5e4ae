"""The push worker waits out PostgreSQL's failover (its step does nothing, the next poll tries the
new primary) instead of dying; any other database error still ends it."""

import pytest
from psycopg import errors as pg_errors
from sqlalchemy.exc import OperationalError

from server.notify import worker


def failing_with(error: Exception):
    """A fan-out that raises the driver's error as SQLAlchemy would."""

    def fan_out(batch: int) -> int:
        raise OperationalError("SELECT … FOR UPDATE SKIP LOCKED", None, error)

    return fan_out


def test_a_step_during_a_failover_does_nothing(app, monkeypatch):
    moving = pg_errors.AdminShutdown("terminating connection due to administrator command")
    monkeypatch.setattr(worker, "fan_out_batch", failing_with(moving))
    with app.app_context():
        assert worker._step(pusher=None, sms_backend=None, batch=10) == (worker.Tally(), None)


def test_any_other_database_error_still_ends_the_worker(app, monkeypatch):
    monkeypatch.setattr(worker, "fan_out_batch", failing_with(pg_errors.DiskFull("no space")))
    with app.app_context(), pytest.raises(OperationalError):
        worker._step(pusher=None, sms_backend=None, batch=10)
